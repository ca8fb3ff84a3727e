/**
 * The Dockerfile rules (VGL-DOCKER-NNN), in id order. They read `docker:stage` resources from
 * src/posture/inputs/dockerfile; shell text in RUN steps is read with ./lib/shell.ts.
 */
import type { Rule } from '../../rule.js';
import { baseImageLatest } from './base-image.js';
import { multipleCmd, multipleEntrypoint, shellFormCmd } from './cmd-entrypoint.js';
import { addInsteadOfCopy, addRemoteUrl, chownFlag, copyMultipleToFile } from './copy-add.js';
import { healthcheckMissing } from './healthcheck.js';
import { languagePackageRules } from './language-packages.js';
import { consecutiveLayers } from './layers.js';
import { maintainerDeprecated } from './maintainer.js';
import { packageRules } from './packages.js';
import { pipeToShell } from './pipe-to-shell.js';
import { exposePortRange, exposeSsh } from './ports.js';
import { rootUser } from './root-user.js';
import { secretsInEnvArg } from './secrets.js';
import { pipeWithoutPipefail, runChangesShell, runSudo } from './shell-rules.js';
import { copyFromIndex, fromPlatform } from './stages.js';
import { updateAlone } from './update-alone.js';
import { cdInsteadOfWorkdir, workdirRelative } from './workdir.js';

export const dockerfileRules: readonly Rule[] = [
  rootUser,
  baseImageLatest,
  addRemoteUrl,
  secretsInEnvArg,
  healthcheckMissing,
  pipeToShell,
  addInsteadOfCopy,
  chownFlag,
  copyMultipleToFile,
  exposeSsh,
  exposePortRange,
  maintainerDeprecated,
  workdirRelative,
  cdInsteadOfWorkdir,
  multipleCmd,
  multipleEntrypoint,
  shellFormCmd,
  fromPlatform,
  copyFromIndex,
  runSudo,
  pipeWithoutPipefail,
  runChangesShell,
  consecutiveLayers,
  updateAlone,
  ...packageRules,
  ...languagePackageRules,
];
