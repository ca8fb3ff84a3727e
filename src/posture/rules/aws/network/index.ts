/**
 * AWS rules over collected EC2, VPC, EBS and RDS data only (no Terraform / CloudFormation form).
 * Rules whose concern also exists in IaC carry a `live` block in their own file one folder up.
 */
import type { Rule } from '../../../rule.js';

export const awsNetworkLiveRules: readonly Rule[] = [];
