import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as smolParse, TomlDate } from 'smol-toml';
import { assertSame, normalise } from './__fixtures__/differential.js';
import { readLockToml } from './index.js';
import { parseToml } from './parse.js';

const ok = (text: string): unknown => {
  const r = parseToml(text);
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return normalise(r.value);
};
const refused = (text: string): { message: string; line: number } => {
  const r = parseToml(text);
  assert.ok(!r.ok, `accepted: ${text}`);
  return r;
};

test('every value type, as the TOML specification writes them', () => {
  const doc = ok(`
# comment
str = "I'm a string. \\"You can quote me\\". Name\\tJos\\u00E9\\nLocation\\tSF. \\U0001F600 \\e\\x41"
lit = 'C:\\Users\\nodejs\\templates'
ml = """
Roses are red
Violets are blue"""
trimmed = """\\
       The quick brown \\
       fox."""
quotes = """Here are two quotation marks: "". Simple enough."""
five = """""five"""""
mll = '''
The first newline is
trimmed in raw strings.'''
int = [+99, 42, 0, -17, 1_000, 5_349_221, 0xDEAD_BEEF, 0o755, 0b1101_0110, -0]
flt = [+1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, -0.0, inf, -inf]
bool = [true, false]
odt = 1979-05-27T00:32:00.999999-07:00
ldt = 1979-05-27 07:32:00
ld = 1979-05-27
lt = 00:32:00.999999
short = 07:32
mixed = [ 1, "two", [3.0], { four = 4 }, ]
inline = { first = "Tom", last.name = "Preston-Werner", "quoted key" = 1 }
multi = {
  a = 1, # comment
  b = 2,
}
`) as Record<string, unknown>;
  assert.equal(doc['str'], 'I\'m a string. "You can quote me". Name\tJos\u00e9\nLocation\tSF. \u{1f600} \x1bA');
  assert.equal(doc['lit'], 'C:\\Users\\nodejs\\templates');
  assert.equal(doc['ml'], 'Roses are red\nViolets are blue');
  assert.equal(doc['trimmed'], 'The quick brown fox.');
  assert.equal(doc['quotes'], 'Here are two quotation marks: "". Simple enough.');
  assert.equal(doc['five'], '""five""');
  assert.equal(doc['mll'], 'The first newline is\ntrimmed in raw strings.');
  assert.deepEqual(doc['int'], [99, 42, 0, -17, 1000, 5349221, 0xdeadbeef, 0o755, 0b11010110, 0]);
  assert.deepEqual(doc['flt'], [1, 3.1415, -0.01, 5e22, 1e6, -0.02, 6.626e-34, 224617.445991, -0, Infinity, -Infinity]);
  assert.deepEqual(doc['bool'], [true, false]);
  assert.deepEqual(doc['odt'], { date: '1979-05-27T00:32:00.999-07:00', isDate: false, isTime: false, isLocal: false });
  assert.deepEqual(doc['ld'], { date: '1979-05-27', isDate: true, isTime: false, isLocal: true });
  assert.deepEqual(doc['lt'], { date: '00:32:00.999', isDate: false, isTime: true, isLocal: true });
  assert.deepEqual(doc['inline'], { first: 'Tom', last: { name: 'Preston-Werner' }, 'quoted key': 1 });
  assert.deepEqual(doc['multi'], { a: 1, b: 2 });
  const nan = parseToml('a = nan\nb = -nan');
  assert.ok(nan.ok && Number.isNaN(nan.value['a']) && Number.isNaN(nan.value['b']));
  const dated = parseToml('d = 1979-05-27T07:32:00Z');
  assert.ok(dated.ok && dated.value['d'] instanceof TomlDate && dated.value['d'] instanceof Date);
});

test('tables, arrays of tables and dotted keys build the documented structure', () => {
  assert.deepEqual(
    ok(`
name = "root"
[dog."tater.man"]
type.name = "pug"
[a.b.c]
[ d.e.f ]  # same as [d.e.f]
[ j . "ʞ" . 'l' ]
[x.y.z.w]
[x]
[[fruits]]
name = "apple"
[fruits.physical]
color = "red"
[[fruits.varieties]]
name = "red delicious"
[[fruits]]
name = "banana"
[fruit]
apple.color = "red"
apple.taste.sweet = true
[fruit.apple.texture]
smooth = true
`),
    {
      name: 'root',
      dog: { 'tater.man': { type: { name: 'pug' } } },
      a: { b: { c: {} } },
      d: { e: { f: {} } },
      j: { ʞ: { l: {} } },
      x: { y: { z: { w: {} } } },
      fruits: [{ name: 'apple', physical: { color: 'red' }, varieties: [{ name: 'red delicious' }] }, { name: 'banana' }],
      fruit: { apple: { color: 'red', taste: { sweet: true }, texture: { smooth: true } } },
    },
  );
});

