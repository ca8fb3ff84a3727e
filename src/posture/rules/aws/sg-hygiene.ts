/**
 * VGL-AWS-027: security groups and their rules without a description; VGL-AWS-028: a VPC whose
 * default security group is not emptied (CIS AWS 5.4). Terraform only for 028: a template
 * cannot manage the default group of the VPC it creates.
 */
import { blocks, str } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { linked, referencedBy } from './lib/links.js';
import { defaultGroupLive, descriptionsLive } from './network/sg-live.js';

// VGL-AWS-027 ----------------------------------------------------------------------------------

function blank(v: unknown): boolean {
  const s = str(v);
  return s === undefined || s.trim() === '' || s === 'Managed by Terraform';
}

function descriptionsTf(r: Resource): Violation[] {
  if (r.kind !== 'tf:aws_security_group') return blank(r.attrs['description']) ? [violation(['description'], 'the rule has no description')] : [];
  const out = blank(r.attrs['description']) ? [violation(['description'], 'the security group has no description (Terraform writes "Managed by Terraform")')] : [];
  for (const kind of ['ingress', 'egress'] as const) {
    for (const [i, b] of blocks(r.attrs[kind]).entries()) {
      if (blank(b['description'])) out.push(violation([kind, i, 'description'], `${kind} rule ${i} has no description`));
    }
  }
  return out;
}

function descriptionsCfn(r: Resource): Violation[] {
  if (r.kind !== 'cfn:AWS::EC2::SecurityGroup') return blank(r.attrs['Description']) ? [violation(['Description'], 'the rule has no description')] : [];
  const out: Violation[] = [];
  for (const kind of ['SecurityGroupIngress', 'SecurityGroupEgress'] as const) {
    const rules = r.attrs[kind];
    for (const [i, b] of blocks(rules).entries()) {
      if (blank(b['Description'])) out.push(violation([kind, ...(Array.isArray(rules) ? [i] : []), 'Description'], `${kind} rule ${i} has no description`));
    }
  }
  return out;
}

