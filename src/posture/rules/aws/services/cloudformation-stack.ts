/**
 * CloudFormation stacks managed from Terraform (`aws_cloudformation_stack`): a stack without
 * a stack policy lets any update replace or delete its resources.
 */
import { isEmpty } from './lib/checks.js';
import { violation } from '../../../rule.js';
import { awsRule, iso, nist, soc2, TF_DOCS, tf } from './lib/define.js';

export const stackPolicy = awsRule({
  id: 'VGL-AWS-198',
  title: 'CloudFormation stack has no stack policy',
  description: 'Without a stack policy every stack update may modify, replace or delete any resource in the stack, including stateful ones (databases, buckets) a mistaken change would destroy.',
  severity: 'low',
  service: 'cloudformation',
  frameworks: [...nist('CM-3', 'CM-5'), ...iso('A.8.32'), ...soc2('CC8.1')],
  remediation: 'Set policy_body or policy_url with a stack policy that denies Update:Replace and Update:Delete on stateful resources.',
  references: [`${TF_DOCS}cloudformation_stack#policy_body`, 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html'],
  tf: {
    aws_cloudformation_stack: (r) =>
      isEmpty(r.attrs['policy_body']) && isEmpty(r.attrs['policy_url']) ? [violation(['policy_body'], 'the stack has no stack policy: any update may replace or delete its resources')] : [],
  },
  fix: { terraform: 'policy_body = jsonencode({\n  Statement = [\n    { Effect = "Allow", Action = "Update:*", Principal = "*", Resource = "*" },\n    { Effect = "Deny", Action = ["Update:Replace", "Update:Delete"], Principal = "*", Resource = "LogicalResourceId/Database" },\n  ]\n})' },
  bad: [tf('resource "aws_cloudformation_stack" "net" {\n  name         = "network"\n  template_url = "https://example.com/network.yaml"\n}\n', 1)],
  good: [tf('resource "aws_cloudformation_stack" "net" {\n  name         = "network"\n  template_url = "https://example.com/network.yaml"\n  policy_url   = "https://example.com/network-policy.json"\n}\n')],
});