test('empty documents, comments and blank lines give an empty table', () => {
  for (const text of ['', '\n\n', '# only a comment', '\ufeff', '  \t\r\n# x\r\n']) assert.deepEqual(ok(text), {}, JSON.stringify(text));
});

test('what the specification forbids is refused, with the line', () => {
  for (const [text, line] of [
    ['a = 1\na = 2', 2],
    ['[fruit]\napple = "red"\n[fruit]\norange = "orange"', 3],
    ['[fruit]\napple = "red"\n[fruit.apple]', 3],
    ['[fruit]\napple.color = "red"\n[fruit.apple]', 3],
    ['[fruit]\napple.color = "red"\n[fruit.apple.color]', 3],
    ['[a.b.c]\nz = 9\n[a]\nb.c.t = 1', 4],
    ['[product]\ntype = { name = "Nail" }\ntype.edible = false', 3],
    ['[product]\ntype.name = "Nail"\n[product.type]', 3],
    ['a = [1]\n[[a]]', 2],
    ['[[a]]\n[a]', 2],
    ['[a]\n[[a]]', 2],
    ['x = { a = 1, a = 2 }', 1],
    ['x = { a = {}, a.b = 1 }', 1],
    ['a = 1 b = 2', 1],
    ['a = "unterminated\nb = 1', 1],
    ['a = """unterminated', 1],
    ['a = 0123', 1],
    ['a = 1__2', 1],
    ['a = _1', 1],
    ['a = 9223372036854775808', 1],
    ['a = 1979-05-27T25:00:00Z', 1],
    ['a = [1, 2', 1],
    ['a = { b = 1', 1],
    ['a = "\\q"', 1],
    ['a = "\\uD800"', 1],
    ['[a]b = 1', 1],
    ['[[a] ]', 1],
    ['= 1', 1],
    ['a =', 1],
    ['a = \n1', 1],
    ['\n\na.b = 1\na.b.c = 2', 4],
  ] as const) {
    const r = refused(text);
    assert.equal(r.line, line, `${JSON.stringify(text)}: ${r.message}`);
    assertSame(text, JSON.stringify(text));
  }
});

test('known differences from smol-toml: impossible calendar dates are refused here', () => {
  for (const text of ['d = 2021-02-30', 'd = 2021-04-31T00:00:00Z', 'd = 2023-02-29 10:00:00']) {
    assert.doesNotThrow(() => smolParse(text), 'smol-toml rolls these over to the next month');
    assert.match(refused(text).message, /date part is malformed/);
  }
  assert.ok(parseToml('d = 2024-02-29').ok, 'a leap day is a date');
});

test('hostile input: prototype keys stay data, nesting is capped, nothing throws', () => {
  const r = parseToml('__proto__ = 1\nconstructor = { __proto__ = 2 }\n[toString]\nvalueOf = 3\n');
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.value), ['__proto__', 'constructor', 'toString']);
  assert.equal(r.value['__proto__'], 1);
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(r.value)), null);
  assert.equal('hasOwnProperty' in r.value, false);
  const deep = parseToml(`a = ${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  assert.ok(!deep.ok && /excessively nested/.test(deep.message));
  assert.ok(parseToml(`a = ${'['.repeat(999)}${']'.repeat(999)}`).ok);
  assert.ok(!parseToml('a = [1]', { maxDepth: 0 }).ok);
  const longKey = parseToml(`${Array.from({ length: 100_000 }, () => 'k').join('.')} = 1`);
  assert.ok(longKey.ok);
  for (const text of ['a = "\u0000"', 'a = 1\u0000', '# \u0007', '[\u0000]', 'a = """\r"""', '\ud800 = 1', 'a = "\ud800"']) {
    assert.doesNotThrow(() => parseToml(text), JSON.stringify(text));
  }
});

test('readLockToml: size limit, byte-order mark, message with line and column', () => {
  const read = readLockToml('\ufeffa = 1\n');
  assert.ok(read.ok);
  assert.deepEqual(normalise(read.value), { a: 1 });
  const bad = readLockToml('a = 1\nb = [\n');
  assert.deepEqual(bad, { ok: false, message: 'malformed TOML: expected a value (line 3, column 1)', line: 3 });
  const open = readLockToml('a = [1,\n  2');
  assert.deepEqual(open, { ok: false, message: 'malformed TOML: expected comma or end of structure (line 2, column 4)', line: 2 });
  assert.equal(readLockToml('a = 1', 3).ok, false);
});
