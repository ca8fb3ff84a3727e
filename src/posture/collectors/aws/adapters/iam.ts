/**
 * IAM responses → attrs (pure): users, the root user, groups, roles, customer-managed
 * policies, the password policy, the account summary. Policy documents (URL-encoded JSON in
 * IAM's answers) are parsed in place. Key names are listed in docs/collectors/aws.md.
 */
import { isObject } from '../../../attrs.js';
import type { AwsData } from '../api/types.js';
import type { SubCall } from '../collect/context.js';
import { invalid } from '../collect/context.js';
import { parsePolicyDocument } from './policy-doc.js';

const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Per-user list calls, in a fixed order. */
export function userSubCalls(userName: string): SubCall[] {
  const input = { UserName: userName };
  return [
    { keys: ['MFADevices'], id: 'iam.ListMFADevices', input, pick: (d) => ({ MFADevices: listOf(d['MFADevices']) }) },
    { keys: ['AccessKeys'], id: 'iam.ListAccessKeys', input, pick: (d) => ({ AccessKeys: listOf(d['AccessKeyMetadata']) }) },
    { keys: ['AttachedPolicies'], id: 'iam.ListAttachedUserPolicies', input, pick: (d) => ({ AttachedPolicies: listOf(d['AttachedPolicies']) }) },
    { keys: ['InlinePolicyNames'], id: 'iam.ListUserPolicies', input, pick: (d) => ({ InlinePolicyNames: listOf(d['PolicyNames']) }) },
    { keys: ['Groups'], id: 'iam.ListGroupsForUser', input, pick: (d) => ({ Groups: listOf(d['Groups']) }) },
  ];
}

/** GetUserPolicy → `{PolicyName, PolicyDocument}` with the document parsed. */
export function inlinePolicy(d: AwsData): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const doc = parsePolicyDocument(d['PolicyDocument']);
  if (!doc.ok) return { ok: false, message: `inline policy ${String(d['PolicyName'])}: ${doc.message}` };
  return { ok: true, value: { PolicyName: d['PolicyName'], PolicyDocument: doc.value } };
}

export function groupSubCalls(groupName: string): SubCall[] {
  const input = { GroupName: groupName };
  return [
    { keys: ['AttachedPolicies'], id: 'iam.ListAttachedGroupPolicies', input, pick: (d) => ({ AttachedPolicies: listOf(d['AttachedPolicies']) }) },
    { keys: ['InlinePolicyNames'], id: 'iam.ListGroupPolicies', input, pick: (d) => ({ InlinePolicyNames: listOf(d['PolicyNames']) }) },
  ];
}

export function roleSubCalls(roleName: string): SubCall[] {
  const input = { RoleName: roleName };
  return [
    { keys: ['AttachedPolicies'], id: 'iam.ListAttachedRolePolicies', input, pick: (d) => ({ AttachedPolicies: listOf(d['AttachedPolicies']) }) },
    { keys: ['InlinePolicyNames'], id: 'iam.ListRolePolicies', input, pick: (d) => ({ InlinePolicyNames: listOf(d['PolicyNames']) }) },
  ];
}

/** A ListRoles entry with its trust policy parsed; the reason when it cannot be. */
export function roleBase(entry: Record<string, unknown>): { attrs: Record<string, unknown>; problem?: string } {
  const attrs = { ...entry };
  if (entry['AssumeRolePolicyDocument'] === undefined) return { attrs };
  const doc = parsePolicyDocument(entry['AssumeRolePolicyDocument']);
  if (doc.ok) {
    attrs['AssumeRolePolicyDocument'] = doc.value;
    return { attrs };
  }
  delete attrs['AssumeRolePolicyDocument'];
  return { attrs, problem: `trust policy: ${doc.message}` };
}

export function policyVersionCall(arn: string, versionId: string): SubCall {
  return {
    keys: ['PolicyVersion'],
    id: 'iam.GetPolicyVersion',
    input: { PolicyArn: arn, VersionId: versionId },
    pick: (d) => {
      const v = d['PolicyVersion'];
      if (!isObject(v)) return invalid('GetPolicyVersion answered without a PolicyVersion');
      const doc = parsePolicyDocument(v['Document']);
      return doc.ok ? { PolicyVersion: { ...v, Document: doc.value } } : invalid(`policy document: ${doc.message}`);
    },
  };
}

/** The root user's virtual MFA devices among ListVirtualMFADevices' answer. */
export function rootVirtualMfa(devices: readonly unknown[]): unknown[] {
  return devices.filter((d) => {
    if (!isObject(d)) return false;
    const user = isObject(d['User']) ? d['User'] : {};
    const userArn = typeof user['Arn'] === 'string' ? user['Arn'] : '';
    const serial = typeof d['SerialNumber'] === 'string' ? d['SerialNumber'] : '';
    return userArn.endsWith(':root') || serial.endsWith(':mfa/root-account-mfa-device');
  });
}

export function passwordPolicyAttrs(d: AwsData | null): Record<string, unknown> {
  return { PasswordPolicy: d === null ? null : isObject(d['PasswordPolicy']) ? d['PasswordPolicy'] : null };
}

export function accountSummaryAttrs(d: AwsData): Record<string, unknown> {
  return { SummaryMap: isObject(d['SummaryMap']) ? d['SummaryMap'] : {} };
}

/** ListServerCertificates (every page) → `ServerCertificates`: `[{ServerCertificateName, Arn, Expiration, UploadDate, …}]`. */
export function serverCertificatesCall(): SubCall {
  return { keys: ['ServerCertificates'], id: 'iam.ListServerCertificates', input: {}, pick: (d) => ({ ServerCertificates: listOf(d['ServerCertificateMetadataList']) }) };
}

/** ListSAMLProviders → `SAMLProviders`: `[{Arn, ValidUntil, CreateDate}]` (identity federation, CIS AWS 1.21). */
export function samlProvidersCall(): SubCall {
  return { keys: ['SAMLProviders'], id: 'iam.ListSAMLProviders', input: {}, pick: (d) => ({ SAMLProviders: listOf(d['SAMLProviderList']) }) };
}
