/**
 * Recognising secrets in name/value settings (environment variables of functions and
 * containers): an AWS access key id anywhere, or a literal value under a secret-like name.
 * References to a secret store and unresolved expressions are not secrets.
 */
import { isUnresolved, str } from '../../../../attrs.js';

const ACCESS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/;
const SECRET_NAME = /(secret|passw(or)?d|passwd|token|api_?key|private_?key|credential)/i;
/** Values that refer to a secret store instead of holding the secret. */
const REFERENCE = /^(\{\{resolve:|arn:aws[\w-]*:(secretsmanager|ssm|kms):)/;

/** Why the variable `name` = `value` holds a secret, or undefined when it does not. */
export function secretReason(name: string, value: unknown): string | undefined {
  const s = str(value)?.trim();
  if (s === undefined || s === '' || isUnresolved(value) || REFERENCE.test(s)) return undefined;
  if (ACCESS_KEY_ID.test(s)) return `${name} holds an AWS access key id`;
  return SECRET_NAME.test(name) ? `${name} holds a secret in plain text` : undefined;
}
