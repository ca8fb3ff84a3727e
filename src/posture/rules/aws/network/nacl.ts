/**
 * Network ACLs (CIS AWS 5.1): VGL-AWS-350 all traffic, VGL-AWS-351 SSH, VGL-AWS-352 RDP let in
 * from 0.0.0.0/0 or ::/0 (Prowler's ec2_networkacl_allow_ingress_*), one builder over a small
 * table; VGL-AWS-353 a custom ACL associated with no subnet (ec2_networkacl_unused).
 *
 * An ACL is evaluated in rule-number order and the first entry that matches decides. Traffic
 * from an arbitrary internet address matches only entries whose CIDR is the whole internet, so
 * the first such inbound entry covering the port decides: allow is a finding, deny is not.
 */
import { str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected } from '../../shared/live.js';
import { awsRule, cis, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { aclEntries, coversAllPorts, openCidrs, type AclEntry } from '../lib/network.js';
import { aclArn, aclEntry, nacl } from './examples.js';

interface AclConcern {
  readonly id: string;
  readonly name: string;
  /** Undefined: every port of every protocol. */
  readonly port?: number;
  readonly severity: 'high' | 'medium';
}

const CONCERNS: readonly AclConcern[] = [
  { id: 'VGL-AWS-350', name: 'all traffic', severity: 'medium' },
  { id: 'VGL-AWS-351', name: 'SSH (22)', port: 22, severity: 'medium' },
  { id: 'VGL-AWS-352', name: 'RDP (3389)', port: 3389, severity: 'medium' },
];

function matches(e: AclEntry, port: number | undefined): boolean {
  if (e.protocol === undefined || e.from === undefined || e.to === undefined) return false;
  if (port === undefined) return coversAllPorts(e);
  if (e.protocol !== 'all' && e.protocol !== 'tcp' && e.protocol !== 'udp') return false;
  return e.from <= port && port <= e.to;
}

/** The entry that decides for internet traffic to `port`, if it allows. */
export function internetAllow(r: Resource, port: number | undefined): AclEntry | undefined {
  const inbound = aclEntries(r.attrs)
    .filter((e) => !e.egress && e.ruleNumber !== undefined && openCidrs(e).length > 0)
    .sort((a, b) => (a.ruleNumber ?? 0) - (b.ruleNumber ?? 0));
  const decisive = inbound.find((e) => matches(e, port));
  return decisive?.allow === true ? decisive : undefined;
}

function aclRule(c: AclConcern): Rule {
  const protocol = c.port === undefined ? '-1' : '6';
  const range = c.port === undefined ? undefined : ([c.port, c.port] as const);
  return awsRule({
    id: c.id,
    title: `Network ACL allows ${c.name} from the internet`,
    description: `The first inbound entry of the network ACL that internet traffic to ${c.name} meets allows 0.0.0.0/0 or ::/0. Network ACLs are the subnet-wide, stateless layer under security groups; CIS AWS Foundations 5.1 wants remote administration ports closed there too, so one permissive security group does not expose the subnet.`,
    severity: c.severity,
    service: 'vpc',
    frameworks: [cis('5.1'), nist('SC-7'), nist('AC-17'), csf('PR.IR-01'), iso('A.8.20'), iso('A.8.22'), soc2('CC6.6'), pci('1.3.1')],
    remediation: `Add a lower-numbered deny entry for ${c.name} from 0.0.0.0/0 and ::/0, or replace the allow entry by one for the networks that need it.`,
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html', 'https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html'],
    live: {
      kinds: [AWS_KINDS.networkAcl],
      check: (r) => {
        const entry = internetAllow(r, c.port);
        return entry === undefined ? [] : [violation(entry.path, `entry ${entry.ruleNumber ?? '?'} allows ${c.name} from ${openCidrs(entry).map((x) => String(x.value)).join(', ')}`)];
      },
      cli: `aws ec2 create-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <number below the allow entry> --protocol ${protocol}${c.port === undefined ? '' : ` --port-range From=${c.port},To=${c.port}`} --cidr-block 0.0.0.0/0 --rule-action deny --region <region>`,
      console: `VPC → Network ACLs → the ACL → Inbound rules → Edit inbound rules → add a deny rule for ${c.name} from 0.0.0.0/0 numbered before the allow rule (or narrow the allow) → Save changes.`,
      bad: [
        collected('aws', [
          nacl('acl-0open', [aclEntry(100, '-1', 'allow')]),
          nacl('acl-0v6', [aclEntry(90, '-1', 'deny', '10.0.0.0/8'), aclEntry(110, '-1', 'allow', '::/0')]),
        ], [aclArn('acl-0open'), aclArn('acl-0v6')]),
      ],
      good: [
        collected('aws', [
          // A lower-numbered deny decides first.
          nacl('acl-0deny', [aclEntry(50, c.port === undefined ? '-1' : '6', 'deny', '0.0.0.0/0', range), aclEntry(100, '-1', 'allow', '0.0.0.0/0')]),
          nacl('acl-0web', [aclEntry(100, '6', 'allow', '0.0.0.0/0', [443, 443]), aclEntry(110, '-1', 'allow', '10.0.0.0/8')]),
          nacl('acl-0egress', [aclEntry(100, '-1', 'allow', '0.0.0.0/0', undefined, true)]),
        ]),
      ],
    },
  });
}

// VGL-AWS-353 ---------------------------------------------------------------------------------

function unusedAcl(r: Resource): Violation[] {
  if (r.attrs['IsDefault'] === true) return [];
  const assoc = r.attrs['Associations'];
  if (!Array.isArray(assoc) || assoc.length > 0) return [];
  return [violation(['Associations'], `network ACL ${str(r.attrs['NetworkAclId']) ?? ''} is associated with no subnet`)];
}

const unusedAclRule = awsRule({
  id: 'VGL-AWS-353',
  title: 'Network ACL not associated with any subnet',
  description:
    'A custom network ACL protects nothing: no subnet uses it. Leftover ACLs clutter reviews and carry stale entries that take effect the day someone associates them (Prowler ec2_networkacl_unused).',
  severity: 'low',
  service: 'vpc',
  frameworks: [nist('CM-7'), nist('CM-8'), csf('ID.AM-03'), iso('A.8.20'), soc2('CC6.6'), pci('1.2.7')],
  remediation: 'Associate the ACL with the subnets it was meant for, or delete it.',
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html'],
  live: {
    kinds: [AWS_KINDS.networkAcl],
    check: unusedAcl,
    cli: 'aws ec2 delete-network-acl --network-acl-id <acl-id> --region <region>',
    console: 'VPC → Network ACLs → the ACL (Associated with: 0 subnets) → Actions → Delete network ACLs.',
    bad: [collected('aws', [nacl('acl-0idle', [], { Associations: [] }), nacl('acl-0used', [])], [aclArn('acl-0idle')])],
    good: [collected('aws', [nacl('acl-0default', [], { IsDefault: true, Associations: [] }), nacl('acl-0used', [])])],
  },
});

export const naclRules: readonly Rule[] = [...CONCERNS.map(aclRule), unusedAclRule];
