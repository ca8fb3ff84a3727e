/**
 * EC2 instances and what they are launched from (launch templates and configurations):
 * VGL-AWS-032 IMDSv2 not required (CIS AWS 5.6), VGL-AWS-033 public IP addresses, VGL-AWS-034
 * detailed monitoring off, VGL-AWS-035 AWS access keys in user data.
 */
import { at, blocks, bool, isObject, isUnresolved, str } from '../../attrs.js';
import type { AttrPath, Resource, ResourceKind, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { imdsLive, monitoringLive, publicIpLive } from './network/instances.js';

const LAUNCH_KINDS: readonly ResourceKind[] = [
  'tf:aws_instance',
  'tf:aws_launch_template',
  'tf:aws_launch_configuration',
  'cfn:AWS::EC2::Instance',
  'cfn:AWS::EC2::LaunchTemplate',
  'cfn:AWS::AutoScaling::LaunchConfiguration',
];

/** Where a CloudFormation launch template keeps instance settings. */
function cfnBase(r: Resource): AttrPath {
  return r.kind === 'cfn:AWS::EC2::LaunchTemplate' ? ['LaunchTemplateData'] : [];
}

// VGL-AWS-032 ----------------------------------------------------------------------------------

function imdsTf(r: Resource): Violation[] {
  if (r.kind === 'tf:aws_instance' && r.attrs['launch_template'] !== undefined && r.attrs['metadata_options'] === undefined) return [];
  const tokens = at(r.attrs, ['metadata_options', 0, 'http_tokens']);
  const endpoint = at(r.attrs, ['metadata_options', 0, 'http_endpoint']);
  if (isUnresolved(tokens) || tokens === 'required' || endpoint === 'disabled' || isUnresolved(endpoint)) return [];
  return [violation(['metadata_options', 0, 'http_tokens'], tokens === undefined ? 'http_tokens is not set: IMDSv1 stays available' : `http_tokens is "${str(tokens) ?? '?'}": IMDSv1 stays available`)];
}

function imdsCfn(r: Resource): Violation[] {
  if (r.kind === 'cfn:AWS::EC2::Instance') return [];
  const base = [...cfnBase(r), 'MetadataOptions'];
  const tokens = at(r.attrs, [...base, 'HttpTokens']);
  const endpoint = at(r.attrs, [...base, 'HttpEndpoint']);
  if (isUnresolved(tokens) || tokens === 'required' || endpoint === 'disabled' || isUnresolved(endpoint)) return [];
  return [violation([...base, 'HttpTokens'], tokens === undefined ? 'HttpTokens is not set: IMDSv1 stays available' : `HttpTokens is "${str(tokens) ?? '?'}": IMDSv1 stays available`)];
}

export const ec2Imdsv2 = awsRule({
  id: 'VGL-AWS-032',
  live: imdsLive,
  title: 'EC2 instance metadata service allows IMDSv1',
  description:
    'The instance (or launch template / configuration) does not require session tokens for the metadata service. IMDSv1 answers plain GET requests, so an SSRF bug in any application on the host hands out the instance role\'s credentials (CIS AWS Foundations 5.6). Instances launched from a launch template are judged on the template.',
  severity: 'high',
  service: 'ec2',
  kinds: LAUNCH_KINDS.filter((k) => k !== 'cfn:AWS::EC2::Instance'),
  frameworks: [cis('5.6'), nist('AC-3'), nist('SC-7'), csf('PR.PS-01'), iso('A.8.9'), soc2('CC6.1'), pci('2.2.1')],
  remediation: 'Set metadata_options { http_tokens = "required" } (CloudFormation: MetadataOptions.HttpTokens: required) and keep the hop limit at 1 unless containers need 2.',
  fix: {
    terraform: 'metadata_options {\n  http_endpoint               = "enabled"\n  http_tokens                 = "required"\n  http_put_response_hop_limit = 1\n}',
    cloudformation: 'MetadataOptions:\n  HttpEndpoint: enabled\n  HttpTokens: required\n  HttpPutResponseHopLimit: 1',
  },
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html', `${TF_DOCS}/instance#metadata-options`, `${CFN_DOCS}/aws-properties-ec2-launchtemplate-metadataoptions.html`],
  terraform: imdsTf,
  cloudformation: imdsCfn,
  bad: [
    tf(`
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "optional"
  }
}`, [5]),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
`, [5]),
  ],
  good: [
    tf(`
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
}`),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0123456789abcdef0
        MetadataOptions:
          HttpTokens: required
`),
  ],
});

