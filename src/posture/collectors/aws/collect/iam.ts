/**
 * IAM (account-wide): the credential report (generated when absent or expired, then polled),
 * users with their MFA devices, access keys, policies and groups, the root user, groups, roles,
 * customer-managed policies with their default version, the password policy and the account
 * summary (with the server certificates and SAML providers). Users are the union of ListUsers and the credential report's rows: a user known only
 * from the report has a SubCallGap for each per-user key it lacks.
 */
import { isObject } from '../../../attrs.js';
import type { SubCallGap } from '../../types.js';
import { callError } from '../api/errors.js';
import type { AwsCallError } from '../api/types.js';
import { parseCredentialReport, ROOT_ROW_USER } from '../adapters/credential-report.js';
import {
  accountSummaryAttrs,
  groupSubCalls,
  inlinePolicy,
  passwordPolicyAttrs,
  policyVersionCall,
  roleBase,
  roleSubCalls,
  rootVirtualMfa,
  samlProvidersCall,
  serverCertificatesCall,
  userSubCalls,
} from '../adapters/iam.js';
import { AWS_KINDS } from '../kinds.js';
import type { CollectContext } from './context.js';
import { addGap, addResource, each, list, single, subCalls, subGap } from './context.js';

const REPORT_WAIT = new Set([
  'ReportNotPresent',
  'ReportExpired',
  'ReportInProgress',
  'CredentialReportNotPresentException',
  'CredentialReportExpiredException',
  'CredentialReportNotReadyException',
]);
const REPORT_POLLS = 10;
const REPORT_POLL_MS = 2000;

type Row = Record<string, string>;
/** The report's rows and `GeneratedTime` (the instant its ages are measured from). */
type ReportOutcome = { rows: Row[]; generated: string | null } | { error: AwsCallError };

async function credentialReport(ctx: CollectContext): Promise<ReportOutcome> {
  const g = ctx.globalRegion;
  let generated = false;
  let last: AwsCallError | undefined;
  for (let poll = 0; poll < REPORT_POLLS; poll++) {
    const res = await ctx.api.call('iam.GetCredentialReport', g);
    if (res.ok) {
      const parsed = parseCredentialReport(res.data['Content']);
      if (!parsed.ok) return { error: callError('InvalidResponse', parsed.message) };
      const at = res.data['GeneratedTime'];
      return { rows: parsed.report.rows, generated: typeof at === 'string' && at !== '' ? at : null };
    }
    last = res.error;
    if (!REPORT_WAIT.has(res.error.code)) return { error: res.error };
    if (!generated) {
      const gen = await ctx.api.call('iam.GenerateCredentialReport', g);
      if (!gen.ok) {
        addGap(ctx, 'iam.GenerateCredentialReport', g, gen.error);
        return { error: res.error };
      }
      generated = true;
    }
    await ctx.api.sleep(REPORT_POLL_MS);
  }
  return { error: callError(last?.code ?? 'ReportInProgress', `the credential report was not ready after ${REPORT_POLLS} polls`) };
}

const USER_KEYS = ['MFADevices', 'AccessKeys', 'AttachedPolicies', 'InlinePolicyNames', 'InlinePolicies', 'Groups'];

async function collectUsers(ctx: CollectContext, report: ReportOutcome): Promise<void> {
  const g = ctx.globalRegion;
  const rowsByArn = new Map<string, Row>();
  if ('rows' in report) for (const row of report.rows) if (row['user'] !== ROOT_ROW_USER && row['arn'] && !rowsByArn.has(row['arn'])) rowsByArn.set(row['arn'], row);
  const reportGap: SubCallGap | undefined = 'error' in report ? subGap('iam.GetCredentialReport', report.error) : undefined;

  const users = await list(ctx, 'iam.ListUsers', g);
  const listed = users.items.filter((u): u is Record<string, unknown> => isObject(u) && typeof u['UserName'] === 'string' && typeof u['Arn'] === 'string');
  const seen = new Set<string>();
  await each(ctx, listed, async (u) => {
    const name = u['UserName'] as string;
    const arn = u['Arn'] as string;
    seen.add(arn);
    const sub = await subCalls(ctx, userSubCalls(name), g);
    const names = Array.isArray(sub.attrs['InlinePolicyNames']) ? sub.attrs['InlinePolicyNames'].filter((n): n is string => typeof n === 'string') : undefined;
    if (names) {
      const docs: Record<string, unknown>[] = [];
      for (const policyName of names) {
        const res = await ctx.api.call('iam.GetUserPolicy', g, { UserName: name, PolicyName: policyName });
        const parsed = res.ok ? inlinePolicy(res.data) : undefined;
        if (!res.ok) sub.gaps['InlinePolicies'] = subGap('iam.GetUserPolicy', res.error);
        else if (parsed && !parsed.ok) sub.gaps['InlinePolicies'] = { operation: 'GetUserPolicy', reason: 'invalid-response', message: parsed.message };
        else if (parsed?.ok) docs.push(parsed.value);
      }
      if (!sub.gaps['InlinePolicies']) sub.attrs['InlinePolicies'] = docs;
    } else if (sub.gaps['InlinePolicyNames']) {
      sub.gaps['InlinePolicies'] = sub.gaps['InlinePolicyNames'];
    }
    const row = rowsByArn.get(arn);
    const attrs: Record<string, unknown> = { ...u, ...sub.attrs };
    const gaps: Record<string, SubCallGap> = { ...sub.gaps };
    if (reportGap) gaps['CredentialReport'] = reportGap;
    else {
      attrs['CredentialReport'] = row ?? null;
      if ('rows' in report) attrs['CredentialReportTime'] = report.generated;
    }
    addResource(ctx, { kind: AWS_KINDS.user, id: arn, name, attrs, gaps });
  });

  // Users only the credential report knows (ListUsers failed, or the user is newer/older than the list).
  const listGap: SubCallGap = users.failed
    ? { operation: 'ListUsers', reason: 'unavailable', message: 'user known only from the credential report: ListUsers could not be read' }
    : { operation: 'ListUsers', reason: 'unavailable', message: 'user in the credential report but not in ListUsers' };
  for (const [arn, row] of rowsByArn) {
    if (seen.has(arn)) continue;
    const name = row['user'] ?? arn;
    addResource(ctx, {
      kind: AWS_KINDS.user,
      id: arn,
      name,
      attrs: { UserName: name, Arn: arn, CredentialReport: row, CredentialReportTime: 'rows' in report ? report.generated : null },
      gaps: Object.fromEntries(USER_KEYS.map((k) => [k, listGap])),
    });
  }
}

