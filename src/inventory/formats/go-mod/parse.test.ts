import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goModReader } from './index.js';
import { parseGoMod, parseGoSum, tokenizeGoModLine } from './parse.js';

const read = (text: string, files: Record<string, string> = {}) => parseGoMod({ path: 'svc/go.mod', text, readFile: (p) => files[p] });
const byName = (r: ReturnType<typeof read>, name: string) => r.packages.find((p) => p.name === name);

const GO_MOD = `module example.com/svc

go 1.21

toolchain go1.22.3

require (
\tgithub.com/BurntSushi/toml v1.0.0
\tgolang.org/x/sys v0.0.0-20210630005230-0f9fa26af87c // indirect
\t"example.com/quoted" v1.2.3 // indirect; some note
)

require github.com/pkg/errors v0.9.1

replace github.com/pkg/errors v0.9.1 => github.com/fork/errors v0.9.2
replace golang.org/x/sys => ../sys
exclude github.com/BurntSushi/toml v0.9.0
retract v0.1.0
`;

test('require blocks and lines, indirect, replace (versioned and local), toolchain as stdlib', () => {
  const r = read(GO_MOD);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.direct]),
    [
      ['github.com/BurntSushi/toml', '1.0.0', true],
      ['../sys', '', false],
      ['example.com/quoted', '1.2.3', false],
      ['github.com/fork/errors', '0.9.2', true],
      ['stdlib', '1.22.3', undefined],
    ],
  );
  const toml = byName(r, 'github.com/BurntSushi/toml')!;
  assert.equal(toml.ecosystem, 'Go');
  assert.equal(toml.purl, 'pkg:golang/github.com/BurntSushi/toml@v1.0.0');
  assert.deepEqual(toml.location, { file: 'svc/go.mod', line: 8 });
  assert.equal(byName(r, '../sys')!.properties?.['go:localReplacement'], 'true');
  assert.equal(byName(r, '../sys')!.purl, 'pkg:generic/..%2Fsys');
  assert.equal(byName(r, '../sys')!.properties?.['go:replaces'], 'golang.org/x/sys@v0.0.0-20210630005230-0f9fa26af87c');
  assert.equal(byName(r, 'github.com/fork/errors')!.properties?.['go:replaces'], 'github.com/pkg/errors@v0.9.1');
  assert.deepEqual(byName(r, 'stdlib')!.location, { file: 'svc/go.mod', line: 5 });
  assert.deepEqual(r.edges, [
    { from: 'root', to: 'pkg:golang/github.com/BurntSushi/toml@v1.0.0' },
    { from: 'root', to: 'pkg:golang/github.com/fork/errors@v0.9.2' },
  ]);
});

test('the go directive gives stdlib when there is no toolchain', () => {
  const r = read('module m\n\ngo 1.17\n');
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['stdlib@1.17']);
});

test('go.sum beside go.mod adds the h1 hash as SHA-256', () => {
  const h1 = 'h1:iJHt3MWTkSR/HfM4i1jkzz4YgbGuDWTv3/p4arTrV4Y=';
  const r = read('module m\nrequire github.com/a/b v1.0.0\n', { 'svc/go.sum': `github.com/a/b v1.0.0 ${h1}\ngithub.com/a/b v1.0.0/go.mod h1:AAAA\n` });
  const p = r.packages[0]!;
  assert.equal(p.properties?.['go:h1'], h1);
  assert.deepEqual(p.hashes, [{ alg: 'SHA-256', content: Buffer.from(h1.slice(3), 'base64').toString('hex') }]);
  assert.equal(parseGoSum('garbage line\n').size, 0);
});

test('replace semantics follow osv-scanner: unversioned replaces all, versioned only a required one', () => {
  const r = read('require (\n  golang.org/x/net v1.2.3\n  golang.org/x/net v0.5.6\n)\nreplace golang.org/x/net v9.9.9 => example.com/a v1.0.0\nreplace golang.org/x/net => example.com/fork v1.4.5\n');
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['example.com/fork@1.4.5']);
});

test('a required version that is also excluded is a warning', () => {
  const r = read('require a.b/c v1.0.0\nexclude a.b/c v1.0.0\n');
  assert.equal(r.packages.length, 1);
  assert.match(r.problems[0]!.message, /both required and excluded/);
  assert.equal(r.problems[0]!.severity, 'warning');
});

test('empty and comment-only files give nothing and no problem', () => {
  assert.deepEqual(read(''), { packages: [], edges: [], problems: [] });
  assert.deepEqual(read('// just a comment\n\n'), { packages: [], edges: [], problems: [] });
});

test('a file that is not go.mod is one error and no packages', () => {
  const r = read('this is not a go.mod file\n');
  assert.equal(r.packages.length, 0);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.severity, 'error');
});

test('broken lines are warnings with their line; the good requires around them are kept', () => {
  const r = read('module m\nrequire (\n  a.b/ok v1.0.0\n  a.b/broken\n  "a.b/unterminated v1.0.0\n  a.b/ok2 v2.0.0\n)\nfrobnicate x\nrequire (\n  a.b/c v1.0.0\n');
  assert.deepEqual(r.packages.map((p) => p.name), ['a.b/ok', 'a.b/ok2', 'a.b/c']);
  assert.deepEqual(r.problems.map((p) => [p.location.line, p.severity]), [[4, 'warning'], [5, 'warning'], [8, 'warning'], [9, 'warning']]);
});

test('hostile input: a long line of quotes and 50,000 requires stay fast', () => {
  const started = performance.now();
  read(`module m\nrequire ${'"'.repeat(200_000)}\n`);
  const many = `module m\nrequire (\n${Array.from({ length: 50_000 }, (_, i) => `\tex.com/m${i} v1.0.${i}`).join('\n')}\n)\n`;
  const r = read(many);
  assert.equal(r.packages.length, 50_000);
  assert.ok(performance.now() - started < 5000);
});

test('tokenizer: raw strings, arrows and comments', () => {
  assert.deepEqual(tokenizeGoModLine('replace `a b` => ./x // c'), { tokens: ['replace', 'a b', '=>', './x'], comment: 'c' });
});

test('matches go.mod by basename only', () => {
  assert.equal(goModReader.matches('go.mod'), true);
  assert.equal(goModReader.matches('a/b/go.mod'), true);
  assert.equal(goModReader.matches('a/go.mod.bak'), false);
  assert.equal(goModReader.matches('a/go.sum'), false);
});
