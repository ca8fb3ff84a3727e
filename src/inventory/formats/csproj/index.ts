import type { InventoryReader } from '../../reader.js';
import { CSPROJ_READER_ID, parseCsproj } from './parse.js';

const EXTENSIONS = ['.csproj', '.fsproj', '.vbproj'];

/** .NET SDK-style project files: `<PackageReference>` items (+ central package management). */
export const csprojReader: InventoryReader = {
  id: CSPROJ_READER_ID,
  title: '.NET project file (*.csproj PackageReference)',
  matches: (path) => EXTENSIONS.some((ext) => path.endsWith(ext) && path.length > ext.length && !path.endsWith(`/${ext}`)),
  read: parseCsproj,
};
