/**
 * The AWS rules of the core series (VGL-AWS-001…099): S3, IAM, security groups, VPC flow logs,
 * EBS and EC2, CloudTrail, KMS, Config, GuardDuty, Secrets Manager and SSM, for Terraform and
 * CloudFormation. Adding a rule is adding it to its family file and to this list.
 */
import type { Rule } from '../../rule.js';
import { trailCloudWatch, trailKmsEncryption, trailLogging, trailLogValidation, trailMultiRegion } from './cloudtrail.js';
import { ebsSnapshotCopyCmk, ebsVolumeEncryption, ec2BlockDeviceEncryption } from './ebs.js';
import { ec2DetailedMonitoring, ec2Imdsv2, ec2PublicIp, ec2UserDataCredentials } from './ec2-instance.js';
import { cfnUserPassword, iamAccessKey, iamOpenTrust, providerCredentials } from './iam-credentials.js';
import { iamPasswordExpiry, iamPasswordLength, iamPasswordReuse } from './iam-password-policy.js';
import { iamDataExfiltration, iamFullAdmin, iamPrivilegeEscalation, iamWildcardActions } from './iam-policies.js';
import { iamAdminOnUser, iamInlineUserPolicy, iamManagedPolicyOnUser } from './iam-users.js';
import { kmsDefaultPolicy, kmsOpenPolicy, kmsRotation } from './kms.js';
import { configRecorder, guardDutyEnabled, vpcFlowLogs } from './monitoring.js';
import { s3PublicReadAcl, s3PublicWriteAcl } from './s3-acl.js';
import { s3KmsEncryption, s3Versioning } from './s3-data-protection.js';
import { s3AccessLogging, s3Website } from './s3-logging.js';
import { s3PublicPolicy, s3SecureTransport } from './s3-policy.js';
import { s3PublicAccessBlock } from './s3-public-access-block.js';
import { secretCmk, secretRotation, ssmSessionLogging } from './secrets.js';
import { sgDescriptions, sgUnattached, vpcDefaultSecurityGroup } from './sg-hygiene.js';
import { sgInternetIngress, sgOpenAllPorts, sgOpenRdp, sgOpenSsh } from './sg-ingress.js';

export const awsCoreRules: readonly Rule[] = [
  // S3
  s3PublicReadAcl,
  s3PublicWriteAcl,
  s3PublicPolicy,
  s3PublicAccessBlock,
  s3KmsEncryption,
  s3Versioning,
  s3AccessLogging,
  s3SecureTransport,
  s3Website,
  // IAM
  iamFullAdmin,
  iamWildcardActions,
  iamDataExfiltration,
  iamPrivilegeEscalation,
  iamManagedPolicyOnUser,
  iamInlineUserPolicy,
  iamAdminOnUser,
  iamPasswordLength,
  iamPasswordReuse,
  iamPasswordExpiry,
  iamAccessKey,
  iamOpenTrust,
  providerCredentials,
  cfnUserPassword,
  // Security groups
  sgOpenSsh,
  sgOpenRdp,
  sgOpenAllPorts,
  sgInternetIngress,
  sgDescriptions,
  vpcDefaultSecurityGroup,
  sgUnattached,
  // EBS and EC2
  ebsVolumeEncryption,
  ec2BlockDeviceEncryption,
  ebsSnapshotCopyCmk,
  ec2Imdsv2,
  ec2PublicIp,
  ec2DetailedMonitoring,
  ec2UserDataCredentials,
  // CloudTrail
  trailMultiRegion,
  trailLogValidation,
  trailKmsEncryption,
  trailCloudWatch,
  trailLogging,
  // KMS
  kmsRotation,
  kmsOpenPolicy,
  kmsDefaultPolicy,
  // VPC, Config, GuardDuty
  vpcFlowLogs,
  configRecorder,
  guardDutyEnabled,
  // Secrets Manager, SSM
  secretCmk,
  secretRotation,
  ssmSessionLogging,
];
