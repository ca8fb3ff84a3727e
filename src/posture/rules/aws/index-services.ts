/**
 * AWS service rules, VGL-AWS-100…199: databases, load balancers, API Gateway, CloudFront,
 * Lambda, containers, messaging, analytics and the other services outside the core set
 * (S3, IAM, networking, EC2/EBS, CloudTrail, KMS, Config, GuardDuty: index-core.ts).
 */
import type { Rule } from '../../rule.js';
import {
  appsyncCacheEncryption, appsyncLogging, athenaEncryption, cloudsearchHttps, emrSecurityConfiguration, endpointServiceAcceptance, glueEncryption, logRetention,
  networkFirewallLogging, route53QueryLogging, workspacesEncryption,
} from './services/analytics-logging.js';
import { apiAccessLogs, apiCacheEncryption, apiExecutionLogs, apiOpenMethod, apiRequestValidation, apiTracing } from './services/apigateway.js';
import {
  cloudfrontCustomCertificate, cloudfrontLogging, cloudfrontOriginHttp, cloudfrontS3OriginAccess, cloudfrontTlsVersion, cloudfrontViewerHttp, cloudfrontWaf,
} from './services/cloudfront.js';
import { ecrImmutableTags, ecrPublicPolicy, ecrScanOnPush, ecsEnvSecrets, ecsPrivileged, ecsPublicIp, eksControlPlaneLogs, eksPublicEndpoint, eksSecretsEncryption } from './services/containers.js';
import { batchPrivileged, codebuildPrivileged, sagemakerModelIsolation, sagemakerNotebookInternet } from './services/compute-ml.js';
import { customerManagedKey, dlmCrossRegionEncryption } from './services/cmk.js';
import { stackPolicy } from './services/cloudformation-stack.js';
import { efsEncryption, searchEncryptionAtRest, searchHttps, searchLogging, searchNodeToNode, searchOpenAccess } from './services/efs-opensearch.js';
import { cognitoMfa, plainTextSecrets, wafAllowsAll } from './services/identity-secrets.js';
import { docdbAudit, docdbEncryption, dmsPublic, mqAuditLogs, mqGeneralLogs, mqPublic, neptuneAuditLogs, neptuneEncryption } from './services/docdb-neptune-mq.js';
import { daxEncryption, dynamodbKms, dynamodbPitr, elasticacheAtRest, elasticacheBackups, elasticacheInTransit, elasticacheMultiAz } from './services/dynamodb-elasticache.js';
import { auroraMysqlAudit, auroraPostgresLogging, dbSecurityGroupOpen, rdsIamAuth, rdsTls } from './services/rds-access.js';
import { redshiftEncryption, redshiftLogging, redshiftPublic, redshiftSsl, redshiftVpc } from './services/redshift.js';
import { lambdaCodeSigning, lambdaDlq, lambdaEnvSecrets, lambdaPermissionAction, lambdaPublicPermission, lambdaSharedRole, lambdaUrlAuth, lambdaVpc } from './services/lambda.js';
import { albDropInvalidHeaders, lbAccessLogs, lbDeletionProtection, lbHttpListener, lbTlsPolicy } from './services/elb.js';
import { kinesisEncryption, mskInTransit, mskLogging, queueTopicPublicPolicy, snsEncryption, sqsEncryptionRule } from './services/messaging.js';
import { rdsBackupPlan, rdsBackupRetention, rdsDeletionProtection, rdsEncryption, rdsMinorUpgrades, rdsMultiAz, rdsPublic } from './services/rds.js';

export const awsServiceRules: readonly Rule[] = [
  rdsPublic, rdsEncryption, rdsBackupRetention, rdsDeletionProtection, rdsMinorUpgrades, rdsMultiAz, rdsBackupPlan,
  rdsIamAuth, auroraMysqlAudit, auroraPostgresLogging, rdsTls, dbSecurityGroupOpen,
  dynamodbKms, dynamodbPitr, daxEncryption, elasticacheAtRest, elasticacheInTransit, elasticacheBackups, elasticacheMultiAz,
  redshiftEncryption, redshiftPublic, redshiftLogging, redshiftSsl, redshiftVpc,
  docdbEncryption, docdbAudit, neptuneEncryption, neptuneAuditLogs, dmsPublic, mqPublic, mqGeneralLogs, mqAuditLogs,
  lbDeletionProtection, albDropInvalidHeaders, lbAccessLogs, lbHttpListener, lbTlsPolicy,
  apiAccessLogs, apiExecutionLogs, apiCacheEncryption, apiTracing, apiOpenMethod, apiRequestValidation,
  cloudfrontCustomCertificate, cloudfrontTlsVersion, cloudfrontLogging, cloudfrontViewerHttp, cloudfrontWaf, cloudfrontS3OriginAccess, cloudfrontOriginHttp,
  lambdaUrlAuth, lambdaEnvSecrets, lambdaPermissionAction, lambdaPublicPermission, lambdaDlq, lambdaVpc, lambdaCodeSigning, lambdaSharedRole,
  ecrScanOnPush, ecrImmutableTags, ecrPublicPolicy, ecsPublicIp, ecsPrivileged, eksPublicEndpoint, eksSecretsEncryption, eksControlPlaneLogs, ecsEnvSecrets,
  snsEncryption, sqsEncryptionRule, queueTopicPublicPolicy, kinesisEncryption, mskInTransit, mskLogging,
  efsEncryption, searchEncryptionAtRest, searchNodeToNode, searchHttps, searchLogging, searchOpenAccess,
  sagemakerNotebookInternet, sagemakerModelIsolation, codebuildPrivileged, cognitoMfa, athenaEncryption, wafAllowsAll, logRetention,
  appsyncLogging, appsyncCacheEncryption, cloudsearchHttps, emrSecurityConfiguration, customerManagedKey, networkFirewallLogging,
  workspacesEncryption, endpointServiceAcceptance, plainTextSecrets, glueEncryption, batchPrivileged, route53QueryLogging, stackPolicy, dlmCrossRegionEncryption,
];