export const sgDescriptions = awsRule({
  id: 'VGL-AWS-027',
  title: 'Security group or rule without a description',
  description:
    'A security group (beyond Terraform\'s placeholder "Managed by Terraform") or one of its rules has no description. Reviewers and incident responders then cannot tell why a port is open or whether it still needs to be, and stale openings stay.',
  severity: 'low',
  service: 'ec2',
  kinds: [
    'tf:aws_security_group',
    'tf:aws_security_group_rule',
    'tf:aws_vpc_security_group_ingress_rule',
    'tf:aws_vpc_security_group_egress_rule',
    'cfn:AWS::EC2::SecurityGroup',
    'cfn:AWS::EC2::SecurityGroupIngress',
    'cfn:AWS::EC2::SecurityGroupEgress',
  ],
  frameworks: [nist('CM-8'), nist('SC-7'), csf('ID.AM-03'), iso('A.8.20'), soc2('CC6.6'), pci('1.2.7')],
  remediation: 'Describe every security group and rule: what it allows, for whom, and why.',
  fix: {
    terraform: 'description = "HTTPS from the public load balancer"',
    cloudformation: 'Description: HTTPS from the public load balancer',
  },
  references: [`${TF_DOCS}/security_group#description`, `${CFN_DOCS}/aws-properties-ec2-security-group-rule.html`],
  terraform: descriptionsTf,
  cloudformation: descriptionsCfn,
  live: descriptionsLive,
  bad: [
    tf(`
resource "aws_security_group" "app" {
  name = "app"
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}`, [1, 3]),
    cfn(`
Resources:
  AppIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      CidrIp: 10.0.0.0/16
`, [4]),
  ],
  good: [
    tf(`
resource "aws_security_group" "app" {
  name        = "app"
  description = "Application servers"
  ingress {
    description = "App port from the VPC"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}`),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Application servers
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8080
          ToPort: 8080
          CidrIp: 10.0.0.0/16
          Description: App port from the VPC
`),
  ],
});

// VGL-AWS-028 ----------------------------------------------------------------------------------

const RULE_RESOURCES = ['tf:aws_security_group_rule', 'tf:aws_vpc_security_group_ingress_rule', 'tf:aws_vpc_security_group_egress_rule'] as const;

/** Rules a default security group ends up with: its inline blocks and rule resources attached to it. */
function defaultGroupRules(sg: Resource, ctx: RuleContext): string[] {
  const inline = ['ingress', 'egress'].filter((k) => blocks(sg.attrs[k]).length > 0).map((k) => `${k} blocks`);
  const attached = RULE_RESOURCES.flatMap((kind) => linked(ctx, sg, kind, 'security_group_id', ['id']).map((r) => r.id));
  return [...inline, ...attached];
}

function defaultGroupTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:aws_vpc') {
    const groups = linked(ctx, r, 'tf:aws_default_security_group', 'vpc_id', ['id']);
    if (groups.length === 0) return [violation([], 'no aws_default_security_group empties the default security group, which keeps AWS\'s allow-all egress and intra-group ingress')];
    return groups.flatMap((sg) => {
      const rules = defaultGroupRules(sg, ctx);
      return rules.length === 0 ? [] : [violation([], `the default security group (${sg.id}) still has rules: ${rules.join(', ')}`)];
    });
  }
  // A default group whose VPC is not in the scan is judged on its own.
  const vpcInScan = ctx.byKind('tf:aws_vpc').some((vpc) => linked(ctx, vpc, 'tf:aws_default_security_group', 'vpc_id', ['id']).includes(r));
  if (vpcInScan) return [];
  const rules = defaultGroupRules(r, ctx);
  return rules.length === 0 ? [] : [violation([], `the default security group still has rules: ${rules.join(', ')}`)];
}

export const vpcDefaultSecurityGroup = awsRule({
  id: 'VGL-AWS-028',
  title: 'VPC default security group does not restrict all traffic',
  description:
    "The VPC's default security group keeps rules: AWS creates it allowing all egress and all traffic between its members, and anything launched without a group lands in it. CIS AWS Foundations 5.4 wants it empty; Terraform empties it with an aws_default_security_group without rules.",
  severity: 'medium',
  service: 'ec2',
  kinds: ['tf:aws_vpc', 'tf:aws_default_security_group'],
  frameworks: [cis('5.4'), nist('SC-7'), nist('AC-4'), csf('PR.IR-01'), iso('A.8.22'), soc2('CC6.6'), pci('1.2.1')],
  remediation: 'Manage the default security group with an aws_default_security_group that has no ingress or egress, and give every resource its own group.',
  fix: { terraform: 'resource "aws_default_security_group" "default" {\n  vpc_id = aws_vpc.main.id\n  # no ingress or egress: all traffic denied\n}' },
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html', `${TF_DOCS}/default_security_group`],
  terraform: defaultGroupTf,
  live: defaultGroupLive,
  bad: [
    tf(`
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}`, [1]),
    tf(`
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`, [1]),
  ],
  good: [
    tf(`
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}`),
  ],
});

// VGL-AWS-050 ----------------------------------------------------------------------------------

/** Kinds whose references to a group do not attach it to anything (rules, other groups, lookups). */
const NOT_ATTACHING = new Set<string>([
  'tf:aws_security_group',
  'tf:aws_default_security_group',
  'tf:aws_security_group_rule',
  'tf:aws_vpc_security_group_ingress_rule',
  'tf:aws_vpc_security_group_egress_rule',
  'cfn:AWS::EC2::SecurityGroup',
  'cfn:AWS::EC2::SecurityGroupIngress',
  'cfn:AWS::EC2::SecurityGroupEgress',
]);

function unattached(r: Resource, ctx: RuleContext): Violation[] {
  const users = referencedBy(ctx, r).filter((x) => !NOT_ATTACHING.has(x.kind) && !x.kind.startsWith('tf:data.'));
  return users.length > 0 ? [] : [violation([], 'nothing in the code uses this security group')];
}

export const sgUnattached = awsRule({
  id: 'VGL-AWS-050',
  title: 'Security group not attached to any resource',
  description:
    'No instance, load balancer, function, database, endpoint or other resource in the code uses the security group. Unused groups pile up with stale openings that apply the day someone attaches them, and blur the review of the groups that matter. A group only used outside the scanned code (passed out through a module output) is reported too: suppress it with that reason.',
  severity: 'low',
  service: 'ec2',
  kinds: ['tf:aws_security_group', 'cfn:AWS::EC2::SecurityGroup'],
  frameworks: [nist('CM-7'), nist('CM-8'), csf('ID.AM-03'), iso('A.8.9'), soc2('CC6.6')],
  remediation: 'Attach the group where it is needed or delete it.',
  fix: { terraform: 'vpc_security_group_ids = [aws_security_group.app.id]', cloudformation: 'SecurityGroupIds:\n  - !Ref AppSecurityGroup' },
  references: ['https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-22', `${TF_DOCS}/security_group`],
  terraform: unattached,
  cloudformation: unattached,
  bad: [
    tf(`
resource "aws_security_group" "old" {
  name        = "old"
  description = "left over"
}`, [1]),
    cfn(`
Resources:
  Old:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: left over
`, [4]),
  ],
  good: [
    tf(`
resource "aws_security_group" "app" {
  name        = "app"
  description = "app servers"
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.app.id]
}`),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app servers
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      SecurityGroupIds:
        - !Ref App
`),
  ],
});
