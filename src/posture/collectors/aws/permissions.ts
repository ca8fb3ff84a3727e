/**
 * The least-privilege IAM policy and the table of calls, generated from the operation
 * catalogue (operations.ts). docs/collectors/aws.md embeds both; a test checks the page holds
 * exactly this text, so the documented permissions cannot drift from the calls the code makes.
 */
import { OPERATION_IDS, OPERATIONS, requiredActions } from './operations.js';

export function leastPrivilegePolicy(): string {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'VigilPostureReadOnly', Effect: 'Allow', Action: requiredActions(), Resource: '*' }],
  };
  return JSON.stringify(policy, null, 2);
}

export function operationsTable(): string {
  const rows = OPERATION_IDS.map((id) => {
    const s = OPERATIONS[id];
    return `| ${s.service} | ${s.operation} | ${s.actions.join(', ')} | ${s.scope === 'global' ? 'once per account' : 'every region'} | ${s.page ? `${s.page.inputToken} → ${s.page.outputToken}` : '—'} |`;
  });
  return ['| service | operation | IAM action | called | pages by |', '|---|---|---|---|---|', ...rows].join('\n');
}
