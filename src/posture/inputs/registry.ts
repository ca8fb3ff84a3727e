/**
 * The posture inputs, in the order they are asked whether they read a file (the first that
 * accepts it gets it: CloudFormation before Kubernetes, both YAML; Terraform plan JSON before
 * the YAML/JSON inputs).
 */
import type { InputType } from '../model.js';
import { cloudFormationInput } from './cloudformation/index.js';
import { dockerfileInput } from './dockerfile/index.js';
import { kubernetesInput } from './kubernetes/index.js';
import { terraformInput } from './terraform/index.js';
import { terraformPlanInput } from './terraform-plan/index.js';
import type { InputAdapter } from './types.js';

export const INPUTS: readonly InputAdapter[] = [terraformPlanInput, terraformInput, cloudFormationInput, kubernetesInput, dockerfileInput];

export const INPUT_BY_ID: ReadonlyMap<InputType, InputAdapter> = new Map(INPUTS.map((i) => [i.id, i]));

/** File name an example or a single text is given when none is named. */
export const DEFAULT_FILE_NAMES: Readonly<Record<InputType, string>> = {
  kubernetes: 'manifest.yaml',
  terraform: 'main.tf',
  'terraform-plan': 'plan.json',
  cloudformation: 'template.yaml',
  dockerfile: 'Dockerfile',
  aws: 'aws-snapshot.json',
  azure: 'azure-snapshot.json',
  gcp: 'gcp-snapshot.json',
  'kubernetes-cluster': 'cluster.json',
};

export function inputFor(path: string, head: string): InputAdapter | undefined {
  return INPUTS.find((i) => i.accepts(path, head));
}
