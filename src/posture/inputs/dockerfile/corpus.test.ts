import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { DockerInstruction } from './instruction.js';
import { dockerfileInput, parseDockerfile } from './index.js';

/**
 * Every Dockerfile of the shared test data (KICS's Dockerfile queries; read by path, never
 * copied): recognised by name, parsed without a problem unless listed below as really broken,
 * and every line KICS expects a finding at is a stage's FROM line or an instruction's first
 * line (so rules can hit it through `lineOf`).
 */
const ROOT = sharedData();
const KICS = sharedData('kics', 'dockerfile');

const BROKEN: Readonly<Record<string, RegExp>> = {
  // The query's own positive case: two stages named `build`, which `docker build` refuses.
  'kics/dockerfile/same_alias_in_different_froms/test/positive.dockerfile': /duplicate stage name "build"/,
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

test('Dockerfile corpus: every file recognised and read', { skip: ROOT && KICS ? false : skipMessage('kics/dockerfile') }, (t) => {
  const all = ['kics', 'checkov', 'k8s'].map((d) => sharedData(d)).filter((d) => d !== undefined).flatMap((d) => walk(d));
  const files = all.filter((p) => dockerfileInput.accepts(relative(ROOT!, p), ''));
  assert.deepEqual(
    all.filter((p) => p.endsWith('.dockerfile') && !files.includes(p)),
    [],
  );
  let stages = 0;
  let instructions = 0;
  const unexpected: string[] = [];
  const brokenSeen: string[] = [];
  for (const p of files) {
    const rel = relative(ROOT!, p);
    const out = parseDockerfile({ path: rel, text: readFileSync(p, 'utf8') });
    stages += out.resources.length;
    const broken = BROKEN[rel];
    if (broken !== undefined) {
      assert.ok(out.problems.some((x) => broken.test(x.reason)), `${rel}: expected ${broken}`);
      brokenSeen.push(rel);
    } else {
      for (const x of out.problems) unexpected.push(`${rel}:${x.line ?? '-'} ${x.reason}`);
    }
    for (const r of out.resources) {
      const list = r.attrs['instructions'] as DockerInstruction[];
      instructions += list.length;
      list.forEach((_, i) => {
        const line = r.lineOf(['instructions', i]);
        assert.ok(line !== undefined && line > r.line && line <= r.endLine, `${rel} ${r.id}: instruction ${i} at ${line}`);
      });
    }
  }
  assert.deepEqual(unexpected, []);
  assert.deepEqual(brokenSeen.sort(), Object.keys(BROKEN).sort());
  assert.ok(files.length > 100);
  t.diagnostic(`Dockerfile corpus: ${files.length} files, ${stages} stages, ${instructions} instructions, ${brokenSeen.length} broken file(s)`);
});

test('Dockerfile corpus: every line KICS expects a finding at is a stage or instruction line', { skip: KICS ? false : skipMessage('kics/dockerfile') }, (t) => {
  let expected = 0;
  const missed: string[] = [];
  for (const result of walk(KICS!).filter((p) => p.endsWith('/test/positive_expected_result.json'))) {
    const dir = result.slice(0, -'/positive_expected_result.json'.length);
    const entries = JSON.parse(readFileSync(result, 'utf8')) as { line: number; fileName?: string; filename?: string }[];
    for (const e of entries) {
      const name = e.fileName ?? e.filename ?? 'positive.dockerfile';
      if (!existsSync(join(dir, name))) continue;
      expected++;
      const out = parseDockerfile({ path: name, text: readFileSync(join(dir, name), 'utf8') });
      const lines = new Set<number>();
      for (const r of out.resources) {
        lines.add(r.line);
        (r.attrs['instructions'] as unknown[]).forEach((_, i) => lines.add(r.lineOf(['instructions', i])!));
      }
      if (!lines.has(e.line)) missed.push(`${relative(KICS!, dir)}/${name}:${e.line}`);
    }
  }
  assert.deepEqual(missed, []);
  assert.ok(expected > 50);
  t.diagnostic(`KICS Dockerfile expected lines reachable: ${expected}/${expected}`);
});
