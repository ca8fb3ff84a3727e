/**
 * docs/collectors/aws.md stays true: its permissions are the ones the code's calls need
 * (generated from operations.ts), and it documents every kind the collector produces.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ALL_AWS_KINDS } from './kinds.js';
import { OPERATION_IDS, OPERATIONS, requiredActions } from './operations.js';
import { leastPrivilegePolicy, operationsTable } from './permissions.js';

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/collectors/aws.md', import.meta.url)), 'utf8');

function block(name: string): string {
  const start = `<!-- generated:${name}:start -->\n`;
  const end = `\n<!-- generated:${name}:end -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  assert.ok(i >= 0 && j > i, `docs/collectors/aws.md has the generated ${name} block`);
  return doc.slice(i + start.length, j);
}

test('the documented calls and IAM policy are generated from the operation catalogue', () => {
  assert.equal(block('operations'), operationsTable(), 'regenerate the table with operationsTable() (permissions.ts)');
  assert.equal(block('policy'), `\`\`\`json\n${leastPrivilegePolicy()}\n\`\`\``, 'regenerate the policy with leastPrivilegePolicy() (permissions.ts)');
  const policy = JSON.parse(leastPrivilegePolicy()) as { Statement: { Action: string[] }[] };
  assert.deepEqual(policy.Statement[0]?.Action, requiredActions());
  for (const id of OPERATION_IDS) {
    assert.ok(OPERATIONS[id].actions.length > 0, `${id} names its IAM action`);
    for (const a of OPERATIONS[id].actions) assert.match(a, /^[a-z0-9-]+:[A-Z][A-Za-z]+$/, id);
  }
  const writes = requiredActions().filter((a) => !/:(Get|List|Describe)/.test(a));
  assert.deepEqual(writes, ['iam:GenerateCredentialReport'], 'read-only calls only (GenerateCredentialReport builds the report)');
});

test('every kind the collector produces is documented, and nothing else', () => {
  const documented = [...doc.matchAll(/^### (aws:[A-Za-z0-9:]+)$/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), [...ALL_AWS_KINDS].sort());
});
