/**
 * Containers: ECR repositories (scan on push, immutable tags, public policies), ECS services
 * and task definitions (public IPs, privileged containers) and EKS clusters (public endpoint,
 * secrets encryption, control plane logs).
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { at, isObject, isUnresolved, str } from '../../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import { allowsAnyone, policyStatements } from '../lib/policy.js';
import { eachBlock, firstBlock, flag, isAbsent, join, lower, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, csf, iso, nist, pci, soc2, TF_DOCS, tf } from './lib/define.js';
import { secretReason } from './lib/secrets.js';

const NO_SCAN = 'images are not scanned for vulnerabilities on push';

export const ecrScanOnPush = awsRule({
  id: 'VGL-AWS-160',
  title: 'ECR repository does not scan images on push',
  description: 'Images pushed to the repository are not scanned, so known vulnerabilities in their packages go unnoticed until they run.',
  severity: 'medium',
  service: 'ecr',
  frameworks: [...nist('RA-5'), ...csf('ID.RA-01'), ...iso('A.8.8'), ...soc2('CC7.1'), ...pci('6.3.1')],
  remediation: 'Enable image_scanning_configuration { scan_on_push = true } / ImageScanningConfiguration.ScanOnPush, or registry-level enhanced scanning.',
  references: [`${TF_DOCS}ecr_repository#image_scanning_configuration`, 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html'],
  tf: {
    aws_ecr_repository: (r) => {
      const b = firstBlock(r.attrs, 'image_scanning_configuration');
      return b === undefined ? [violation(['image_scanning_configuration'], NO_SCAN)] : requireTrue(b.block, ['scan_on_push'], NO_SCAN).map((v) => violation(join(b.path, 'scan_on_push'), v.message));
    },
  },
  cfn: { 'AWS::ECR::Repository': (r) => requireTrue(r.attrs, ['ImageScanningConfiguration', 'ScanOnPush'], NO_SCAN) },
  fix: { terraform: 'image_scanning_configuration {\n  scan_on_push = true\n}', cloudformation: 'ImageScanningConfiguration:\n  ScanOnPush: true' },
  bad: [tf('resource "aws_ecr_repository" "app" {\n  name = "app"\n  image_scanning_configuration {\n    scan_on_push = false\n  }\n}\n', 4)],
  good: [cfn('Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageScanningConfiguration:\n        ScanOnPush: true\n')],
});

const MUTABLE = 'image tags are mutable: a pushed tag can be overwritten with another image';

export const ecrImmutableTags = awsRule({
  id: 'VGL-AWS-161',
  title: 'ECR repository allows mutable image tags',
  description: 'With mutable tags anyone who can push may replace the image behind an existing tag (app:1.4.2), so deployments by tag can silently run different code.',
  severity: 'low',
  service: 'ecr',
  frameworks: [...nist('CM-14', 'SI-7'), ...iso('A.8.32'), ...soc2('CC8.1')],
  remediation: 'Set image_tag_mutability / ImageTagMutability to IMMUTABLE (and deploy by digest).',
  references: [`${TF_DOCS}ecr_repository#image_tag_mutability`, 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html'],
  tf: { aws_ecr_repository: (r) => (lower(r.attrs, ['image_tag_mutability']) ?? 'mutable') === 'mutable' ? [violation(['image_tag_mutability'], MUTABLE)] : [] },
  cfn: { 'AWS::ECR::Repository': (r) => (lower(r.attrs, ['ImageTagMutability']) ?? 'mutable') === 'mutable' ? [violation(['ImageTagMutability'], MUTABLE)] : [] },
  fix: { terraform: 'image_tag_mutability = "IMMUTABLE"', cloudformation: 'ImageTagMutability: IMMUTABLE' },
  bad: [tf('resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "MUTABLE"\n}\n', 3)],
  good: [cfn('Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      ImageTagMutability: IMMUTABLE\n')],
});

function publicPolicy(r: Resource, ctx: RuleContext, path: AttrPath): Violation[] {
  const statements = policyStatements(r, path, ctx);
  return statements?.some(allowsAnyone) === true ? [violation(path, 'the repository policy allows any principal')] : [];
}

export const ecrPublicPolicy = awsRule({
  id: 'VGL-AWS-162',
  title: 'ECR repository policy allows anyone',
  description: 'A repository policy statement that allows principal "*" without a condition tying it to your accounts or organisation lets any AWS account pull (or push) images.',
  severity: 'high',
  service: 'ecr',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Name the accounts, roles or organisation (aws:PrincipalOrgID) allowed to use the repository instead of "*".',
  references: [`${TF_DOCS}ecr_repository_policy`, 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html'],
  tf: { aws_ecr_repository_policy: (r, ctx) => publicPolicy(r, ctx, ['policy']) },
  cfn: { 'AWS::ECR::Repository': (r, ctx) => publicPolicy(r, ctx, ['RepositoryPolicyText']) },
  fix: { terraform: 'principals {\n  type        = "AWS"\n  identifiers = ["arn:aws:iam::123456789012:root"]\n}', cloudformation: 'Principal:\n  AWS: arn:aws:iam::123456789012:root' },
  bad: [tf('resource "aws_ecr_repository_policy" "p" {\n  repository = aws_ecr_repository.app.name\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = ["ecr:BatchGetImage"]\n    }]\n  })\n}\n', 3)],
  good: [cfn('Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryPolicyText:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: arn:aws:iam::123456789012:root\n            Action: ecr:BatchGetImage\n')],
});

const PUBLIC_IP = 'tasks get a public IP address';

export const ecsPublicIp = awsRule({
  id: 'VGL-AWS-163',
  title: 'ECS service assigns public IP addresses to its tasks',
  description: 'Tasks with public IP addresses are reachable from the internet on any port their security groups allow, instead of only through a load balancer.',
  severity: 'medium',
  service: 'ecs',
  frameworks: CONTROLS.network(),
  remediation: 'Set assign_public_ip = false / AssignPublicIp: DISABLED and run tasks in private subnets behind a load balancer or NAT.',
  references: [`${TF_DOCS}ecs_service#assign_public_ip`, `${CFN_DOCS}aws-properties-ecs-service-awsvpcconfiguration.html`],
  tf: {
    aws_ecs_service: (r) =>
      eachBlock(r.attrs, 'network_configuration').flatMap(({ block, path }) => (flag(block['assign_public_ip']) === true ? [violation(join(path, 'assign_public_ip'), PUBLIC_IP)] : [])),
  },
  cfn: {
    'AWS::ECS::Service': (r) =>
      lower(r.attrs, ['NetworkConfiguration', 'AwsvpcConfiguration', 'AssignPublicIp']) === 'enabled'
        ? [violation(['NetworkConfiguration', 'AwsvpcConfiguration', 'AssignPublicIp'], PUBLIC_IP)]
        : [],
  },
  fix: { terraform: 'network_configuration {\n  subnets          = var.private_subnet_ids\n  assign_public_ip = false\n}', cloudformation: 'AwsvpcConfiguration:\n  AssignPublicIp: DISABLED' },
  bad: [tf('resource "aws_ecs_service" "web" {\n  name = "web"\n  network_configuration {\n    subnets          = ["subnet-1"]\n    assign_public_ip = true\n  }\n}\n', 5)],
  good: [tf('resource "aws_ecs_service" "web" {\n  name = "web"\n  network_configuration {\n    subnets          = ["subnet-1"]\n    assign_public_ip = false\n  }\n}\n')],
});

/** Container definitions as written: a JSON string (Terraform) or a list (CloudFormation). */
function containers(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v as unknown[];
  if (typeof v !== 'string' || isUnresolved(v) || v.length > 512 * 1024) return undefined;
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(v, errors);
  return errors.length === 0 && Array.isArray(parsed) ? parsed : undefined;
}

