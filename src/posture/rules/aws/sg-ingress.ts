/**
 * Security group ingress from the whole internet (0.0.0.0/0 or ::/0): VGL-AWS-023 SSH (22),
 * VGL-AWS-024 RDP (3389), VGL-AWS-025 every port (CIS AWS 5.2 / 5.3), VGL-AWS-026 any port but
 * the web ones (80, 443). The port rules report the security group (or rule resource); the
 * broad rule reports the CIDR attribute, where the fix goes.
 */
import type { Resource, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { coversAllPorts, coversPort, INGRESS_KINDS, ingressRules, openCidrs, type Ingress } from './lib/network.js';
import { allPortsLive, internetIngressLive, rdpLive, sshLive } from './network/sg-live.js';

const REFERENCES = [
  'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  `${TF_DOCS}/security_group`,
  `${TF_DOCS}/vpc_security_group_ingress_rule`,
  `${CFN_DOCS}/aws-resource-ec2-securitygroup.html`,
];

function describe(rule: Ingress): string {
  const where = rule.path.length === 0 ? 'the rule' : `ingress ${rule.path.join('.')}`;
  const ports = rule.protocol === 'all' ? 'all traffic' : rule.from === rule.to ? `${rule.protocol} ${rule.from}` : `${rule.protocol} ${rule.from}-${rule.to}`;
  return `${where} (${ports})`;
}

/** One violation per resource, at the resource, naming the offending rules. */
function portCheck(name: string, hits: (rule: Ingress) => boolean) {
  return (r: Resource): Violation[] => {
    const open = ingressRules(r).filter((rule) => openCidrs(rule).length > 0 && hits(rule));
    if (open.length === 0) return [];
    return [violation([], `${open.map(describe).join(', ')} lets the whole internet reach ${name}`)];
  };
}

const FRAMEWORKS = [nist('SC-7'), nist('AC-17'), nist('CM-7'), csf('PR.IR-01'), iso('A.8.20'), iso('A.8.22'), soc2('CC6.6'), pci('1.3.1'), pci('1.4.1')];
const SSH = portCheck('SSH (port 22)', (rule) => coversPort(rule, 22));
const RDP = portCheck('RDP (port 3389)', (rule) => coversPort(rule, 3389, ['tcp', 'udp']));
const ALL = portCheck('every port', coversAllPorts);

export const sgOpenSsh = awsRule({
  id: 'VGL-AWS-023',
  title: 'Security group allows SSH from the internet',
  description:
    'An ingress rule lets 0.0.0.0/0 or ::/0 reach TCP port 22 (directly, through a port range, or with all protocols). SSH exposed to the internet is scanned and brute-forced within minutes of launch (CIS AWS Foundations 5.2 and 5.3).',
  severity: 'high',
  service: 'ec2',
  kinds: [...INGRESS_KINDS],
  frameworks: [cis('5.2'), cis('5.3'), ...FRAMEWORKS],
  remediation: 'Allow SSH only from known administration ranges or a bastion security group, or drop it for Session Manager.',
  fix: {
    terraform: 'ingress {\n  description = "SSH from the admin VPN"\n  from_port   = 22\n  to_port     = 22\n  protocol    = "tcp"\n  cidr_blocks = ["10.20.0.0/16"]\n}',
    cloudformation: '- IpProtocol: tcp\n  FromPort: 22\n  ToPort: 22\n  CidrIp: 10.20.0.0/16\n  Description: SSH from the admin VPN',
  },
  references: REFERENCES,
  terraform: SSH,
  cloudformation: SSH,
  live: sshLive,
  bad: [
    tf(`
resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion host"
  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`, [1]),
    cfn(`
Resources:
  SshIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: tcp
      FromPort: 20
      ToPort: 25
      CidrIpv6: "::/0"
`, [4]),
  ],
  good: [
    tf(`
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "10.20.0.0/16"
}`),
    cfn(`
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
`),
  ],
});

export const sgOpenRdp = awsRule({
  id: 'VGL-AWS-024',
  title: 'Security group allows RDP from the internet',
  description:
    'An ingress rule lets 0.0.0.0/0 or ::/0 reach port 3389 (TCP or UDP, directly, through a range, or with all protocols). Internet-facing RDP is a leading ransomware entry point (CIS AWS Foundations 5.2 and 5.3).',
  severity: 'high',
  service: 'ec2',
  kinds: [...INGRESS_KINDS],
  frameworks: [cis('5.2'), cis('5.3'), ...FRAMEWORKS],
  remediation: 'Allow RDP only from known administration ranges, or use Session Manager port forwarding / Fleet Manager instead.',
  fix: {
    terraform: 'ingress {\n  description = "RDP from the admin VPN"\n  from_port   = 3389\n  to_port     = 3389\n  protocol    = "tcp"\n  cidr_blocks = ["10.20.0.0/16"]\n}',
    cloudformation: '- IpProtocol: tcp\n  FromPort: 3389\n  ToPort: 3389\n  CidrIp: 10.20.0.0/16\n  Description: RDP from the admin VPN',
  },
  references: REFERENCES,
  terraform: RDP,
  cloudformation: RDP,
  live: rdpLive,
  bad: [
    tf(`
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = "sg-0123456789abcdef0"
}`, [1]),
    cfn(`
Resources:
  Windows:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: windows hosts
      SecurityGroupIngress:
        - IpProtocol: "-1"
          CidrIp: 0.0.0.0/0
`, [4]),
  ],
  good: [
    tf(`
resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["10.20.0.0/16"]
  security_group_id = "sg-0123456789abcdef0"
}`),
    cfn(`
Resources:
  Windows:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: windows hosts
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 3389
          ToPort: 3389
          SourceSecurityGroupId: sg-0123456789abcdef0
`),
  ],
});

export const sgOpenAllPorts = awsRule({
  id: 'VGL-AWS-025',
  title: 'Security group allows all traffic from the internet',
  description:
    'An ingress rule lets 0.0.0.0/0 or ::/0 in on every protocol (-1) or the whole TCP/UDP port range. Every service the instances run, including ones nobody meant to publish, is exposed (CIS AWS Foundations 5.2 and 5.3).',
  severity: 'critical',
  service: 'ec2',
  kinds: [...INGRESS_KINDS],
  frameworks: [cis('5.2'), cis('5.3'), ...FRAMEWORKS],
  remediation: 'Open only the ports the service needs, and only to the sources that need them.',
  fix: {
    terraform: 'ingress {\n  description = "HTTPS"\n  from_port   = 443\n  to_port     = 443\n  protocol    = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}',
    cloudformation: '- IpProtocol: tcp\n  FromPort: 443\n  ToPort: 443\n  CidrIp: 0.0.0.0/0\n  Description: HTTPS',
  },
  references: REFERENCES,
  terraform: ALL,
  cloudformation: ALL,
  live: allPortsLive,
  bad: [
    tf(`
resource "aws_security_group" "wide" {
  name        = "wide"
  description = "wide open"
  ingress {
    description = "everything"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`, [1]),
    cfn(`
Resources:
  Wide:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: tcp
      FromPort: 0
      ToPort: 65535
      CidrIp: 0.0.0.0/0
`, [4]),
  ],
  good: [
    tf(`
resource "aws_security_group" "internal" {
  name        = "internal"
  description = "internal traffic"
  ingress {
    description = "everything from the VPC"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.0.0.0/16"]
  }
}`),
    cfn(`
Resources:
  Web:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 0.0.0.0/0
`),
  ],
});

// VGL-AWS-026 ----------------------------------------------------------------------------------

/** A rule for exactly port 80 or 443 over TCP: how public web endpoints are meant to be opened. */
function webOnly(rule: Ingress): boolean {
  return rule.protocol === 'tcp' && rule.from !== undefined && rule.from === rule.to && (rule.from === 80 || rule.from === 443);
}

function internetIngress(r: Resource): Violation[] {
  return ingressRules(r)
    .filter((rule) => !webOnly(rule))
    .flatMap((rule) => {
      const open = openCidrs(rule);
      const first = open[0];
      return first === undefined ? [] : [violation(first.path, `${describe(rule)} accepts ${open.map((c) => String(c.value)).join(', ')}`)];
    });
}

export const sgInternetIngress = awsRule({
  id: 'VGL-AWS-026',
  title: 'Security group allows ingress from the internet to a non-web port',
  description:
    'An ingress rule accepts 0.0.0.0/0 or ::/0 on a port other than HTTP (80) or HTTPS (443), or on ports the code does not fix (a module default CIDR list). Databases, caches, admin consoles and custom services should not face the whole internet.',
  severity: 'medium',
  service: 'ec2',
  kinds: [...INGRESS_KINDS],
  frameworks: [nist('SC-7'), nist('CM-7'), csf('PR.IR-01'), iso('A.8.20'), iso('A.8.22'), soc2('CC6.6'), pci('1.3.1')],
  remediation: 'Restrict the source to the networks or security groups that need the service; put public services behind a load balancer on 80/443.',
  fix: {
    terraform: 'ingress {\n  description     = "MySQL from the app tier"\n  from_port       = 3306\n  to_port         = 3306\n  protocol        = "tcp"\n  security_groups = [aws_security_group.app.id]\n}',
    cloudformation: '- IpProtocol: tcp\n  FromPort: 3306\n  ToPort: 3306\n  SourceSecurityGroupId: !Ref AppSecurityGroup\n  Description: MySQL from the app tier',
  },
  references: REFERENCES,
  terraform: internetIngress,
  cloudformation: internetIngress,
  live: internetIngressLive,
  bad: [
    tf(`
resource "aws_security_group" "db" {
  name        = "db"
  description = "database"
  ingress {
    description = "MySQL"
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`, [9]),
    cfn(`
Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 0.0.0.0/0
`, [10]),
  ],
  good: [
    tf(`
resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`),
    cfn(`
Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.0.0.0/16
`),
  ],
});
