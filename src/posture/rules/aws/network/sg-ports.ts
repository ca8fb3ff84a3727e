/**
 * VGL-AWS-300…327: a collected security group lets 0.0.0.0/0 or ::/0 reach a service of the
 * table in ports.ts (one rule per service, built here).
 */
import type { FrameworkControl } from '../../../frameworks.js';
import type { Rule } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected } from '../../shared/live.js';
import { awsRule, cis, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { perm, sg, sgArn } from './examples.js';
import { EXPOSED_SERVICES, firstPort, reaches, type ExposedService } from './ports.js';
import { liveOpenPorts } from './sg-live.js';

export function serviceFrameworks(s: ExposedService, extra: readonly FrameworkControl[] = []): FrameworkControl[] {
  return [
    ...(s.cis ?? []).map(cis),
    nist('SC-7'),
    nist('CM-7'),
    ...(s.admin ? [nist('AC-17')] : []),
    ...extra,
    csf('PR.IR-01'),
    iso('A.8.20'),
    iso('A.8.22'),
    soc2('CC6.6'),
    pci('1.3.1'),
    pci('1.4.1'),
  ];
}

function sgPortRule(s: ExposedService, id: string): Rule {
  const port = firstPort(s);
  const protocol = s.protocols[0] ?? 'tcp';
  return awsRule({
    id,
    title: `Security group allows ${s.name} from the internet`,
    description: `An inbound rule of the security group lets 0.0.0.0/0 or ::/0 reach ${s.name} (directly, through a port range, or with all traffic allowed): ${s.why}. Anything attached to the group is exposed.`,
    severity: s.severity,
    service: 'ec2',
    frameworks: serviceFrameworks(s),
    remediation: `Remove the 0.0.0.0/0 and ::/0 sources for ${s.name}; allow only the networks or security groups that need the service (a VPN, a bastion, the application tier).`,
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html', 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19'],
    live: {
      kinds: [AWS_KINDS.securityGroup],
      check: liveOpenPorts(s.name, (rule) => reaches(rule, s)),
      cli: `aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=${protocol},FromPort=${port},ToPort=${port},IpRanges=[{CidrIp=0.0.0.0/0}] --region <region>`,
      console: `EC2 → Security Groups → the group → Inbound rules → Edit inbound rules → remove or narrow the 0.0.0.0/0 and ::/0 sources on ${s.name} → Save rules.`,
      bad: [
        collected('aws', [sg('sg-0exact', [perm(protocol, port, port)]), sg('sg-0range', [perm(protocol, port - 1, port + 1, ['::/0'])]), sg('sg-0all', [perm('-1', undefined, undefined)])], [
          sgArn('sg-0exact'),
          sgArn('sg-0range'),
          sgArn('sg-0all'),
        ]),
      ],
      good: [
        collected('aws', [
          sg('sg-0private', [perm(protocol, port, port, ['10.0.0.0/8', '2001:db8::/32'])]),
          sg('sg-0web', [perm('tcp', 443, 443)]),
          sg('sg-0peer', [{ ...perm(protocol, port, port, []), UserIdGroupPairs: [{ GroupId: 'sg-0app' }] }]),
          // Another protocol on the same port number is another service.
          sg('sg-0icmp', [perm('icmp', 8, -1)]),
        ]),
      ],
    },
  });
}

export const sgPortRules: readonly Rule[] = EXPOSED_SERVICES.flatMap((s) => (s.sg === undefined ? [] : [sgPortRule(s, s.sg)]));
