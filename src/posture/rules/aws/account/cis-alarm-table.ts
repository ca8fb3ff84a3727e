/**
 * The CIS AWS Foundations 3.0 section 4 events (4.1–4.15): for each, the filter pattern the
 * benchmark gives (its comparisons are what a collected metric filter must contain, see
 * filter-pattern.ts). Data only; cis-alarms.ts builds one rule per row.
 */

export interface CisEvent {
  readonly id: string;
  readonly control: string;
  /** What is watched, for titles: "unauthorized API calls". */
  readonly what: string;
  /** Why it matters, one sentence. */
  readonly why: string;
  readonly pattern: string;
  readonly metric: string;
}

const names = (source: string | undefined, events: readonly string[]): string => {
  const terms = events.map((e) => `($.eventName = ${e})`).join(' || ');
  return source === undefined ? `{ ${terms} }` : `{ ($.eventSource = ${source}) && (${terms}) }`;
};

export const CIS_EVENTS: readonly CisEvent[] = [
  {
    id: 'VGL-AWS-270',
    control: '4.1',
    what: 'unauthorized API calls',
    why: 'Bursts of AccessDenied / UnauthorizedOperation errors are how stolen credentials probing their permissions show up first.',
    pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    metric: 'UnauthorizedAPICalls',
  },
  {
    id: 'VGL-AWS-271',
    control: '4.2',
    what: 'console sign-in without MFA',
    why: 'A console sign-in without MFA is either a user without MFA or someone using only a password, both worth knowing at once.',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    metric: 'ConsoleSigninWithoutMFA',
  },
  {
    id: 'VGL-AWS-272',
    control: '4.3',
    what: 'root user activity',
    why: 'Root should almost never act; every root call deserves an immediate look.',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    metric: 'RootAccountUsage',
  },
  {
    id: 'VGL-AWS-273',
    control: '4.4',
    what: 'IAM policy changes',
    why: 'Policy changes are how permissions are escalated or backdoors planted.',
    pattern: names(undefined, [
      'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy',
      'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
    ]),
    metric: 'IAMPolicyChanges',
  },
  {
    id: 'VGL-AWS-274',
    control: '4.5',
    what: 'CloudTrail configuration changes',
    why: 'Stopping or changing a trail is what an intruder does first to work unseen.',
    pattern: names(undefined, ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging']),
    metric: 'CloudTrailChanges',
  },
  {
    id: 'VGL-AWS-275',
    control: '4.6',
    what: 'console authentication failures',
    why: 'Repeated failed sign-ins are password guessing in progress.',
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    metric: 'ConsoleSigninFailures',
  },
  {
    id: 'VGL-AWS-276',
    control: '4.7',
    what: 'disabling or scheduled deletion of customer managed keys',
    why: 'A disabled or deleted key makes everything encrypted with it unreadable: sabotage or ransom.',
    pattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
    metric: 'DisableOrDeleteCMK',
  },
  {
    id: 'VGL-AWS-277',
    control: '4.8',
    what: 'S3 bucket policy changes',
    why: 'A changed bucket policy or ACL can make data public or hand it to another account.',
    pattern: names('s3.amazonaws.com', [
      'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication',
    ]),
    metric: 'S3BucketPolicyChanges',
  },
  {
    id: 'VGL-AWS-278',
    control: '4.9',
    what: 'AWS Config configuration changes',
    why: 'Stopping the recorder or removing its delivery channel blinds configuration history.',
    pattern: names('config.amazonaws.com', ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder']),
    metric: 'AWSConfigChanges',
  },
  {
    id: 'VGL-AWS-279',
    control: '4.10',
    what: 'security group changes',
    why: 'An opened security group is how a service gets exposed to the internet.',
    pattern: names(undefined, ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup']),
    metric: 'SecurityGroupChanges',
  },
  {
    id: 'VGL-AWS-280',
    control: '4.11',
    what: 'network ACL changes',
    why: 'NACL changes open or close whole subnets.',
    pattern: names(undefined, ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation']),
    metric: 'NACLChanges',
  },
  {
    id: 'VGL-AWS-281',
    control: '4.12',
    what: 'network gateway changes',
    why: 'A new or re-attached gateway is a new way in or out of the network.',
    pattern: names(undefined, ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway']),
    metric: 'NetworkGatewayChanges',
  },
  {
    id: 'VGL-AWS-282',
    control: '4.13',
    what: 'route table changes',
    why: 'Changed routes can send traffic around inspection or out of the network.',
    pattern: names('ec2.amazonaws.com', ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable']),
    metric: 'RouteTableChanges',
  },
  {
    id: 'VGL-AWS-283',
    control: '4.14',
    what: 'VPC changes',
    why: 'New VPCs and peering connections change what can reach what.',
    pattern: names(undefined, [
      'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink',
    ]),
    metric: 'VPCChanges',
  },
  {
    id: 'VGL-AWS-284',
    control: '4.15',
    what: 'AWS Organizations changes',
    why: 'Organization changes move accounts out of guard rails or detach service control policies.',
    pattern: names('organizations.amazonaws.com', [
      'AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy',
      'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit',
    ]),
    metric: 'OrganizationsChanges',
  },
];
