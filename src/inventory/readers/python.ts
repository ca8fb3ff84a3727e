import type { AnyInventoryReader } from '../reader.js';
import { pdmLockReader } from '../formats/pdm-lock/index.js';
import { pipfileLockReader } from '../formats/pipfile-lock/index.js';
import { poetryLockReader } from '../formats/poetry-lock/index.js';
import { pylockTomlReader } from '../formats/pylock-toml/index.js';
import { requirementsTxtReader } from '../formats/requirements-txt/index.js';
import { uvLockReader } from '../formats/uv-lock/index.js';

/** The python inventory readers, one folder each under src/inventory/formats/. */
export const PYTHON_READERS: readonly AnyInventoryReader[] = [
  requirementsTxtReader,
  pipfileLockReader,
  poetryLockReader,
  uvLockReader,
  pdmLockReader,
  pylockTomlReader,
];
