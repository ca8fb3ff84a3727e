import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadResult } from '../../model.js';
import { requirementsTxtReader } from './index.js';
import { logicalLines } from './lines.js';
import { classifyLine } from './requirement.js';

const read = (text: string, files: Record<string, string> = {}, path = 'app/requirements.txt'): ReadResult =>
  requirementsTxtReader.read({ path, text, readFile: (p) => files[p] });

const pkg = (r: ReadResult, name: string, version?: string) => {
  const p = r.packages.find((x) => x.name === name && (version === undefined || x.version === version));
  assert.ok(p, `${name}@${version ?? '*'} not found in ${r.packages.map((x) => `${x.name}@${x.version}`).join(', ')}`);
  return p;
};

test('matches requirements files by name and by a requirements/ folder', () => {
  for (const [path, want] of [
    ['requirements.txt', true],
    ['a/b/requirements-dev.txt', true],
    ['dev-requirements.txt', true],
    ['test_requirements.txt', true],
    ['requirements_test.txt', true],
    ['path.to.my.requirements.txt', false],
    ['path/to/requirements.txt.file', false],
    ['myrequirements.txt', false],
    ['requirements/base.txt', true],
    ['x/requirements/test.txt', true],
    ['requirements.txt/file', false],
    ['requirements.in', false],
    ['notes.txt', false],
    ['requirements/sub/deep.txt', false],
  ] as const) {
    assert.equal(requirementsTxtReader.matches(path), want, path);
  }
});

test('pins, lower bounds, unpinned lines, extras, markers, hashes and line numbers', () => {
  const r = read(
    [
      '# a comment',
      'Django==2.2.24   # trailing comment',
      'requests[socks, security] >= 2.0, < 3 ; python_version >= "3.8"',
      'Zope.Interface===5.4.0',
      'flask',
      'numpy~=1.21',
      'coverage != 3.5',
      'boto3==1.26.121 \\',
      '    --hash=sha256:F87D694C351EBA1DFD19B5BEF5892A1047E7ADB09C57C2C00049DE209A8AB55D \\',
      '    --hash sha512:' + 'ab'.repeat(64),
      '    # via -r requirements.in',
      'six (==1.16.0)',
      '--index-url https://pypi.example/simple',
      '-i https://pypi.example/simple',
      '--require-hashes',
    ].join('\n'),
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.location.line]),
    [
      ['django', '2.2.24', 2],
      ['requests', '2.0', 3],
      ['zope-interface', '5.4.0', 4],
      ['flask', '', 5],
      ['numpy', '1.21', 6],
      ['coverage', '', 7],
      ['boto3', '1.26.121', 8],
      ['six', '1.16.0', 12],
    ],
  );
  const requests = pkg(r, 'requests');
  assert.equal(requests.properties?.['specifier'], '>= 2.0, < 3');
  assert.equal(requests.properties?.['marker'], 'python_version >= "3.8"');
  assert.equal(requests.properties?.['extras'], 'socks,security');
  assert.equal(pkg(r, 'zope-interface').purl, 'pkg:pypi/zope-interface@5.4.0');
  assert.equal(pkg(r, 'flask').purl, 'pkg:pypi/flask');
  assert.deepEqual(pkg(r, 'boto3').hashes, [
    { alg: 'SHA-256', content: 'f87d694c351eba1dfd19b5bef5892a1047e7adb09c57c2c00049de209a8ab55d' },
    { alg: 'SHA-512', content: 'ab'.repeat(64) },
  ]);
  for (const p of r.packages) {
    assert.equal(p.ecosystem, 'PyPI');
    assert.deepEqual(p.groups, ['requirements']);
    assert.equal(p.direct, undefined);
    assert.equal(p.scope, undefined);
    assert.equal(p.location.file, 'app/requirements.txt');
  }
});

test('line continuations and comments follow pip (odd backslashes continue, comment lines end a continuation)', () => {
  assert.deepEqual(logicalLines('foo==\\\n\\\n 1.0\nbar == 4.5\\\\\nbaz==1 # \\\nqux==2\n# c \\\nquux==3\nlast==\\'), [
    { text: 'foo== 1.0', line: 1 },
    { text: 'bar == 4.5\\\\', line: 4 },
    { text: 'baz==1', line: 5 },
    { text: 'quux==3', line: 8 },
    { text: 'last==', line: 9 },
  ]);
  const r = read('a==1\r\nb==2\r\n');
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['a@1', 'b@2']);
});

test('-r and -c includes resolve relative to the including file; groups name the files listing a package', () => {
  const files = {
    'app/base.txt': 'django==0.1.0\nrequests==1.2.3\n',
    'app/sub/test.txt': '-r ../base.txt\nunittest2==1.0.0\nrequests==1.2.3\n',
    'shared/constraints.txt': 'urllib3==1.26.0\n',
  };
  const r = read('-r base.txt\n--requirement=sub/test.txt\n-c ../shared/constraints.txt\nrequests==1.2.3\npandas==0.23.4\n', files);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.groups, p.location.file]),
    [
      ['django', '0.1.0', ['base'], 'app/base.txt'],
      ['requests', '1.2.3', ['base', 'test', 'requirements'], 'app/base.txt'],
      ['unittest2', '1.0.0', ['test'], 'app/sub/test.txt'],
      ['urllib3', '1.26.0', ['constraints'], 'shared/constraints.txt'],
      ['pandas', '0.23.4', ['requirements'], 'app/requirements.txt'],
    ],
  );
  assert.equal(pkg(r, 'urllib3').properties?.['constraint'], 'true');
});

