// Writes docs/rules.md and docs/coverage.md from the built-in rule metadata and the
// requirement catalogues (npm run docs:rules).
import { writeFileSync } from 'node:fs';
import { renderCoverageDoc } from '../src/posture/coverage/docs.js';
import { renderRulesDoc } from '../src/posture/docs.js';
import { BUILTIN_RULES } from '../src/posture/rules/registry.js';

writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRulesDoc(BUILTIN_RULES));
writeFileSync(new URL('../docs/coverage.md', import.meta.url), renderCoverageDoc(BUILTIN_RULES));
process.stdout.write(`docs/rules.md: ${BUILTIN_RULES.length} rules; docs/coverage.md\n`);
