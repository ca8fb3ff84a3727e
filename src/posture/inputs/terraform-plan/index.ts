/**
 * Terraform plan input: `terraform show -json` output (plan or state) → `tf:*` resources with
 * the same kinds, addresses and attribute shapes as the HCL input (see parse.ts).
 */
import type { InputProblem, Resource } from '../../model.js';
import type { InputAdapter, InputResult, SourceFile } from '../types.js';
import { parsePlan } from './parse.js';

export { UNKNOWN_VALUE } from './parse.js';

export const terraformPlanInput: InputAdapter = {
  id: 'terraform-plan',
  accepts(path: string, head: string): boolean {
    return (
      path.toLowerCase().endsWith('.json') &&
      head.includes('"format_version"') &&
      (head.includes('"planned_values"') || head.includes('"terraform_version"'))
    );
  },
  async parse(files: readonly SourceFile[]): Promise<InputResult> {
    const resources: Resource[] = [];
    const problems: InputProblem[] = [];
    for (const file of files) {
      try {
        const r = parsePlan(file);
        resources.push(...r.resources);
        problems.push(...r.problems);
      } catch (err: unknown) {
        problems.push({ path: file.path, reason: `could not read the plan: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    return { resources, problems };
  },
};
