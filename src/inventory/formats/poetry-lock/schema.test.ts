import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../../../test/helpers/shared.js';
import { normalise, rng } from '../../toml/__fixtures__/differential.js';
import { parseToml } from '../../toml/parse.js';
import { isPlainPoetryPackage, poetryPackageSchema } from './schema.js';

/** Every `[[package]]` of the poetry.lock files in the shared data (or a small built-in one). */
function packages(): unknown[] {
  const root = sharedData('lockfiles');
  const walk = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : /poetry/.test(join(d, e)) && e.endsWith('.lock') ? [join(d, e)] : []));
  const texts = (root ? walk(root) : []).map((f) => readFileSync(f, 'utf8'));
  texts.push('[[package]]\nname = "a"\nversion = "1"\noptional = false\ngroups = ["main"]\nfiles = [{ file = "a.whl", hash = "sha256:00" }]\n[package.source]\ntype = "git"\nurl = "u"\n[package.dependencies]\nb = ">=1"\n');
  return texts.flatMap((t) => {
    const r = parseToml(t);
    return r.ok && Array.isArray(r.value['package']) ? r.value['package'] : [];
  });
}

const ODD: readonly unknown[] = ['', 'x', 1, true, [], [1], ['s'], {}, { file: 1 }, { hash: 'h' }, new Date(0), JSON.parse('{"__proto__": {"x": 1}}')];

test('isPlainPoetryPackage accepts only what the zod schema accepts, with the same value', () => {
  const random = rng(11);
  const base = packages();
  let accepted = 0;
  const check = (raw: unknown): void => {
    if (!isPlainPoetryPackage(raw)) return;
    accepted++;
    const r = poetryPackageSchema.safeParse(raw);
    assert.ok(r.success, JSON.stringify(raw).slice(0, 200));
    assert.deepEqual(normalise(r.data), normalise(raw));
  };
  const keys = ['name', 'version', 'category', 'optional', 'groups', 'source', 'dependencies', 'files', 'other'];
  for (const pkg of base) {
    check(pkg);
    for (let i = 0; i < 30; i++) {
      const copy = { ...(pkg as Record<string, unknown>) };
      const key = keys[Math.floor(random() * keys.length)]!;
      const odd = ODD[Math.floor(random() * ODD.length)];
      if (Array.isArray(copy[key]) && random() < 0.5) copy[key] = [...(copy[key] as unknown[]), odd];
      else if (typeof copy[key] === 'object' && copy[key] !== null && random() < 0.5) copy[key] = { ...(copy[key]), [keys[Math.floor(random() * keys.length)]!]: odd };
      else copy[key] = odd;
      check(copy);
    }
  }
  assert.ok(accepted >= base.length, `accepted ${accepted} of ${base.length} unmodified packages and their variants`);
});