// VGL-AWS-033 ----------------------------------------------------------------------------------

function publicIpTf(r: Resource): Violation[] {
  const msg = 'the instance gets a public IP address';
  if (r.kind === 'tf:aws_launch_template') {
    return blocks(r.attrs['network_interfaces']).flatMap((n, i) => (bool(n['associate_public_ip_address']) === true ? [violation(['network_interfaces', i, 'associate_public_ip_address'], msg)] : []));
  }
  return bool(r.attrs['associate_public_ip_address']) === true ? [violation(['associate_public_ip_address'], msg)] : [];
}

function publicIpCfn(r: Resource): Violation[] {
  const msg = 'the instance gets a public IP address';
  if (r.kind === 'cfn:AWS::AutoScaling::LaunchConfiguration') return bool(r.attrs['AssociatePublicIpAddress']) === true ? [violation(['AssociatePublicIpAddress'], msg)] : [];
  const base = [...cfnBase(r), 'NetworkInterfaces'];
  const nics = at(r.attrs, base);
  return (Array.isArray(nics) ? nics : []).flatMap((n, i) =>
    isObject(n) && bool(n['AssociatePublicIpAddress']) === true ? [violation([...base, i, 'AssociatePublicIpAddress'], msg)] : [],
  );
}

export const ec2PublicIp = awsRule({
  id: 'VGL-AWS-033',
  live: publicIpLive,
  title: 'EC2 instance gets a public IP address',
  description:
    'The instance (or launch template / configuration) explicitly associates a public IPv4 address. The instance is then reachable from the internet wherever a security group or network ACL allows it, bypassing load balancers and NAT; public addresses also cost money since 2024.',
  severity: 'medium',
  service: 'ec2',
  kinds: [...LAUNCH_KINDS],
  frameworks: [nist('SC-7'), nist('AC-4'), csf('PR.IR-01'), iso('A.8.20'), iso('A.8.22'), soc2('CC6.6'), pci('1.4.4')],
  remediation: 'Launch instances in private subnets without public addresses; publish services through a load balancer and reach hosts through Session Manager.',
  fix: { terraform: 'associate_public_ip_address = false', cloudformation: 'AssociatePublicIpAddress: false' },
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html', `${TF_DOCS}/instance#associate_public_ip_address`, `${CFN_DOCS}/aws-properties-ec2-instance-networkinterface.html`],
  terraform: publicIpTf,
  cloudformation: publicIpCfn,
  bad: [
    tf(`
resource "aws_instance" "app" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
}`, [4]),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      NetworkInterfaces:
        - DeviceIndex: "0"
          SubnetId: subnet-0123456789abcdef0
          AssociatePublicIpAddress: true
`, [9]),
  ],
  good: [
    tf(`
resource "aws_instance" "app" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  associate_public_ip_address = false
}`),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      SubnetId: subnet-0123456789abcdef0
`),
  ],
});

// VGL-AWS-034 ----------------------------------------------------------------------------------

function monitoringTf(r: Resource): Violation[] {
  const msg = 'detailed (1-minute) monitoring is off';
  switch (r.kind) {
    case 'tf:aws_launch_configuration':
      return bool(r.attrs['enable_monitoring']) === false ? [violation(['enable_monitoring'], msg)] : [];
    case 'tf:aws_launch_template': {
      const v = at(r.attrs, ['monitoring', 0, 'enabled']);
      return isUnresolved(v) || bool(v) === true ? [] : [violation(['monitoring', 0, 'enabled'], msg)];
    }
    default: {
      const v = r.attrs['monitoring'];
      return isUnresolved(v) || bool(v) === true ? [] : [violation(['monitoring'], msg)];
    }
  }
}

function monitoringCfn(r: Resource): Violation[] {
  const msg = 'detailed (1-minute) monitoring is off';
  if (r.kind === 'cfn:AWS::AutoScaling::LaunchConfiguration') return bool(r.attrs['InstanceMonitoring']) === false ? [violation(['InstanceMonitoring'], msg)] : [];
  const path: AttrPath = r.kind === 'cfn:AWS::EC2::LaunchTemplate' ? ['LaunchTemplateData', 'Monitoring', 'Enabled'] : ['Monitoring'];
  const v = at(r.attrs, path);
  return isUnresolved(v) || bool(v) === true ? [] : [violation(path, msg)];
}

