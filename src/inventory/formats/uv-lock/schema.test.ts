import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData } from '../../../../test/helpers/shared.js';
import { normalise, rng } from '../../toml/__fixtures__/differential.js';
import { parseToml } from '../../toml/parse.js';
import { isPlainUvPackage, uvPackageSchema } from './schema.js';

/** Every `[[package]]` of the uv.lock files in the shared data (or a small built-in one). */
function packages(): unknown[] {
  const root = sharedData('lockfiles');
  const files = root ? (function walk(d: string): string[] {
    return readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : /uv\.lock$|uvlock.*\.lock$/.test(join(d, e)) ? [join(d, e)] : []));
  })(root) : [];
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  texts.push('[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "x" }\ndependencies = [{ name = "b", extra = ["e"] }]\n[package.optional-dependencies]\nx = [{ name = "c" }]\n');
  return texts.flatMap((t) => {
    const r = parseToml(t);
    return r.ok && Array.isArray(r.value['package']) ? r.value['package'] : [];
  });
}

const ODD: readonly unknown[] = ['', 'x', 1, true, [], [1], ['s'], {}, { name: 'n' }, { name: '' }, new Date(0), [{ name: 1 }], JSON.parse('{"__proto__": {"x": 1}}')];

test('isPlainUvPackage accepts only what the zod schema accepts, with the same value', () => {
  const random = rng(5);
  const base = packages();
  assert.ok(base.length > 0);
  let accepted = 0;
  const check = (raw: unknown): void => {
    if (!isPlainUvPackage(raw)) return;
    accepted++;
    const r = uvPackageSchema.safeParse(raw);
    assert.ok(r.success, JSON.stringify(raw).slice(0, 200));
    assert.deepEqual(normalise(r.data), normalise(raw));
  };
  for (const pkg of base) {
    check(pkg);
    for (let i = 0; i < 20; i++) {
      // One field replaced, or one element of a nested list, by an odd value.
      const copy = { ...(pkg as Record<string, unknown>) };
      const keys = ['name', 'version', 'source', 'dependencies', 'optional-dependencies', 'dev-dependencies', 'sdist', 'wheels', 'other'];
      const key = keys[Math.floor(random() * keys.length)]!;
      const odd = ODD[Math.floor(random() * ODD.length)];
      if (Array.isArray(copy[key]) && random() < 0.5) copy[key] = [...(copy[key] as unknown[]), odd];
      else if (typeof copy[key] === 'object' && copy[key] !== null && random() < 0.5) copy[key] = { ...(copy[key]), [keys[Math.floor(random() * keys.length)]!]: odd };
      else copy[key] = odd;
      check(copy);
    }
  }
  assert.ok(accepted >= base.length, `accepted ${accepted}`);
});
