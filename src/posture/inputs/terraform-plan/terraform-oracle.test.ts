/**
 * Oracle check against the real `terraform` binary when it is installed: a configuration of
 * `terraform_data` resources (built into Terraform, so no provider download) is planned with
 * `terraform plan` + `terraform show -json`, and the plan input must give the same resources and
 * known values as the HCL input reading the configuration. Skipped when terraform is absent.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { terraformInput } from '../terraform/index.js';
import { terraformPlanInput } from './index.js';

const FILES: Record<string, string> = {
  'main.tf': `locals {
  envs = { dev = 1, prod = 3 }
}

resource "terraform_data" "counted" {
  count = 2
  input = { name = "c-\${count.index}", tags = ["a", "b"], port = 22 + count.index }
}

resource "terraform_data" "keyed" {
  for_each = local.envs
  input    = { env = each.key, size = each.value * 2, upper = upper(each.key) }
}

resource "terraform_data" "ref" {
  input = terraform_data.counted[0].id
}

module "child" {
  source   = "./child"
  for_each = toset(["x"])
  label    = "lbl-\${each.key}"
}
`,
  'child/main.tf': `variable "label" {}

resource "terraform_data" "inner" {
  input = { label = var.label, list = [for i in range(3) : i * i] }
}
`,
};

function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

test('terraform show -json of a real plan matches the HCL input', { timeout: 120_000 }, async (t) => {
  if (!terraformAvailable()) return t.skip('terraform is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tf-'));
  try {
    for (const [name, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    const run = (...args: string[]): string => execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      run('init', '-input=false', '-backend=false');
      run('plan', '-input=false', '-out=plan.bin');
    } catch (err: unknown) {
      return t.skip(`terraform could not plan here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    const planText = run('show', '-json', 'plan.bin');
    const plan = await terraformPlanInput.parse([{ path: 'plan.json', text: planText }]);
    const hcl = await terraformInput.parse(Object.entries(FILES).map(([path, text]) => ({ path, text })));
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(hcl.problems, []);
    const managed = hcl.resources.filter((r) => r.kind === 'tf:terraform_data');
    assert.deepEqual(managed.map((r) => r.id).sort(), plan.resources.map((r) => r.id).sort());
    const planById = new Map(plan.resources.map((r) => [r.id, r]));
    for (const r of managed) {
      const p = planById.get(r.id)!;
      assert.equal(p.kind, r.kind);
      if (r.id === 'terraform_data.ref') {
        assert.equal(r.attrs['input'], '${terraform_data.counted[0].id}');
        assert.equal(p.attrs['input'], '${unknown}');
        assert.deepEqual(p.refs, r.refs);
      } else {
        assert.deepEqual(r.attrs['input'], p.attrs['input'], r.id);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
