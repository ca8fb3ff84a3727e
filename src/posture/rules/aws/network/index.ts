/**
 * AWS rules over collected EC2, VPC, EBS and RDS data only (no Terraform / CloudFormation form).
 * Rules whose concern also exists in IaC carry a `live` block in their own file one folder up.
 */
import type { Rule } from '../../../rule.js';
import { ebsRules } from './ebs.js';
import { instancePortRules } from './instance-ports.js';
import { instanceRules } from './instances.js';
import { naclRules } from './nacl.js';
import { rdsRules } from './rds-extra.js';
import { sgPortRules } from './sg-ports.js';
import { sgVpcRules } from './sg-vpc.js';

export const awsNetworkLiveRules: readonly Rule[] = [...sgPortRules, ...instancePortRules, ...naclRules, ...instanceRules, ...ebsRules, ...rdsRules, ...sgVpcRules];