function privileged(r: Resource, key: string, flagKey: string, tfInput: boolean): Violation[] {
  const list = containers(r.attrs[key]);
  if (list === undefined) return [];
  return list.flatMap((c, i) => {
    if (!isObject(c) || flag(c[flagKey]) !== true) return [];
    const name = str(c['name'] ?? c['Name']) ?? `#${i}`;
    return [violation(tfInput ? [key] : [key, i, flagKey], `container ${name} runs privileged`)];
  });
}

export const ecsPrivileged = awsRule({
  id: 'VGL-AWS-164',
  title: 'ECS task definition runs a privileged container',
  description: 'A privileged container has root capabilities on the host (all devices, all capabilities); escaping it gives control of the container instance and every task on it.',
  severity: 'high',
  service: 'ecs',
  frameworks: [...CONTROLS.leastPrivilege(), ...nist('CM-7')],
  remediation: 'Remove "privileged": true from the container definitions and add only the Linux capabilities the container needs.',
  references: [`${TF_DOCS}ecs_task_definition`, 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security'],
  tf: { aws_ecs_task_definition: (r) => privileged(r, 'container_definitions', 'privileged', true) },
  cfn: { 'AWS::ECS::TaskDefinition': (r) => privileged(r, 'ContainerDefinitions', 'Privileged', false) },
  fix: { terraform: 'container_definitions = jsonencode([{ name = "app", image = "app:1.0", privileged = false }])', cloudformation: 'ContainerDefinitions:\n  - Name: app\n    Image: app:1.0\n    Privileged: false' },
  bad: [
    tf('resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = jsonencode([{\n    name       = "app"\n    image      = "app:1.0"\n    privileged = true\n  }])\n}\n', 3),
    cfn('Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: app:1.0\n          Privileged: true\n', 8),
  ],
  good: [tf('resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = jsonencode([{ name = "app", image = "app:1.0" }])\n}\n')],
});

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

function eksEndpoint(a: Attrs, tfInput: boolean): Violation[] {
  const k = tfInput
    ? { vpc: 'vpc_config', enabled: 'endpoint_public_access', cidrs: 'public_access_cidrs' }
    : { vpc: 'ResourcesVpcConfig', enabled: 'EndpointPublicAccess', cidrs: 'PublicAccessCidrs' };
  const vpc = tfInput ? firstBlock(a, k.vpc) : isObject(a[k.vpc]) ? { block: a[k.vpc] as Attrs, path: [k.vpc] as AttrPath } : undefined;
  if (vpc === undefined) return [];
  const enabled = vpc.block[k.enabled];
  if (!isAbsent(enabled) && flag(enabled) !== true) return [];
  const cidrs = vpc.block[k.cidrs];
  if (isAbsent(cidrs) || (Array.isArray(cidrs) && cidrs.length === 0)) {
    return [violation(join(vpc.path, k.cidrs), 'the public API endpoint is open to 0.0.0.0/0 (no public access CIDRs set)')];
  }
  if (!Array.isArray(cidrs)) return [];
  const i = cidrs.findIndex((c) => typeof c === 'string' && OPEN_CIDRS.has(c.trim()));
  return i < 0 ? [] : [violation(join(vpc.path, k.cidrs, i), 'the public API endpoint is open to the whole internet')];
}

export const eksPublicEndpoint = awsRule({
  id: 'VGL-AWS-165',
  title: 'EKS cluster API endpoint is public to the internet',
  description: 'The Kubernetes API server endpoint is public and accepts connections from any address, exposing it to credential stuffing and to any API server vulnerability.',
  severity: 'high',
  service: 'eks',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Turn off endpoint_public_access / EndpointPublicAccess (use the private endpoint), or restrict public_access_cidrs / PublicAccessCidrs to known networks.',
  references: [`${TF_DOCS}eks_cluster#public_access_cidrs`, 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html'],
  tf: { aws_eks_cluster: (r) => eksEndpoint(r.attrs, true) },
  cfn: { 'AWS::EKS::Cluster': (r) => eksEndpoint(r.attrs, false) },
  fix: { terraform: 'vpc_config {\n  subnet_ids              = var.private_subnet_ids\n  endpoint_private_access = true\n  endpoint_public_access  = false\n}', cloudformation: 'ResourcesVpcConfig:\n  EndpointPrivateAccess: true\n  EndpointPublicAccess: false' },
  bad: [tf('resource "aws_eks_cluster" "k" {\n  name = "k"\n  vpc_config {\n    subnet_ids          = ["subnet-1"]\n    public_access_cidrs = ["0.0.0.0/0"]\n  }\n}\n', 5)],
  good: [tf('resource "aws_eks_cluster" "k" {\n  name = "k"\n  vpc_config {\n    subnet_ids             = ["subnet-1"]\n    endpoint_public_access = false\n  }\n}\n')],
});

function encryptsSecrets(a: Attrs, tfInput: boolean): Violation[] {
  const key = tfInput ? 'encryption_config' : 'EncryptionConfig';
  const configs = tfInput ? eachBlock(a, key).map((b) => b.block) : (Array.isArray(a[key]) ? (a[key] as unknown[]) : []).filter(isObject);
  const resources = configs.flatMap((c) => {
    const v = c[tfInput ? 'resources' : 'Resources'];
    return Array.isArray(v) ? (v as unknown[]) : [v];
  });
  if (resources.some((x) => x === 'secrets' || isUnresolved(x))) return [];
  return [violation([key], 'Kubernetes secrets are not envelope-encrypted with a KMS key')];
}

export const eksSecretsEncryption = awsRule({
  id: 'VGL-AWS-166',
  title: 'EKS cluster does not encrypt Kubernetes secrets with KMS',
  description: 'Without envelope encryption, Kubernetes Secrets are protected in etcd only by EKS\'s default encryption; a KMS key you control adds key policy, audit and revocation.',
  severity: 'medium',
  service: 'eks',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Add encryption_config { resources = ["secrets"] provider { key_arn = … } } / EncryptionConfig with a customer managed KMS key.',
  references: [`${TF_DOCS}eks_cluster#encryption_config`, 'https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html'],
  tf: { aws_eks_cluster: (r) => encryptsSecrets(r.attrs, true) },
  cfn: { 'AWS::EKS::Cluster': (r) => encryptsSecrets(r.attrs, false) },
  fix: { terraform: 'encryption_config {\n  resources = ["secrets"]\n  provider {\n    key_arn = aws_kms_key.eks.arn\n  }\n}', cloudformation: 'EncryptionConfig:\n  - Resources: [secrets]\n    Provider:\n      KeyArn: !GetAtt EksKey.Arn' },
  bad: [tf('resource "aws_eks_cluster" "k" {\n  name     = "k"\n  role_arn = aws_iam_role.eks.arn\n}\n', 1)],
  good: [tf('resource "aws_eks_cluster" "k" {\n  name = "k"\n  encryption_config {\n    resources = ["secrets"]\n    provider {\n      key_arn = aws_kms_key.eks.arn\n    }\n  }\n}\n')],
});

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

function controlPlaneLogs(enabled: unknown, path: AttrPath): Violation[] {
  if (isUnresolved(enabled)) return [];
  const list = Array.isArray(enabled) ? enabled : [];
  if (list.some((x) => typeof x !== 'string' || isUnresolved(x))) return [];
  const missing = LOG_TYPES.filter((t) => !list.includes(t));
  return missing.length === 0 ? [] : [violation(path, `control plane logs not enabled: ${missing.join(', ')}`)];
}

export const eksControlPlaneLogs = awsRule({
  id: 'VGL-AWS-167',
  title: 'EKS control plane logging is incomplete',
  description: 'EKS sends no control plane logs to CloudWatch unless enabled per type; without the audit and authenticator logs in particular, who did what in the cluster cannot be established.',
  severity: 'medium',
  service: 'eks',
  frameworks: CONTROLS.logging(),
  remediation: 'Enable all log types: enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"] (Logging.ClusterLogging.EnabledTypes).',
  references: [`${TF_DOCS}eks_cluster#enabled_cluster_log_types`, 'https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html'],
  tf: { aws_eks_cluster: (r) => controlPlaneLogs(r.attrs['enabled_cluster_log_types'], ['enabled_cluster_log_types']) },
  cfn: {
    'AWS::EKS::Cluster': (r) => {
      const types = at(r.attrs, ['Logging', 'ClusterLogging', 'EnabledTypes']);
      const names = Array.isArray(types) ? (types as unknown[]).map((t) => (isObject(t) ? t['Type'] : t)) : types;
      return controlPlaneLogs(names, ['Logging', 'ClusterLogging', 'EnabledTypes']);
    },
  },
  fix: { terraform: 'enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]', cloudformation: 'Logging:\n  ClusterLogging:\n    EnabledTypes:\n      - Type: api\n      - Type: audit\n      - Type: authenticator\n      - Type: controllerManager\n      - Type: scheduler' },
  bad: [tf('resource "aws_eks_cluster" "k" {\n  name                      = "k"\n  enabled_cluster_log_types = ["api", "audit"]\n}\n', 3)],
  good: [tf('resource "aws_eks_cluster" "k" {\n  name                      = "k"\n  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]\n}\n')],
});

function environmentSecrets(r: Resource, key: string, tfInput: boolean): Violation[] {
  const list = containers(r.attrs[key]);
  if (list === undefined) return [];
  const [envKey, nameKey, valueKey] = tfInput ? ['environment', 'name', 'value'] : ['Environment', 'Name', 'Value'];
  return list.flatMap((c, i) => {
    const env = isObject(c) ? c[envKey] : undefined;
    if (!Array.isArray(env)) return [];
    return (env as unknown[]).flatMap((e, j) => {
      const name = isObject(e) ? str(e[nameKey]) : undefined;
      const reason = name === undefined || !isObject(e) ? undefined : secretReason(name, e[valueKey]);
      if (reason === undefined) return [];
      return [violation(tfInput ? [key] : [key, i, envKey, j, valueKey], `container environment variable ${reason}`)];
    });
  });
}

export const ecsEnvSecrets = awsRule({
  id: 'VGL-AWS-158',
  title: 'ECS task definition has a secret in a plain environment variable',
  description: 'Environment values in a task definition are stored and shown in clear (console, DescribeTaskDefinition, templates, state); AWS access keys and passwords there leak and cannot be rotated without a new revision.',
  severity: 'high',
  service: 'ecs',
  frameworks: CONTROLS.secrets(),
  remediation: 'Move the value to Secrets Manager or SSM Parameter Store and reference it in the container\'s secrets (Secrets) list; use the task role instead of access keys.',
  references: [`${TF_DOCS}ecs_task_definition#container_definitions`, 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html'],
  tf: { aws_ecs_task_definition: (r) => environmentSecrets(r, 'container_definitions', true) },
  cfn: { 'AWS::ECS::TaskDefinition': (r) => environmentSecrets(r, 'ContainerDefinitions', false) },
  fix: { terraform: 'secrets = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn }]', cloudformation: 'Secrets:\n  - Name: DB_PASSWORD\n    ValueFrom: !Ref DbSecret' },
  bad: [cfn('Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: app\n          Image: app:1.0\n          Environment:\n            - Name: DB_PASSWORD\n              Value: hunter2hunter2\n', 10)],
  good: [tf('resource "aws_ecs_task_definition" "t" {\n  family = "t"\n  container_definitions = jsonencode([{\n    name    = "app"\n    image   = "app:1.0"\n    secrets = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" }]\n  }])\n}\n')],
});
