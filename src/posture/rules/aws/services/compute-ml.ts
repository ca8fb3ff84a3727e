/**
 * Build and compute services that run your code in AWS-managed containers: SageMaker notebook
 * instances and models, CodeBuild projects and Batch job definitions (privileged containers,
 * direct internet access, network isolation).
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { at, isObject, isUnresolved } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { firstBlock, flag, isAbsent, lower, requireTrue } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, nist, TF_DOCS, tf } from './lib/define.js';

const INTERNET = 'the notebook instance has direct internet access';

function directInternet(r: Resource, key: string): Violation[] {
  const v = r.attrs[key];
  if (isAbsent(v)) return [violation([key], `${INTERNET} (the default)`)];
  return lower(r.attrs, [key]) === 'enabled' ? [violation([key], INTERNET)] : [];
}

export const sagemakerNotebookInternet = awsRule({
  id: 'VGL-AWS-179',
  title: 'SageMaker notebook instance has direct internet access',
  description: 'Notebook instances get direct internet access by default, outside your VPC controls, so code and data in the notebook can be exfiltrated or malicious packages pulled in unobserved.',
  severity: 'medium',
  service: 'sagemaker',
  frameworks: CONTROLS.network(),
  remediation: 'Set direct_internet_access / DirectInternetAccess to Disabled and launch the notebook in a private subnet with VPC endpoints or a NAT gateway.',
  references: [`${TF_DOCS}sagemaker_notebook_instance#direct_internet_access`, 'https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html'],
  tf: { aws_sagemaker_notebook_instance: (r) => directInternet(r, 'direct_internet_access') },
  cfn: { 'AWS::SageMaker::NotebookInstance': (r) => directInternet(r, 'DirectInternetAccess') },
  fix: { terraform: 'direct_internet_access = "Disabled"\nsubnet_id              = var.private_subnet_id', cloudformation: 'DirectInternetAccess: Disabled\nSubnetId: !Ref PrivateSubnet' },
  bad: [tf('resource "aws_sagemaker_notebook_instance" "nb" {\n  name                   = "nb"\n  instance_type          = "ml.t3.medium"\n  direct_internet_access = "Enabled"\n}\n', 4)],
  good: [cfn('Resources:\n  Notebook:\n    Type: AWS::SageMaker::NotebookInstance\n    Properties:\n      InstanceType: ml.t3.medium\n      DirectInternetAccess: Disabled\n      SubnetId: !Ref PrivateSubnet\n')],
});

const NOT_ISOLATED = 'network isolation is not enabled for the model containers';

export const sagemakerModelIsolation = awsRule({
  id: 'VGL-AWS-180',
  title: 'SageMaker model containers are not network-isolated',
  description: 'Without network isolation the inference containers can make outbound network calls, so a compromised or untrusted model image can exfiltrate the data sent to it.',
  severity: 'medium',
  service: 'sagemaker',
  frameworks: CONTROLS.network(),
  remediation: 'Set enable_network_isolation / EnableNetworkIsolation to true on the model.',
  references: [`${TF_DOCS}sagemaker_model#enable_network_isolation`, 'https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html'],
  tf: { aws_sagemaker_model: (r) => requireTrue(r.attrs, ['enable_network_isolation'], NOT_ISOLATED) },
  cfn: { 'AWS::SageMaker::Model': (r) => requireTrue(r.attrs, ['EnableNetworkIsolation'], NOT_ISOLATED) },
  fix: { terraform: 'enable_network_isolation = true', cloudformation: 'EnableNetworkIsolation: true' },
  bad: [cfn('Resources:\n  Model:\n    Type: AWS::SageMaker::Model\n    Properties:\n      ExecutionRoleArn: !GetAtt Role.Arn\n      EnableNetworkIsolation: false\n', 6)],
  good: [tf('resource "aws_sagemaker_model" "m" {\n  name                     = "m"\n  execution_role_arn       = aws_iam_role.r.arn\n  enable_network_isolation = true\n}\n')],
});

const PRIVILEGED_BUILD = 'the build environment runs in privileged mode';

export const codebuildPrivileged = awsRule({
  id: 'VGL-AWS-181',
  title: 'CodeBuild project runs builds in privileged mode',
  description: 'Privileged mode gives the build container root access to the build host\'s Docker daemon and devices; any code the build runs (dependencies, pull request code) can escape the container.',
  severity: 'high',
  service: 'codebuild',
  frameworks: [...CONTROLS.leastPrivilege(), ...nist('CM-7')],
  remediation: 'Set privileged_mode / PrivilegedMode to false; build images without a Docker daemon (Kaniko, buildah, CodeBuild\'s Docker server capability) where possible.',
  references: [`${TF_DOCS}codebuild_project#privileged_mode`, 'https://docs.aws.amazon.com/codebuild/latest/userguide/security-best-practices.html'],
  tf: {
    aws_codebuild_project: (r) => {
      const env = firstBlock(r.attrs, 'environment');
      return env !== undefined && flag(env.block['privileged_mode']) === true ? [violation([...env.path, 'privileged_mode'], PRIVILEGED_BUILD)] : [];
    },
  },
  cfn: { 'AWS::CodeBuild::Project': (r) => (flag(at(r.attrs, ['Environment', 'PrivilegedMode'])) === true ? [violation(['Environment', 'PrivilegedMode'], PRIVILEGED_BUILD)] : []) },
  fix: { terraform: 'privileged_mode = false', cloudformation: 'PrivilegedMode: false' },
  bad: [tf('resource "aws_codebuild_project" "p" {\n  name = "p"\n  environment {\n    compute_type    = "BUILD_GENERAL1_SMALL"\n    image           = "aws/codebuild/standard:7.0"\n    type            = "LINUX_CONTAINER"\n    privileged_mode = true\n  }\n}\n', 7)],
  good: [cfn('Resources:\n  Build:\n    Type: AWS::CodeBuild::Project\n    Properties:\n      Environment:\n        ComputeType: BUILD_GENERAL1_SMALL\n        Image: aws/codebuild/standard:7.0\n        Type: LINUX_CONTAINER\n        PrivilegedMode: false\n')],
});

/** `container_properties` as written: a JSON string (Terraform) or an object (CloudFormation). */
function containerProperties(v: unknown): Readonly<Record<string, unknown>> | undefined {
  if (isObject(v)) return v;
  if (typeof v !== 'string' || isUnresolved(v) || v.length > 512 * 1024) return undefined;
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(v, errors);
  return errors.length === 0 && isObject(parsed) ? parsed : undefined;
}