test('a missing include is an error that keeps the other packages; a cycle is a warning', () => {
  const missing = read('requests==1.2.3\n\n-r ./does-not-exist.txt\n');
  assert.deepEqual(missing.packages.map((p) => p.name), ['requests']);
  assert.equal(missing.problems.length, 1);
  assert.equal(missing.problems[0]!.severity, 'error');
  assert.equal(missing.problems[0]!.location.line, 3);
  assert.match(missing.problems[0]!.message, /does-not-exist\.txt: file not found/);

  const files = { 'app/b.txt': '-r ./requirements.txt\nb==2\n', 'app/requirements.txt': '-r b.txt\na==1\n' };
  const cyclic = read(files['app/requirements.txt'], files);
  assert.deepEqual(cyclic.packages.map((p) => `${p.name}@${p.version}`), ['b@2', 'a@1']);
  assert.deepEqual(cyclic.problems.map((p) => [p.severity, p.location.file, p.location.line]), [['warning', 'app/b.txt', 1]]);

  const self = read('-r requirements.txt\nx==1\n');
  assert.deepEqual(self.packages.map((p) => p.name), ['x']);
  assert.equal(self.problems[0]!.severity, 'warning');

  const noAccess = requirementsTxtReader.read({ path: 'requirements.txt', text: '-r other.txt\n' });
  assert.equal(noAccess.problems[0]!.severity, 'error');
  for (const line of ['-r https://example.com/req.txt', '-r /etc/requirements.txt', '-r']) {
    assert.equal(read(line).problems[0]!.severity, 'error', line);
  }
});

test('VCS, URL and editable requirements', () => {
  const commit = 'cd66602cd29f61a2d2e7fb995fef1e61708c034d';
  const r = read(
    [
      `git+https://github.com/org/ike.git@${commit}#egg=ike`,
      '-e git+ssh://git@github.com/org/tool.git@main#egg=Tool_X',
      'pkg @ https://files.example/pkg-1.0-py3-none-any.whl ; sys_platform == "linux"',
      'https://files.example/plain-1.0.tar.gz',
      './vendor/lib-2.0.whl',
      '-e .',
    ].join('\n'),
  );
  const ike = pkg(r, 'ike');
  assert.equal(ike.version, '');
  assert.equal(ike.commit, commit);
  assert.equal(ike.purl, `pkg:pypi/ike?vcs_url=${encodeURIComponent(`git+https://github.com/org/ike.git@${commit}`)}`);
  const tool = pkg(r, 'tool-x');
  assert.equal(tool.commit, undefined);
  assert.equal(tool.properties?.['ref'], 'main');
  assert.equal(tool.properties?.['editable'], 'true');
  const p = pkg(r, 'pkg');
  assert.equal(p.properties?.['sourceUrl'], 'https://files.example/pkg-1.0-py3-none-any.whl');
  assert.equal(p.properties?.['marker'], 'sys_platform == "linux"');
  assert.equal(r.packages.length, 3);
  assert.deepEqual(r.problems.map((x) => [x.severity, x.location.line]), [['warning', 4], ['warning', 5], ['warning', 6]]);
});

test('empty and comment-only files give nothing', () => {
  for (const text of ['', '\n\n', '# only\n   # comments\n', '\ufeff']) assert.deepEqual(read(text), { packages: [], edges: [], problems: [] });
});

test('broken lines are error problems naming the line; the good lines around them are kept', () => {
  const r = read('good==1\n==1.0\nfoo[bar==2\nbaz 1.0\nalso-good==2\n');
  assert.deepEqual(r.packages.map((p) => p.name), ['good', 'also-good']);
  assert.deepEqual(r.problems.map((p) => [p.severity, p.location.line]), [['error', 2], ['error', 3], ['error', 4]]);
  assert.equal(classifyLine('-e').kind, 'option');
  assert.equal(read('-e\n').problems[0]!.severity, 'error');
});

test('hostile input: long backslash runs, deep include chains and big files stay linear and bounded', () => {
  const started = performance.now();
  assert.equal(read('a==1' + '\\'.repeat(200_000) + '\n').packages.length, 1);
  assert.equal(read('#'.repeat(200_000)).packages.length, 0);
  const many = Array.from({ length: 50_000 }, (_, i) => `pkg${i}==1.${i} --hash=sha256:${'0'.repeat(64)}`).join('\n');
  assert.equal(read(many).packages.length, 50_000);
  const chain: Record<string, string> = {};
  for (let i = 0; i < 40; i++) chain[`app/r${i}.txt`] = `-r r${i + 1}.txt\np${i}==1\n`;
  const deep = read('-r r0.txt\n', chain);
  assert.ok(deep.problems.some((p) => p.severity === 'error' && /deeper than/.test(p.message)));
  assert.ok(performance.now() - started < 5000, 'took too long');
  assert.equal(read('x'.repeat(16 * 1024 * 1024 + 1)).problems[0]!.severity, 'error');
});
