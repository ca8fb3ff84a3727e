import { distroQualifier, findOsRelease, rootPrefix, rpmEcosystem, rpmVendor, safeRead } from '../../image/os-release.js';
import type { ReadProblem, ReadResult } from '../../model.js';
import type { BinaryInventoryReader } from '../../reader.js';
import type { RpmContext } from './parse.js';
import { packagesFromHeaders, READER_ID } from './parse.js';
import { readPackagesTable } from './sqlite.js';

/** Where rpm keeps its database (rpm ≥ 4.16 moved it to `usr/lib/sysimage/rpm`). */
const DIRS = ['var/lib/rpm/', 'usr/lib/sysimage/rpm/', 'usr/share/rpm/'];
const SQLITE = 'rpmdb.sqlite';
/** Older backends (Berkeley DB `Packages`, NDB `Packages.db`): matched so they are reported, not skipped. */
const UNSUPPORTED = ['Packages', 'Packages.db'];

function find(path: string, files: readonly string[]): { prefix: string; file: string } | undefined {
  for (const dir of DIRS) {
    for (const file of files) {
      const prefix = rootPrefix(path, dir + file);
      if (prefix !== undefined) return { prefix, file };
    }
  }
  return undefined;
}

/**
 * The binary reader contract has no `readFile`; the walker and the image reader pass one
 * anyway (an extra, optional field), so the os-release beside the database is found there.
 */
export interface RpmReadInput {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly readFile?: ((path: string) => string | undefined) | undefined;
}

async function read(input: RpmReadInput): Promise<ReadResult> {
  const problem = (message: string, severity: ReadProblem['severity'] = 'error'): ReadProblem => ({ location: { file: input.path }, reader: READER_ID, message, severity });
  const found = find(input.path, [SQLITE]);
  if (!found) {
    const old = find(input.path, UNSUPPORTED);
    const what = old?.file === 'Packages' ? 'a Berkeley DB' : old ? 'an NDB' : 'an unrecognised';
    return { packages: [], edges: [], problems: [problem(`${what} rpm database is not supported (only rpmdb.sqlite, rpm ≥ 4.16): installed rpm packages not read`)] };
  }
  const table = await readPackagesTable(input.bytes);
  if (!table.ok) return { packages: [], edges: [], problems: [problem(`cannot read the rpm database: ${table.reason}`)] };

  const os = findOsRelease(input.readFile, found.prefix);
  const ecosystem = rpmEcosystem(os);
  const ctx: RpmContext = { ecosystem: ecosystem ?? '', vendor: rpmVendor(os), distro: distroQualifier(os) };
  const result = packagesFromHeaders(table.rows, input.path, ctx);
  const extra: ReadProblem[] = [];
  if (ecosystem === undefined && result.packages.length > 0) {
    const why = os ? `OSV has no ecosystem for the distribution "${os.id}"` : 'the OS is unknown (no etc/os-release beside the database)';
    extra.push(problem(`${why}: rpm packages carry no ecosystem`, 'warning'));
  }
  if (input.readFile && (safeRead(input.readFile, `${input.path}-wal`) ?? '') !== '') {
    extra.push(problem('a non-empty rpmdb.sqlite-wal lies beside the database: changes not yet checkpointed into it are not read', 'warning'));
  }
  return extra.length === 0 ? result : { ...result, problems: [...result.problems, ...extra] };
}

export const rpmSqliteReader: BinaryInventoryReader = {
  id: READER_ID,
  title: 'RPM database (rpmdb.sqlite)',
  binary: true,
  matches: (path) => find(path, [SQLITE, ...UNSUPPORTED]) !== undefined,
  read,
};
