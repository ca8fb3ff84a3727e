// Writes docs/rules.md from the built-in rule metadata (npm run docs:rules).
import { writeFileSync } from 'node:fs';
import { renderRulesDoc } from '../src/posture/docs.js';
import { BUILTIN_RULES } from '../src/posture/rules/registry.js';

writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRulesDoc(BUILTIN_RULES));
process.stdout.write(`docs/rules.md: ${BUILTIN_RULES.length} rules\n`);