export const ec2DetailedMonitoring = awsRule({
  id: 'VGL-AWS-034',
  live: monitoringLive,
  title: 'EC2 detailed monitoring disabled',
  description:
    'The instance (or launch template / configuration) keeps basic 5-minute CloudWatch metrics. Detailed monitoring gives 1-minute metrics, so anomalies (a CPU spike from a miner, a traffic burst) are seen and alarmed on sooner.',
  severity: 'low',
  service: 'ec2',
  kinds: [...LAUNCH_KINDS],
  frameworks: [nist('SI-4'), nist('AU-12'), csf('DE.CM-09'), iso('A.8.16'), soc2('CC7.2')],
  remediation: 'Enable detailed monitoring (monitoring = true).',
  fix: { terraform: 'monitoring = true', cloudformation: 'Monitoring: true' },
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html', `${TF_DOCS}/instance#monitoring`, `${CFN_DOCS}/aws-resource-ec2-instance.html#cfn-ec2-instance-monitoring`],
  terraform: monitoringTf,
  cloudformation: monitoringCfn,
  bad: [
    tf(`
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}`, [1]),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      Monitoring: false
`, [6]),
  ],
  good: [
    tf(`
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  monitoring    = true
}`),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      Monitoring: true
`),
  ],
});

// VGL-AWS-035 ----------------------------------------------------------------------------------

const MAX_USER_DATA = 64 * 1024;
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;
const SECRET_KEY = /aws_secret_access_key["']?(?:\s*[=:]\s*|\s+)["']?[A-Za-z0-9/+]{40}/i;

/** Text of user data as written, and decoded when it is base64. */
function texts(v: unknown, depth = 0): string[] {
  if (depth > 8) return [];
  if (typeof v === 'string') {
    const s = v.slice(0, MAX_USER_DATA);
    const compact = s.replace(/\s+/g, '');
    if (compact.length >= 8 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
      return [s, Buffer.from(compact, 'base64').toString('utf8')];
    }
    return [s];
  }
  if (Array.isArray(v)) return v.flatMap((x) => texts(x, depth + 1));
  if (isObject(v)) return Object.values(v).flatMap((x) => texts(x, depth + 1));
  return [];
}

function credentialsIn(v: unknown): boolean {
  return texts(v).some((t) => ACCESS_KEY_ID.test(t) || SECRET_KEY.test(t));
}

function userDataCheck(paths: readonly AttrPath[]) {
  return (r: Resource): Violation[] =>
    paths.filter((p) => credentialsIn(at(r.attrs, p))).map((p) => violation(p, 'the user data contains an AWS access key; anyone who can read instance attributes (or the IMDS) gets it'));
}

export const ec2UserDataCredentials = awsRule({
  id: 'VGL-AWS-035',
  title: 'AWS access key in EC2 user data',
  description:
    'The user data of an instance, launch template or launch configuration contains an AWS access key id (AKIA…/ASIA…) or an aws_secret_access_key assignment. User data is readable through the console, the API (DescribeInstanceAttribute) and the instance metadata service, and is kept in the Terraform state and template.',
  severity: 'high',
  service: 'ec2',
  kinds: [...LAUNCH_KINDS],
  frameworks: [nist('IA-5(7)'), nist('SC-28'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.2'), pci('8.6.2')],
  remediation: 'Remove the keys (and rotate them: they are exposed); give the instance an instance profile role, or fetch secrets at boot from Secrets Manager / SSM Parameter Store.',
  fix: { terraform: 'iam_instance_profile = aws_iam_instance_profile.app.name', cloudformation: 'IamInstanceProfile: !Ref AppInstanceProfile' },
  references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html', `${TF_DOCS}/instance#user_data`, `${CFN_DOCS}/aws-resource-ec2-instance.html#cfn-ec2-instance-userdata`],
  terraform: userDataCheck([['user_data'], ['user_data_base64']]),
  cloudformation: (r) => userDataCheck([[...cfnBase(r), 'UserData']])(r),
  bad: [
    tf(`
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  user_data     = <<-EOF
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
  EOF
}`, [4]),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      UserData:
        Fn::Base64: |
          #!/bin/bash
          aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`, [6]),
  ],
  good: [
    tf(`
resource "aws_instance" "app" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.micro"
  iam_instance_profile = "app"
  user_data            = "#!/bin/bash\\nyum update -y\\n"
}`),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      UserData:
        Fn::Base64: |
          #!/bin/bash
          yum update -y
`),
  ],
});