async function collectRoot(ctx: CollectContext, report: ReportOutcome): Promise<void> {
  const g = ctx.globalRegion;
  const mfa = await list(ctx, 'iam.ListVirtualMFADevices', g);
  if ('error' in report) return;
  const row = report.rows.find((r) => r['user'] === ROOT_ROW_USER);
  const arn = row?.['arn'] || `arn:${ctx.partition}:iam::${ctx.account}:root`;
  const gaps: Record<string, SubCallGap> = {};
  const attrs: Record<string, unknown> = { Arn: arn, CredentialReport: row ?? null, CredentialReportTime: report.generated };
  if (mfa.error) gaps['VirtualMFADevices'] = subGap('iam.ListVirtualMFADevices', mfa.error);
  else attrs['VirtualMFADevices'] = rootVirtualMfa(mfa.items);
  addResource(ctx, { kind: AWS_KINDS.rootUser, id: arn, name: 'root', attrs, gaps });
}

async function collectGroupsAndRoles(ctx: CollectContext): Promise<void> {
  const g = ctx.globalRegion;
  const groups = (await list(ctx, 'iam.ListGroups', g)).items.filter((x): x is Record<string, unknown> => isObject(x) && typeof x['GroupName'] === 'string' && typeof x['Arn'] === 'string');
  await each(ctx, groups, async (grp) => {
    const sub = await subCalls(ctx, groupSubCalls(grp['GroupName'] as string), g);
    addResource(ctx, { kind: AWS_KINDS.group, id: grp['Arn'] as string, name: grp['GroupName'] as string, attrs: { ...grp, ...sub.attrs }, gaps: sub.gaps });
  });
  const roles = (await list(ctx, 'iam.ListRoles', g)).items.filter((x): x is Record<string, unknown> => isObject(x) && typeof x['RoleName'] === 'string' && typeof x['Arn'] === 'string');
  await each(ctx, roles, async (role) => {
    const base = roleBase(role);
    const sub = await subCalls(ctx, roleSubCalls(role['RoleName'] as string), g);
    const gaps = { ...sub.gaps };
    if (base.problem) gaps['AssumeRolePolicyDocument'] = { operation: 'ListRoles', reason: 'invalid-response', message: base.problem };
    addResource(ctx, { kind: AWS_KINDS.role, id: role['Arn'] as string, name: role['RoleName'] as string, attrs: { ...base.attrs, ...sub.attrs }, gaps });
  });
}

async function collectPolicies(ctx: CollectContext): Promise<void> {
  const g = ctx.globalRegion;
  const policies = (await list(ctx, 'iam.ListPolicies', g, { Scope: 'Local' })).items.filter(
    (x): x is Record<string, unknown> => isObject(x) && typeof x['Arn'] === 'string' && typeof x['PolicyName'] === 'string',
  );
  await each(ctx, policies, async (p) => {
    const version = typeof p['DefaultVersionId'] === 'string' ? p['DefaultVersionId'] : undefined;
    const sub = version
      ? await subCalls(ctx, [policyVersionCall(p['Arn'] as string, version)], g)
      : { attrs: {}, gaps: { PolicyVersion: { operation: 'ListPolicies', reason: 'invalid-response' as const, message: 'no DefaultVersionId' } } };
    addResource(ctx, { kind: AWS_KINDS.managedPolicy, id: p['Arn'] as string, name: p['PolicyName'] as string, attrs: { ...p, ...sub.attrs }, gaps: sub.gaps });
  });
}

export async function collectIam(ctx: CollectContext): Promise<void> {
  const g = ctx.globalRegion;
  const report = await credentialReport(ctx);
  if ('error' in report) addGap(ctx, 'iam.GetCredentialReport', g, report.error);
  await collectUsers(ctx, report);
  await collectRoot(ctx, report);
  await collectGroupsAndRoles(ctx);
  await collectPolicies(ctx);

  const pw = await single(ctx, 'iam.GetAccountPasswordPolicy', g, {}, ['NoSuchEntity', 'NoSuchEntityException']);
  if (pw !== undefined) {
    addResource(ctx, { kind: AWS_KINDS.passwordPolicy, id: `arn:${ctx.partition}:iam::${ctx.account}:account-password-policy`, name: 'account password policy', attrs: passwordPolicyAttrs(pw) });
  }
  const summary = await single(ctx, 'iam.GetAccountSummary', g);
  if (summary) {
    // Server certificates and SAML providers are few and account-wide: they ride on the summary (CIS AWS 1.19, 1.21).
    const certs = await subCalls(ctx, [serverCertificatesCall(), samlProvidersCall()], g);
    addResource(ctx, {
      kind: AWS_KINDS.accountSummary,
      id: `arn:${ctx.partition}:iam::${ctx.account}:account-summary`,
      name: 'account summary',
      attrs: { ...accountSummaryAttrs(summary), ...certs.attrs },
      gaps: certs.gaps,
    });
  }
}