const PRIVILEGED_JOB = 'the job container runs privileged';

export const batchPrivileged = awsRule({
  id: 'VGL-AWS-196',
  title: 'Batch job definition runs a privileged container',
  description: 'A privileged Batch container has root capabilities on the compute environment host; a compromised job can take over the instance and the other jobs on it.',
  severity: 'high',
  service: 'batch',
  frameworks: [...CONTROLS.leastPrivilege(), ...nist('CM-7')],
  remediation: 'Remove privileged: true from the container properties and grant only the Linux capabilities the job needs.',
  references: [`${TF_DOCS}batch_job_definition`, `${CFN_DOCS}aws-properties-batch-jobdefinition-containerproperties.html`],
  tf: {
    aws_batch_job_definition: (r) => (flag(containerProperties(r.attrs['container_properties'])?.['privileged']) === true ? [violation(['container_properties'], PRIVILEGED_JOB)] : []),
  },
  cfn: {
    'AWS::Batch::JobDefinition': (r) =>
      flag(at(r.attrs, ['ContainerProperties', 'Privileged'])) === true ? [violation(['ContainerProperties', 'Privileged'], PRIVILEGED_JOB)] : [],
  },
  fix: { terraform: 'container_properties = jsonencode({ image = "busybox", privileged = false })', cloudformation: 'ContainerProperties:\n  Image: busybox\n  Privileged: false' },
  bad: [tf('resource "aws_batch_job_definition" "j" {\n  name = "j"\n  type = "container"\n  container_properties = jsonencode({\n    image      = "busybox"\n    privileged = true\n  })\n}\n', 4)],
  good: [cfn('Resources:\n  Job:\n    Type: AWS::Batch::JobDefinition\n    Properties:\n      Type: container\n      ContainerProperties:\n        Image: busybox\n')],
});
