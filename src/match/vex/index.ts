/**
 * VEX import for `vigil scan --vex FILE` and the API: read a document (OpenVEX, CycloneDX VEX
 * JSON/XML, CSAF VEX) into statements, then apply them to findings. The vocabularies and their
 * mappings (also used by the CycloneDX and OpenVEX exporters) are in mapping.ts.
 */
export { applyVex, type ApplyVexOptions, type ApplyVexResult } from './apply.js';
export { DEFAULT_VEX_LIMITS, VEX_FORMATS, VEX_STATUSES, type VexFormat, type VexLimits, type VexProblem, type VexReadResult, type VexStatement, type VexStatus, type VexVersionRange } from './model.js';
export { readVex } from './read.js';
export { compileVers, versContains, formatVers, type VersRange } from './vers/contains.js';
