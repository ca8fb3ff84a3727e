/**
 * Tiny builders of collected EC2, VPC, EBS and RDS resources for the rules' examples: the attrs
 * shapes docs/collectors/aws.md documents (DescribeSecurityGroups, DescribeInstances, …), with
 * only the keys a check reads.
 */
import type { SubCallGap } from '../../../collectors/types.js';
import type { ExampleResource } from '../../shared/live.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
const EC2 = `arn:aws:ec2:${REGION}:${ACCOUNT}`;

type Attrs = Record<string, unknown>;

export const sgArn = (id: string): string => `${EC2}:security-group/${id}`;
export const instanceArn = (id: string): string => `${EC2}:instance/${id}`;
export const volumeArn = (id: string): string => `${EC2}:volume/${id}`;
export const snapshotArn = (id: string): string => `arn:aws:ec2:${REGION}::snapshot/${id}`;
export const vpcArn = (id: string): string => `${EC2}:vpc/${id}`;
export const aclArn = (id: string): string => `${EC2}:network-acl/${id}`;
export const ebsDefaultArn = (region = REGION): string => `arn:aws:ec2:${region}:${ACCOUNT}:ebs-encryption-by-default`;
export const dbArn = (id: string): string => `arn:aws:rds:${REGION}:${ACCOUNT}:db:${id}`;
export const dbSnapshotArn = (id: string): string => `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:${id}`;

function resource(type: string, id: string, attrs: Attrs, gaps?: ExampleResource['gaps']): ExampleResource {
  return { type, id, account: ACCOUNT, region: REGION, attrs, ...(gaps ? { gaps } : {}) };
}

/** One IpPermissions entry: `tcp 22 0.0.0.0/0`; protocol `-1` for all traffic. */
export function perm(protocol: string, from: number | undefined, to: number | undefined, cidrs: readonly string[] = ['0.0.0.0/0']): Attrs {
  return {
    IpProtocol: protocol,
    ...(from !== undefined ? { FromPort: from } : {}),
    ...(to !== undefined ? { ToPort: to } : {}),
    IpRanges: cidrs.filter((c) => !c.includes(':')).map((c) => ({ CidrIp: c })),
    Ipv6Ranges: cidrs.filter((c) => c.includes(':')).map((c) => ({ CidrIpv6: c })),
    PrefixListIds: [],
    UserIdGroupPairs: [],
  };
}

/** A security group in vpc-1 with the given ingress (and no egress unless given). */
export function sg(id: string, ingress: readonly Attrs[], more: Attrs = {}): ExampleResource {
  return resource('AWS::EC2::SecurityGroup', sgArn(id), {
    GroupId: id,
    GroupName: id,
    Description: `group ${id}`,
    VpcId: 'vpc-1',
    OwnerId: ACCOUNT,
    IpPermissions: ingress,
    IpPermissionsEgress: [],
    ...more,
  });
}

/** A running instance in vpc-1 with IMDSv2 required, no public IP, the given groups. */
export function instance(id: string, more: Attrs = {}, groups: readonly string[] = []): ExampleResource {
  return resource('AWS::EC2::Instance', instanceArn(id), {
    InstanceId: id,
    State: { Name: 'running' },
    VpcId: 'vpc-1',
    VirtualizationType: 'hvm',
    Monitoring: { State: 'enabled' },
    MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', State: 'applied' },
    IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/app`, Id: 'AIPAEXAMPLE' },
    SecurityGroups: groups.map((g) => ({ GroupId: g, GroupName: g })),
    BlockDeviceMappings: [],
    NetworkInterfaces: [{ NetworkInterfaceId: `eni-${id}` }],
    ...more,
  });
}

export function volume(id: string, more: Attrs = {}): ExampleResource {
  return resource('AWS::EC2::Volume', volumeArn(id), { VolumeId: id, Encrypted: true, State: 'in-use', ...more });
}

export function ebsDefault(enabled: unknown, region = REGION): ExampleResource {
  return { type: 'AWS::EC2::EbsEncryptionByDefault', id: ebsDefaultArn(region), account: ACCOUNT, region, attrs: { EbsEncryptionByDefault: enabled } };
}

export function snapshot(id: string, more: Attrs = {}, gaps?: ExampleResource['gaps']): ExampleResource {
  return resource('AWS::EC2::Snapshot', snapshotArn(id), { SnapshotId: id, OwnerId: ACCOUNT, Encrypted: true, State: 'completed', CreateVolumePermissions: [], ...more }, gaps);
}

export function vpc(id: string, more: Attrs = {}): ExampleResource {
  return resource('AWS::EC2::VPC', vpcArn(id), { VpcId: id, IsDefault: false, State: 'available', OwnerId: ACCOUNT, ...more });
}

/** One network ACL entry. */
export function aclEntry(number: number, protocol: string, action: 'allow' | 'deny', cidr = '0.0.0.0/0', range?: readonly [number, number], egress = false): Attrs {
  return {
    RuleNumber: number,
    Protocol: protocol,
    RuleAction: action,
    Egress: egress,
    ...(cidr.includes(':') ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr }),
    ...(range ? { PortRange: { From: range[0], To: range[1] } } : {}),
  };
}

/** The default deny-all entries every ACL ends with. */
export const DENY_ALL = [aclEntry(32767, '-1', 'deny'), aclEntry(32767, '-1', 'deny', '0.0.0.0/0', undefined, true)];

export function nacl(id: string, entries: readonly Attrs[], more: Attrs = {}): ExampleResource {
  return resource('AWS::EC2::NetworkAcl', aclArn(id), {
    NetworkAclId: id,
    VpcId: 'vpc-1',
    IsDefault: false,
    OwnerId: ACCOUNT,
    Entries: [...entries, ...DENY_ALL],
    Associations: [{ NetworkAclAssociationId: `aclassoc-${id}`, SubnetId: 'subnet-1' }],
    ...more,
  });
}

/** A well-configured MySQL instance; `more` overrides. */
export function db(id: string, more: Attrs = {}): ExampleResource {
  return resource('AWS::RDS::DBInstance', dbArn(id), {
    DBInstanceIdentifier: id,
    DBInstanceArn: dbArn(id),
    DBInstanceStatus: 'available',
    Engine: 'mysql',
    MasterUsername: 'app_owner',
    Endpoint: { Address: `${id}.example.eu-west-1.rds.amazonaws.com`, Port: 3406 },
    PubliclyAccessible: false,
    StorageEncrypted: true,
    BackupRetentionPeriod: 7,
    DeletionProtection: true,
    AutoMinorVersionUpgrade: true,
    MultiAZ: true,
    IAMDatabaseAuthenticationEnabled: true,
    MonitoringInterval: 60,
    EnabledCloudwatchLogsExports: ['error', 'audit'],
    CopyTagsToSnapshot: true,
    CACertificateIdentifier: 'rds-ca-rsa2048-g1',
    DBSubnetGroup: { DBSubnetGroupName: 'private', VpcId: 'vpc-1' },
    ...more,
  });
}

export function dbSnapshot(id: string, more: Attrs = {}, gaps?: ExampleResource['gaps']): ExampleResource {
  return resource('AWS::RDS::DBSnapshot', dbSnapshotArn(id), {
    DBSnapshotIdentifier: id,
    DBSnapshotArn: dbSnapshotArn(id),
    SnapshotType: 'manual',
    Status: 'available',
    Encrypted: true,
    DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [] }],
    ...more,
  }, gaps);
}

/** A failed sub-call, as the collector records it. */
export function gap(operation: string): SubCallGap {
  return { operation, reason: 'access-denied', message: 'AccessDenied: not authorised' };
}
