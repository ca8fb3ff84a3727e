/**
 * IAM principals and account-wide IAM settings: VGL-AWS-217 group with administrator access,
 * VGL-AWS-218 role with AdministratorAccess, VGL-AWS-219 no AWS Support role (CIS AWS 1.17),
 * VGL-AWS-220 IAM Access Analyzer not enabled in a region (1.20), VGL-AWS-221 cross-account role
 * trust without an external id or MFA condition, VGL-AWS-222 unattached customer policy granting
 * "*" on "*", VGL-AWS-223 expired server certificates (1.19), VGL-AWS-224 AWSCloudShellFullAccess
 * attached (1.22), VGL-AWS-225 IAM users without identity federation (1.21).
 */
import { at, isObject, list, num, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { collected, needs } from '../../shared/live.js';
import { awsRule, cis, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { adminAttachments, isAttached, isFullAdmin } from '../lib/iam.js';
import { isAllow, policyStatements, type Statement } from '../lib/policy.js';
import { liveRole } from '../iam-credentials.js';
import { accountArn, accountRes, ACCOUNT, AWS_KINDS, doc, global, managedPolicy, policyArn, regional, regionArn, regionRes, sameScope, time, unknownKinds } from './lib.js';

const ADMIN = { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
const READ_ONLY = { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
const ADMIN_FRAMEWORKS = [cis('1.16'), nist('AC-6'), nist('AC-6(5)'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.3'), pci('7.2.2')];

function group(name: string, attached: unknown[]): ReturnType<typeof global> {
  const arn = `arn:aws:iam::${ACCOUNT}:group/${name}`;
  return global('AWS::IAM::Group', arn, { GroupName: name, Arn: arn, AttachedPolicies: attached, InlinePolicyNames: [] });
}

function adminAttached(what: string, exempt: (r: Resource) => boolean) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (exempt(r)) return [];
    const missing = needs(r, 'AttachedPolicies');
    if (missing.length > 0) return missing;
    return adminAttachments(r, ctx).map((a) => violation(['AttachedPolicies', a.index], `${a.arn} gives the ${what} full administrator access`));
  };
}

export const groupAdmin = awsRule({
  id: 'VGL-AWS-217',
  title: 'IAM group has administrator access',
  description:
    'A group has AdministratorAccess (or a customer policy allowing "*" on "*") attached: every member, with long-lived user credentials, administers the account. Administrators are better served by a role assumed with MFA.',
  severity: 'high',
  service: 'iam',
  frameworks: ADMIN_FRAMEWORKS,
  remediation: 'Detach the administrator policy from the group; give administrators a role (or IAM Identity Center permission set) they assume with MFA.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  live: {
    kinds: [AWS_KINDS.group],
    check: adminAttached('group\'s members', () => false),
    cli: 'aws iam detach-group-policy --group-name <group> --policy-arn <admin-policy-arn>',
    console: 'IAM → User groups → the group → Permissions → select the administrator policy → Remove.',
    bad: [collected('aws', [group('admins', [ADMIN]), group('readers', [READ_ONLY])], [`arn:aws:iam::${ACCOUNT}:group/admins`])],
    good: [collected('aws', [group('readers', [READ_ONLY]), group('ops', [{ PolicyName: 'ops', PolicyArn: policyArn('ops') }]), managedPolicy('ops', doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }))])],
  },
});

/** Roles AWS creates and manages (service-linked, IAM Identity Center permission sets): their admin access is by design. */
const awsManagedRole = (r: Resource): boolean => {
  const path = str(r.attrs['Path']) ?? '/';
  return path.startsWith('/aws-service-role/') || path.startsWith('/aws-reserved/');
};

export const roleAdmin = awsRule({
  id: 'VGL-AWS-218',
  title: 'IAM role has administrator access',
  description:
    'A role has AdministratorAccess (or a customer policy allowing "*" on "*") attached. Whoever its trust policy admits (a workload, a CI pipeline, another account) can do anything in the account. Service-linked roles and IAM Identity Center roles (/aws-service-role/, /aws-reserved/ paths) are exempt.',
  severity: 'medium',
  service: 'iam',
  frameworks: ADMIN_FRAMEWORKS,
  remediation: 'Replace AdministratorAccess with a policy listing what the role needs; keep full administrator roles few, for people, assumed with MFA.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html'],
  live: {
    kinds: [AWS_KINDS.role],
    check: adminAttached('role', awsManagedRole),
    cli: 'aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AdministratorAccess && aws iam attach-role-policy --role-name <role> --policy-arn <least-privilege-policy-arn>',
    console: 'IAM → Roles → the role → Permissions → remove AdministratorAccess → Add permissions → a least-privilege policy.',
    bad: [collected('aws', [liveRole('ci', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, undefined, { AttachedPolicies: [ADMIN] }), liveRole('app', { Service: 'ecs-tasks.amazonaws.com' })], [`arn:aws:iam::${ACCOUNT}:role/ci`])],
    good: [
      collected('aws', [
        liveRole('AWSReservedSSO_Admin_1a2b', { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO` }, undefined, { Path: '/aws-reserved/sso.amazonaws.com/', AttachedPolicies: [ADMIN] }),
        liveRole('reader', { Service: 'lambda.amazonaws.com' }, undefined, { AttachedPolicies: [READ_ONLY] }),
      ]),
    ],
  },
});

// VGL-AWS-219 ----------------------------------------------------------------------------------

const SUPPORT_POLICY = /^arn:aws[\w-]*:iam::aws:policy\/AWSSupportAccess$/;

function supportRole(r: Resource, ctx: RuleContext): Violation[] {
  const holders = [AWS_KINDS.role, AWS_KINDS.group, AWS_KINDS.user].flatMap((k) => sameScope(ctx, r, k));
  const has = holders.some((p) => list(p.attrs['AttachedPolicies']).some((a) => isObject(a) && SUPPORT_POLICY.test(str(a['PolicyArn']) ?? '')));
  if (has) return [];
  const unknown = unknownKinds(r, AWS_KINDS.role);
  if (unknown.length > 0) return unknown;
  const partial = holders.find((p) => p.kind === AWS_KINDS.role && needs(p, 'AttachedPolicies').length > 0);
  if (partial !== undefined) return [{ ...needs(partial, 'AttachedPolicies')[0]!, path: ['AttachedPolicies'] }];
  return [violation([], 'no role, group or user has the AWSSupportAccess policy: nobody can open and follow AWS Support cases without broader rights')];
}

export const supportRoleRule = awsRule({
  id: 'VGL-AWS-219',
  title: 'No IAM role for AWS Support',
  description:
    'No role (or group, or user) in the account has the AWS managed AWSSupportAccess policy. During an incident someone must open and follow AWS Support cases; without a dedicated role that is done with administrator or root credentials (CIS AWS Foundations 1.17).',
  severity: 'low',
  service: 'iam',
  frameworks: [cis('1.17'), nist('IR-4'), nist('IR-7'), csf('RS.MA-01'), iso('A.5.24'), soc2('CC7.4')],
  remediation: 'Create a role trusted by the incident responders, with AWSSupportAccess attached.',
  references: ['https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html'],
  live: {
    kinds: [AWS_KINDS.account, AWS_KINDS.role],
    check: (r, ctx) => (r.kind === AWS_KINDS.account ? supportRole(r, ctx) : []),
    cli: 'aws iam create-role --role-name aws-support --assume-role-policy-document file://<trust.json> && aws iam attach-role-policy --role-name aws-support --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess',
    console: 'IAM → Roles → Create role → AWS account (this account) → attach AWSSupportAccess → name it aws-support → Create role.',
    bad: [collected('aws', [accountRes(), liveRole('app', { Service: 'lambda.amazonaws.com' }, undefined, { AttachedPolicies: [READ_ONLY] })], [accountArn()])],
    good: [
      collected('aws', [accountRes(), liveRole('aws-support', { AWS: `arn:aws:iam::${ACCOUNT}:root` }, undefined, { AttachedPolicies: [{ PolicyName: 'AWSSupportAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' }] })]),
    ],
  },
});

// VGL-AWS-220 ----------------------------------------------------------------------------------

function accessAnalyzer(r: Resource, ctx: RuleContext): Violation[] {
  const active = sameScope(ctx, r, AWS_KINDS.analyzer, true).some((a) => (str(a.attrs['status']) ?? 'ACTIVE') === 'ACTIVE');
  if (active) return [];
  const unknown = unknownKinds(r, AWS_KINDS.analyzer);
  if (unknown.length > 0) return unknown;
  return [violation([], `IAM Access Analyzer has no active analyzer in ${r.region ?? 'this region'}`)];
}

const analyzer = (name: string, status: string, region?: string): ReturnType<typeof regional> =>
  regional('AWS::AccessAnalyzer::Analyzer', `arn:aws:access-analyzer:${region ?? 'eu-west-1'}:${ACCOUNT}:analyzer/${name}`, { name, type: 'ACCOUNT', status }, region);

export const accessAnalyzerRule = awsRule({
  id: 'VGL-AWS-220',
  title: 'IAM Access Analyzer not enabled in a region',
  description:
    'The region has no active IAM Access Analyzer, so resources shared outside the account or organisation (buckets, keys, roles, queues, snapshots) are not reported (CIS AWS Foundations 1.20).',
  severity: 'low',
  service: 'accessanalyzer',
  frameworks: [cis('1.20'), nist('AC-3'), nist('CA-7'), csf('ID.RA-01'), csf('DE.CM-09'), iso('A.5.15'), soc2('CC6.1'), pci('7.2.1')],
  remediation: 'Create an account (or organisation) analyzer in every enabled region.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html'],
  live: {
    kinds: [AWS_KINDS.region, AWS_KINDS.analyzer],
    check: (r, ctx) => (r.kind === AWS_KINDS.region ? accessAnalyzer(r, ctx) : []),
    cli: 'aws accessanalyzer create-analyzer --analyzer-name <account-analyzer> --type ACCOUNT --region <region>',
    console: 'IAM → Access analyzer (in the region) → Create analyzer → zone of trust: current account → Create analyzer.',
    bad: [
      collected('aws', [regionRes('eu-west-1'), regionRes('us-east-1'), analyzer('main', 'ACTIVE', 'us-east-1')], [regionArn('eu-west-1')]),
      collected('aws', [regionRes('eu-west-1'), analyzer('broken', 'FAILED')], [regionArn('eu-west-1')]),
    ],
    good: [collected('aws', [regionRes('eu-west-1'), analyzer('main', 'ACTIVE')])],
  },
});

// VGL-AWS-221 ----------------------------------------------------------------------------------

/** The account of an AWS principal (`123456789012`, `arn:aws:iam::123456789012:root|role/x|user/x`). */
function principalAccount(id: string): string | undefined {
  if (/^\d{12}$/.test(id)) return id;
  const parts = id.split(':');
  return parts.length >= 6 && parts[2] === 'iam' && /^\d{12}$/.test(parts[4] ?? '') ? parts[4] : undefined;
}

const TRUST_GUARDS = new Set(['sts:externalid', 'aws:multifactorauthpresent', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn', 'aws:sourceidentity']);

function crossAccountNoGuard(s: Statement, own: string | undefined): string[] {
  if (!isAllow(s) || s.conditions.some((c) => TRUST_GUARDS.has(c.key.toLowerCase()))) return [];
  return (s.principals ?? []).filter((p) => p.type === 'AWS' && p.id !== '*').map((p) => principalAccount(p.id)).filter((a): a is string => a !== undefined && a !== own);
}

function crossAccountTrust(r: Resource, ctx: RuleContext): Violation[] {
  const missing = needs(r, 'AssumeRolePolicyDocument');
  if (missing.length > 0) return missing;
  const own = r.account ?? principalAccount(str(r.attrs['Arn']) ?? '');
  return (policyStatements(r, ['AssumeRolePolicyDocument'], ctx) ?? []).flatMap((s) => {
    const others = [...new Set(crossAccountNoGuard(s, own))];
    return others.length === 0 ? [] : [violation(s.principalPath, `the role trusts account ${others.join(', ')} with no sts:ExternalId, MFA or organisation condition`)];
  });
}

export const crossAccountTrustRule = awsRule({
  id: 'VGL-AWS-221',
  title: 'Cross-account role trust without an external id or MFA condition',
  description:
    'The role trusts principals in another account with no sts:ExternalId, aws:MultiFactorAuthPresent, aws:PrincipalOrgID or aws:PrincipalArn condition. For a third party this is the confused-deputy problem (any of its customers could make it act on this account); for people it means no MFA on entry.',
  severity: 'medium',
  service: 'iam',
  frameworks: [nist('AC-3'), nist('AC-17'), nist('IA-2(1)'), csf('PR.AA-05'), iso('A.5.15'), iso('A.5.19'), soc2('CC6.1'), pci('8.4.2')],
  remediation: 'Add an sts:ExternalId condition for third parties (the id they give you), aws:MultiFactorAuthPresent for people, or aws:PrincipalOrgID for accounts of your organisation.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html'],
  live: {
    kinds: [AWS_KINDS.role],
    check: crossAccountTrust,
    cli: 'aws iam update-assume-role-policy --role-name <role> --policy-document file://<trust-with-sts-externalid-condition.json>',
    console: 'IAM → Roles → the role → Trust relationships → Edit trust policy → add a Condition on sts:ExternalId (or aws:MultiFactorAuthPresent) → Update policy.',
    bad: [
      collected('aws', [liveRole('vendor', { AWS: 'arn:aws:iam::444455556666:root' }), liveRole('local', { AWS: `arn:aws:iam::${ACCOUNT}:root` })], [`arn:aws:iam::${ACCOUNT}:role/vendor`]),
      collected('aws', [liveRole('partner', { AWS: ['444455556666'] })], [`arn:aws:iam::${ACCOUNT}:role/partner`]),
    ],
    good: [
      collected('aws', [
        liveRole('vendor', { AWS: 'arn:aws:iam::444455556666:root' }, { StringEquals: { 'sts:ExternalId': 'f00d' } }),
        liveRole('people', { AWS: 'arn:aws:iam::444455556666:root' }, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
        liveRole('service', { Service: 'ec2.amazonaws.com' }),
      ]),
    ],
  },
});

// VGL-AWS-222 ----------------------------------------------------------------------------------

function unattachedAdmin(r: Resource, ctx: RuleContext): Violation[] {
  if (isAttached(r)) return [];
  const missing = needs(r, 'PolicyVersion');
  if (missing.length > 0) return missing;
  return (policyStatements(r, ['PolicyVersion', 'Document'], ctx) ?? [])
    .filter(isFullAdmin)
    .map((s) => violation(s.path, 'the unattached policy allows "*" on "*": attaching it anywhere makes an administrator'));
}

export const unattachedAdminRule = awsRule({
  id: 'VGL-AWS-222',
  title: 'Unattached customer managed policy grants full administrator access',
  description:
    'A customer managed policy allowing "*" on "*" exists without being attached. It is one iam:Attach*Policy call away from making any principal an administrator, and is easy to reuse by mistake.',
  severity: 'low',
  service: 'iam',
  frameworks: [nist('AC-6'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.3'), pci('7.2.1')],
  remediation: 'Delete the policy, or narrow it to what it was meant for.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html'],
  live: {
    kinds: [AWS_KINDS.managedPolicy],
    check: unattachedAdmin,
    cli: 'aws iam delete-policy --policy-arn <policy-arn>  # delete non-default versions first: aws iam delete-policy-version',
    console: 'IAM → Policies → filter "Customer managed" → the policy → Delete.',
    bad: [collected('aws', [managedPolicy('spare-admin', doc({ Effect: 'Allow', Action: '*', Resource: '*' }), 0), managedPolicy('ops', doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }), 0)], [policyArn('spare-admin')])],
    good: [collected('aws', [managedPolicy('admin-in-use', doc({ Effect: 'Allow', Action: '*', Resource: '*' }), 2)])],
  },
});

// VGL-AWS-223 ----------------------------------------------------------------------------------

/** Server certificates whose Expiration is past (at evaluation time: certificates expire in real time, not as of a report). */
function expiredCertificates(r: Resource): Violation[] {
  const missing = needs(r, 'ServerCertificates');
  if (missing.length > 0) return missing;
  const now = Date.now();
  return list(r.attrs['ServerCertificates']).flatMap((c, i) => {
    const expires = isObject(c) ? time(c['Expiration']) : undefined;
    if (expires === undefined || expires > now) return [];
    const name = isObject(c) ? (str(c['ServerCertificateName']) ?? '?') : '?';
    return [violation(['ServerCertificates', i, 'Expiration'], `the server certificate ${name} expired on ${new Date(expires).toISOString().slice(0, 10)}`)];
  });
}

const SUMMARY_ARN = `arn:aws:iam::${ACCOUNT}:account-summary`;
const SAML = { Arn: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_0a1b2c_DO_NOT_DELETE`, CreateDate: '2024-01-01T00:00:00.000Z' };
const summary = (certs: unknown[], users = 3, saml: unknown[] = [SAML]): ReturnType<typeof global> =>
  global('AWS::IAM::AccountSummary', SUMMARY_ARN, { SummaryMap: { AccountMFAEnabled: 1, Users: users, ServerCertificates: certs.length }, ServerCertificates: certs, SAMLProviders: saml });
const cert = (name: string, expiration: string): Record<string, unknown> => ({
  ServerCertificateName: name,
  ServerCertificateId: `ASCA${name.toUpperCase()}`,
  Arn: `arn:aws:iam::${ACCOUNT}:server-certificate/${name}`,
  Path: '/',
  UploadDate: '2019-01-01T00:00:00.000Z',
  Expiration: expiration,
});

export const expiredServerCertificates = awsRule({
  id: 'VGL-AWS-223',
  title: 'Expired SSL/TLS certificates stored in IAM',
  description:
    'IAM holds server certificates past their expiry date. Deployed by mistake on a load balancer or CloudFront they break TLS for clients (or teach them to click through warnings), and they are clutter that hides the certificates still in use (CIS AWS Foundations 1.19).',
  severity: 'medium',
  service: 'iam',
  frameworks: [cis('1.19'), nist('SC-12'), nist('SC-17'), csf('PR.DS-02'), iso('A.8.24'), soc2('CC6.7'), pci('4.2.1')],
  remediation: 'Delete expired server certificates from IAM (after checking nothing references them); manage certificates with ACM, which renews them.',
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html'],
  live: {
    kinds: [AWS_KINDS.accountSummary],
    check: expiredCertificates,
    cli: 'aws iam delete-server-certificate --server-certificate-name <name>',
    console: 'IAM server certificates have no console page: list them with aws iam list-server-certificates and delete the expired ones.',
    bad: [collected('aws', [summary([cert('old-site', '2020-01-01T00:00:00.000Z'), cert('site', '2099-01-01T00:00:00.000Z')])], [SUMMARY_ARN])],
    good: [collected('aws', [summary([cert('site', '2099-01-01T00:00:00.000Z')])]), collected('aws', [summary([])])],
  },
});

// VGL-AWS-224 ----------------------------------------------------------------------------------

const CLOUDSHELL_FULL = /^arn:aws[a-z-]*:iam::aws:policy\/AWSCloudShellFullAccess$/;

function cloudShellFull(r: Resource): Violation[] {
  const missing = needs(r, 'AttachedPolicies');
  if (missing.length > 0) return missing;
  return list(r.attrs['AttachedPolicies']).flatMap((a, i) =>
    isObject(a) && CLOUDSHELL_FULL.test(str(a['PolicyArn']) ?? '') ? [violation(['AttachedPolicies', i], 'AWSCloudShellFullAccess is attached: file upload and download through CloudShell bypasses data-loss controls')] : [],
  );
}

const CLOUDSHELL = { PolicyName: 'AWSCloudShellFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSCloudShellFullAccess' };

export const cloudShellFullAccess = awsRule({
  id: 'VGL-AWS-224',
  title: 'AWSCloudShellFullAccess attached',
  description:
    'A user, group or role has the AWS managed AWSCloudShellFullAccess policy, which allows uploading and downloading files through CloudShell and using it as a workstation inside the account: an exfiltration path that bypasses network controls (CIS AWS Foundations 1.22).',
  severity: 'medium',
  service: 'iam',
  frameworks: [cis('1.22'), nist('AC-6'), nist('SC-7'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.3'), pci('7.2.2')],
  remediation: 'Detach AWSCloudShellFullAccess; grant a custom policy without cloudshell:PutFileUpload / GetFileDownload to those who need CloudShell.',
  references: ['https://docs.aws.amazon.com/cloudshell/latest/userguide/sec-auth-with-identities.html'],
  live: {
    kinds: [AWS_KINDS.user, AWS_KINDS.group, AWS_KINDS.role],
    check: cloudShellFull,
    cli: 'aws iam detach-group-policy --group-name <group> --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess  # detach-user-policy / detach-role-policy likewise',
    console: 'IAM → Policies → AWSCloudShellFullAccess → Entities attached → select all → Detach.',
    bad: [collected('aws', [group('shell', [CLOUDSHELL]), group('readers', [READ_ONLY])], [`arn:aws:iam::${ACCOUNT}:group/shell`])],
    good: [collected('aws', [group('readers', [READ_ONLY]), liveRole('app', { Service: 'lambda.amazonaws.com' })])],
  },
});

// VGL-AWS-225 ----------------------------------------------------------------------------------

function federation(r: Resource): Violation[] {
  const missing = needs(r, 'SAMLProviders');
  if (missing.length > 0) return missing;
  if (r.attrs['SAMLProviders'] === undefined || list(r.attrs['SAMLProviders']).length > 0) return [];
  const users = num(at(r.attrs, ['SummaryMap', 'Users']));
  return users !== undefined && users > 0 ? [violation(['SAMLProviders'], `the account has ${users} IAM users and no SAML identity provider: people sign in with per-account IAM credentials`)] : [];
}

export const centralIdentity = awsRule({
  id: 'VGL-AWS-225',
  title: 'IAM users without identity federation',
  description:
    'The account has IAM users and no SAML identity provider (IAM Identity Center creates one per assigned account). People then hold long-lived credentials per account, and joiners and leavers are handled account by account instead of in one directory (CIS AWS Foundations 1.21).',
  severity: 'low',
  service: 'iam',
  frameworks: [cis('1.21'), nist('AC-2(1)'), nist('IA-2'), csf('PR.AA-01'), iso('A.5.16'), soc2('CC6.2'), pci('8.2.1')],
  remediation: 'Give people access through IAM Identity Center (or a SAML identity provider) and retire their IAM users.',
  references: ['https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_saml.html'],
  live: {
    kinds: [AWS_KINDS.accountSummary],
    check: federation,
    cli: 'aws sso-admin list-instances  # enable IAM Identity Center in the management account, then assign permission sets to this account',
    console: 'IAM Identity Center → Enable → connect the identity source → AWS accounts → assign users or groups with permission sets.',
    bad: [collected('aws', [summary([], 4, [])], [SUMMARY_ARN])],
    good: [collected('aws', [summary([], 4)]), collected('aws', [summary([], 0, [])])],
  },
});

export const iamAccountRules: readonly Rule[] = [centralIdentity, cloudShellFullAccess, groupAdmin, roleAdmin, supportRoleRule, accessAnalyzerRule, crossAccountTrustRule, unattachedAdminRule, expiredServerCertificates];
