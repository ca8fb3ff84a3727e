import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terraformInput } from './index.js';
import { LIMITS } from './limits.js';

async function parseTimed(text: string, path = 'main.tf'): Promise<Awaited<ReturnType<typeof terraformInput.parse>> & { ms: number }> {
  const t0 = performance.now();
  const r = await terraformInput.parse([{ path, text }]);
  return { ...r, ms: performance.now() - t0 };
}

test('deeply nested expressions and blocks: a problem, no stack overflow', async () => {
  const depth = 20_000;
  const r1 = await parseTimed(`resource "x_r" "r" {\n  v = ${'['.repeat(depth)}1${']'.repeat(depth)}\n  ok = "yes"\n}\n`);
  assert.equal(r1.resources.length, 1);
  assert.equal(r1.resources[0]!.attrs['ok'], 'yes');
  assert.ok(r1.problems.some((p) => /nesting deeper than/.test(p.reason)));
  const r2 = await parseTimed(`resource "x_r" "r" {\n${'a {\n'.repeat(5000)}${'}\n'.repeat(5000)}}\n`);
  assert.equal(r2.resources.length, 1);
  assert.ok(r2.problems.some((p) => /nesting deeper than/.test(p.reason)));
  const r3 = await parseTimed(`resource "x_r" "r" {\n  v = ${Array.from({ length: 50_000 }, () => '1').join(' + ')}\n}\n`);
  assert.equal(r3.resources.length, 1);
  assert.match(r3.resources[0]!.attrs['v'] as string, /^\$\{1 \+ 1/);
  assert.ok(r1.ms + r2.ms + r3.ms < 20_000);
});

test('a file over the size limit is a problem, not read', async () => {
  const r = await parseTimed('#'.repeat(LIMITS.maxFileChars + 1));
  assert.deepEqual(r.resources, []);
  assert.match(r.problems[0]!.reason, /larger than/);
});

test('a huge string literal is read up to the string limit, unresolved beyond', async () => {
  const big = 'a'.repeat(LIMITS.maxString);
  const r = await parseTimed(`resource "x_r" "r" {\n  v = "${big}"\n  w = "${big}b"\n}\n`);
  assert.equal(r.resources[0]!.attrs['v'], big);
  assert.match(r.resources[0]!.attrs['w'] as string, /^\$\{"a/);
  assert.match(r.problems[0]!.reason, /string longer than/);
});

test('template, list and object bombs through locals end unresolved with a problem', async () => {
  for (const n of [40, 70]) {
    const chain = (l0: string, f: (prev: string) => string): string =>
      `locals {\n  l0 = ${l0}\n${Array.from({ length: n }, (_, i) => `  l${i + 1} = ${f(`local.l${i}`)}`).join('\n')}\n}\n`;
    for (const [name, body] of [
      ['template', chain('"xxxxxxxx"', (p) => `"\${${p}}\${${p}}"`)],
      ['list', chain('["x"]', (p) => `concat(${p}, ${p})`)],
      ['object', chain('1', (p) => `{ a = ${p}, b = ${p} }`)],
    ] as const) {
      const r = await parseTimed(`${body}\nresource "x_r" "r" {\n  v = local.l${n}\n  ok = 1\n}\n`);
      assert.equal(r.resources.length, 1, name);
      assert.equal(r.resources[0]!.attrs['ok'], 1, name);
      assert.equal(r.resources[0]!.attrs['v'], `\${local.l${n}}`, name);
      assert.match(r.problems[0]?.reason ?? '', /longer than|larger than|more than 64 deep/, name);
      assert.ok(r.ms < 10_000, `${name} took ${r.ms} ms`);
    }
  }
});

test('count = 1000000 is capped: a problem and one instance as written', async () => {
  const r = await parseTimed('resource "aws_instance" "many" {\n  count = 1000000\n  name = "i-${count.index}"\n}\n');
  assert.deepEqual(r.resources.map((x) => x.id), ['aws_instance.many[0]']);
  assert.equal(r.resources[0]!.attrs['name'], 'i-${count.index}');
  assert.match(r.problems[0]!.reason, /more than 1000/);
  const fe = await parseTimed('resource "aws_instance" "many" {\n  for_each = toset([for i in range(5000) : tostring(i)])\n}\n');
  assert.deepEqual(fe.resources.map((x) => x.id), ['aws_instance.many']);
  assert.match(fe.problems[0]!.reason, /more than 1000/);
});

test('module fan-out stops at the resource limit', async () => {
  const r = await terraformInput.parse([
    { path: 'main.tf', text: 'module "m" {\n  source = "./m"\n  count = 1000\n}\n' },
    { path: 'm/main.tf', text: 'module "n" {\n  source = "../n"\n  count = 1000\n}\n' },
    { path: 'n/main.tf', text: 'resource "x_r" "r" { count = 1000 }\n' },
  ]);
  assert.equal(r.resources.length, LIMITS.maxResources);
  assert.ok(r.problems.some((p) => /more than 200000 resources/.test(p.reason)));
});

test('a long chain of locals is cut, not a stack overflow', async () => {
  const n = 20_000;
  const locals = Array.from({ length: n }, (_, i) => `  l${i + 1} = local.l${i}`).join('\n');
  const r = await parseTimed(`locals {\n  l0 = 1\n${locals}\n}\nresource "x_r" "r" {\n  v = local.l${n}\n  w = local.l10\n}\n`);
  assert.equal(r.resources[0]!.attrs['v'], `\${local.l${n}}`);
  assert.equal(r.resources[0]!.attrs['w'], 1);
});

test('nested for expressions hit the step limit', async () => {
  const r = await parseTimed('resource "x_r" "r" {\n  v = [for a in range(3000) : [for b in range(3000) : a * b]]\n  ok = true\n}\n');
  assert.match(r.resources[0]!.attrs['v'] as string, /^\$\{\[for a/);
  assert.equal(r.resources[0]!.attrs['ok'], true);
  assert.ok(r.problems.some((p) => /limit/.test(p.reason)));
});

test('__proto__ keys are plain keys; nothing is polluted', async () => {
  const r = await parseTimed('resource "x_r" "r" {\n  tags = { "__proto__" = { polluted = true }, constructor = 1 }\n  __proto__ = "x"\n}\n');
  const attrs = r.resources[0]!.attrs;
  assert.equal(Object.hasOwn(attrs, '__proto__'), true);
  assert.equal(Object.hasOwn(attrs['tags'] as object, '__proto__'), true);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('garbage, NUL bytes and unterminated strings or heredocs give problems, never throw', async () => {
  for (const text of ['\u0000\u0001\u0002', 'resource "a" "b" {\n  x = "unterminated\n}\n', 'x = <<EOT\nnever closed\n', '{{{{[[[[(((("', 'resource', '"', '\uFFFF\uD800']) {
    const r = await parseTimed(text);
    assert.ok(r.problems.length > 0, JSON.stringify(text));
  }
});

test('regex arguments are not evaluated (no catastrophic backtracking)', async () => {
  const r = await parseTimed(`resource "x_r" "r" {\n  v = replace("${'a'.repeat(50)}!", "/(a+)+$/", "")\n}\n`);
  assert.match(r.resources[0]!.attrs['v'] as string, /^\$\{replace/);
  assert.ok(r.ms < 2000);
});
