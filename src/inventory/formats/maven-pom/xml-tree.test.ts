/**
 * ./xml-tree.ts against fast-xml-parser (with the options of ./xml.ts): on every XML file of
 * the shared test data, on corrupted copies of them and on generated documents, every
 * document XMLValidator accepts must give the same tree (start offsets included) or the same
 * error.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { rng } from '../../toml/__fixtures__/differential.js';
import { parseWithLibrary } from './xml.js';
import { buildXmlTree, XML_META } from './xml-tree.js';

const ARRAY_SETS: readonly ReadonlySet<string>[] = [new Set(), new Set(['dependency', 'exclusion', 'module', 'profile', 'PackageReference', 'ItemGroup', 'component', 'artifact', 'b', 'x'])];

/** Trees as plain values, each object's start offset as `$start`. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: plain((v as Record<string, unknown>)[k]), enumerable: true });
  const meta = (v as Record<symbol, { startIndex?: number } | undefined>)[XML_META];
  if (meta) out['$start'] = meta.startIndex;
  return out;
}

type Outcome = { tree: unknown } | { error: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { tree: plain(f()) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Compares both on a validated document; returns whether the fast builder handled it. */
function assertSameTree(text: string, label: string): boolean {
  if (XMLValidator.validate(text) !== true) return false;
  let handled = true;
  for (const arrays of ARRAY_SETS) {
    const mine = outcome(() => buildXmlTree(text, arrays) ?? ((handled = false), undefined));
    if (!handled) return false;
    const lib = outcome(() => parseWithLibrary(text, { arrays }));
    if ('error' in lib && 'error' in mine) {
      // fast-xml-parser adds context to one message; the reason is the same.
      assert.equal(mine.error.split(' at position')[0], lib.error.split(' at position')[0], label);
      continue;
    }
    assert.deepEqual(mine, lib, `${label}\n${text.slice(0, 300)}`);
  }
  return true;
}

const DATA = sharedData();
const XML_NAME = /\.(xml|csproj|props|targets|pom|fsproj|vbproj)$/i;

function xmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    const st = statSync(p);
    return st.isDirectory() ? xmlFiles(p) : XML_NAME.test(e) && st.size < 4 * 1024 * 1024 ? [p] : [];
  });
}

test('every XML file of the shared data, and corrupted copies of them: the same tree', { skip: DATA ? false : skipMessage('(the whole folder)') }, (t) => {
  const files = xmlFiles(DATA!);
  let same = 0;
  let corrupted = 0;
  const random = rng(3);
  const junk = ['<', '>', '/', '"', "'", '=', ' ', '\n', '\r\n', '\t', '<!-- x -->', '<?pi a="1"?>', '<a/>', '</a>', 'x:', '&amp;', '<b>t</b>'];
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/^\ufeff/, '');
    if (assertSameTree(text, file)) same++;
    for (let i = 0; i < 40; i++) {
      const at = Math.floor(random() * text.length);
      const piece = junk[Math.floor(random() * junk.length)]!;
      const mutated = i % 3 === 0 ? text.slice(0, at) + piece + text.slice(at) : i % 3 === 1 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 6)) : text.slice(0, at) + text.slice(at, at + 40) + text.slice(at);
      if (assertSameTree(mutated, `${file} corrupted at ${at}`)) corrupted++;
    }
  }
  t.diagnostic(`${same} of ${files.length} XML files built identically by the fast path (the others hold DOCTYPE/CDATA, or fail validation); ${corrupted} valid corrupted copies`);
  assert.ok(same >= 8);
});

/** A random, mostly well-formed XML document with the constructs the lockfile readers meet. */
function randomXml(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const names = ['a', 'b', 'x', 'dependency', 'ns:b', 'm:x', 'toString', 'valueOf', 'item-1', 'A_b.c', 'hasOwnProperty'];
  const texts = ['', ' ', 'text', ' spaced  text ', 'a &amp; b', 'line\nbreak', 'crlf\r\nline', '  \t ', '&lt;x&gt;', 'ü€'];
  const attr = (): string => {
    const name = pick(['k', 'ns:k', 'xmlns', 'xmlns:n', 'version', 'a:b:c', 'Include', 'x-y']);
    const value = pick(['1', ' padded ', 'a>b', 'multi\nline', 'tab\there', '', "it's", 'crlf\r\nv']);
    return value.includes("'") ? `${name}="${value}"` : random() < 0.5 ? `${name}="${value}"` : `${name}='${value}'`;
  };
  const element = (depth: number): string => {
    const name = pick(names);
    const attrs = Array.from({ length: Math.floor(random() * 3) }, attr);
    const ws = pick([' ', '\t', '\n  ', ' ']);
    const open = `<${name}${attrs.map((a) => ws + a).join('')}`;
    if (random() < 0.25) return `${open}${pick(['/>', ' />', '\t/>'])}`;
    const parts: string[] = [];
    for (let i = Math.floor(random() * (depth < 4 ? 5 : 1)); i > 0; i--) {
      const r = random();
      parts.push(r < 0.5 && depth < 6 ? element(depth + 1) : r < 0.75 ? pick(texts) : r < 0.85 ? '<!-- comment -->' : r < 0.92 ? `<?pi${random() < 0.5 ? ' k="v"' : ''}?>` : pick(texts));
    }
    return `${open}>${parts.join(pick(['', '\n', '\r\n  ']))}</${name}>`;
  };
  const prolog = random() < 0.5 ? `<?xml version="1.0" encoding="UTF-8"?>${pick(['\n', '\r\n', ''])}` : '';
  const before = random() < 0.3 ? '<!-- lead -->\n' : '';
  const after = pick(['', '\n', '\n<!-- tail -->', '\n<?pi tail?>', 'text after<?pi x="1"?>']);
  return `${prolog}${before}${element(0)}${after}`;
}

test('generated documents: the same tree, offsets and errors', () => {
  const random = rng(2026);
  let built = 0;
  for (let i = 0; i < 2500; i++) if (assertSameTree(randomXml(random), `generated #${i}`)) built++;
  assert.ok(built > 600, `only ${built} generated documents passed validation`);
});

test('hostile input: reserved names refused alike, nesting capped alike, nothing else thrown', () => {
  for (const text of ['<constructor/>', '<a><__proto__>1</__proto__></a>', '<prototype x="1">t</prototype>', '<a:constructor/>', '<toString/>', `${'<a>'.repeat(70)}${'</a>'.repeat(70)}`, `${'<a>'.repeat(65)}${'</a>'.repeat(65)}`, `${'<a>'.repeat(66)}${'</a>'.repeat(66)}`]) {
    assertSameTree(text, text.slice(0, 40));
  }
  assert.throws(() => buildXmlTree('<constructor/>', new Set()), /SECURITY/);
  assert.equal(buildXmlTree('<!DOCTYPE a><a/>', new Set()), undefined, 'DOCTYPE goes to fast-xml-parser');
  assert.equal(buildXmlTree('<a><![CDATA[x]]></a>', new Set()), undefined, 'CDATA goes to fast-xml-parser');
  const big = `<project>${'<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency>'.repeat(20_000)}</project>`;
  const started = performance.now();
  const tree = buildXmlTree(big, new Set(['dependency']));
  assert.equal(((tree?.['project'] as Record<string, unknown>)['dependency'] as unknown[]).length, 20_000);
  assert.ok(performance.now() - started < 5000);
});
