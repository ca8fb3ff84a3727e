import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locate, type Resource } from '../../model.js';
import { splitReference, substitute } from './image.js';
import { dockerfileInput, isDockerfileName, parseDockerfile, type DockerFrom, type DockerInstruction, type DockerStageMeta } from './index.js';
import { joinContinuations, splitWords } from './instruction.js';

const parse = (text: string, path = 'Dockerfile') => parseDockerfile({ path, text });
const ins = (r: Resource): DockerInstruction[] => r.attrs['instructions'] as DockerInstruction[];
const from = (r: Resource): DockerFrom => r.attrs['from'] as DockerFrom;

const MULTI = `# syntax=docker/dockerfile:1.7
ARG BASE=python
ARG TAG
# vigil:ignore=VGL-DOCKER-001 the builder needs root
FROM --platform=linux/amd64 \${BASE}:\${TAG:-3.12}-slim AS build
RUN apt-get update && \\
    # a comment inside the continuation
    apt-get install -y "curl wget"
RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=npm <<EOF
curl -fsSL https://example.com/install.sh | sh
# not a comment: heredoc body
EOF
ENV A=1 B="two words"
ENV LEGACY value with spaces
ARG TOKEN=abc
LABEL org.opencontainers.image.source="https://x" maintainer=me

FROM gcr.io/distroless/base@sha256:0123abcd AS runtime
COPY --from=build --chown=1000:1000 /app /app
ADD https://example.com/file.tgz /tmp/
EXPOSE 8080 9090/udp
HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost/"]
USER 1000:1000
WORKDIR /app
CMD ["python", "-m", "app server"]

from BUILD
ENTRYPOINT exec /bin/sh -c 'echo "hi there"'
`;

test('stages: ids, names, FROM parts, meta, refs', () => {
  const { resources, problems } = parse(MULTI);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    resources.map((r) => [r.id, r.name, r.kind, r.type, r.provider, r.input, r.line, r.endLine]),
    [
      ['Dockerfile#build', 'build', 'docker:stage', 'stage', 'docker', 'dockerfile', 5, 16],
      ['Dockerfile#runtime', 'runtime', 'docker:stage', 'stage', 'docker', 'dockerfile', 18, 25],
      ['Dockerfile#2', 'BUILD', 'docker:stage', 'stage', 'docker', 'dockerfile', 27, 28],
    ],
  );
  const [build, runtime, last] = resources as [Resource, Resource, Resource];
  assert.deepEqual(from(build), {
    raw: '${BASE}:${TAG:-3.12}-slim',
    image: 'python',
    tag: '3.12-slim',
    digest: null,
    platform: 'linux/amd64',
    as: 'build',
    stage: null,
    unresolved: false,
  });
  assert.deepEqual(from(runtime), {
    raw: 'gcr.io/distroless/base@sha256:0123abcd',
    image: 'gcr.io/distroless/base',
    tag: null,
    digest: 'sha256:0123abcd',
    platform: null,
    as: 'runtime',
    stage: null,
    unresolved: false,
  });
  assert.equal(from(last).stage, 'build', 'stage names are case-insensitive; the name as declared');
  assert.deepEqual(last.refs, ['Dockerfile#build']);
  assert.deepEqual(build.meta, { index: 0, final: false, stageNames: ['build', 'runtime', null] });
  assert.equal((last.meta as DockerStageMeta).final, true);
  assert.deepEqual(build.suppressions, [{ ruleId: 'VGL-DOCKER-001', reason: 'the builder needs root', line: 4 }]);
  assert.deepEqual(runtime.suppressions, []);
});

test('instructions: joined args, words, flags, exec form, heredocs', () => {
  const [build, runtime, last] = parse(MULTI).resources as [Resource, Resource, Resource];
  const b = ins(build);
  assert.deepEqual(
    b.map((i) => i.keyword),
    ['RUN', 'RUN', 'ENV', 'ENV', 'ARG', 'LABEL'],
  );
  assert.equal(b[0]!.args, 'apt-get update &&     apt-get install -y "curl wget"');
  assert.deepEqual(b[0]!.arguments, ['apt-get', 'update', '&&', 'apt-get', 'install', '-y', 'curl wget']);
  assert.equal(b[0]!.exec, false);
  assert.equal(b[1]!.args, '<<EOF');
  assert.deepEqual(b[1]!.flags, { mount: 'type=secret,id=npm' });
  assert.deepEqual(
    b[1]!.flagList.map((f) => f.value),
    ['type=cache,target=/root/.cache', 'type=secret,id=npm'],
  );
  assert.deepEqual(b[1]!.heredocs, [
    { name: 'EOF', content: 'curl -fsSL https://example.com/install.sh | sh\n# not a comment: heredoc body', terminated: true },
  ]);
  const r = ins(runtime);
  assert.deepEqual(r[0]!.flags, { from: 'build', chown: '1000:1000' });
  assert.deepEqual(r[0]!.arguments, ['/app', '/app']);
  assert.deepEqual(r[1]!.arguments, ['https://example.com/file.tgz', '/tmp/']);
  assert.deepEqual([r[3]!.keyword, r[3]!.exec, r[3]!.arguments, r[3]!.flags], ['HEALTHCHECK', true, ['CMD', 'curl', '-f', 'http://localhost/'], { interval: '30s' }]);
  assert.deepEqual([r[6]!.exec, r[6]!.arguments], [true, ['python', '-m', 'app server']]);
  assert.deepEqual(ins(last)[0]!.arguments, ['exec', '/bin/sh', '-c', 'echo "hi there"']);
});

test('stage conveniences and globals', () => {
  const [build, runtime, last] = parse(MULTI).resources as [Resource, Resource, Resource];
  assert.deepEqual(build.attrs['env'], { A: '1', B: 'two words', LEGACY: 'value with spaces' });
  assert.deepEqual(build.attrs['args'], { TOKEN: 'abc' });
  assert.deepEqual(build.attrs['labels'], { 'org.opencontainers.image.source': 'https://x', maintainer: 'me' });
  assert.deepEqual(build.attrs['globalArgs'], { BASE: 'python', TAG: null });
  assert.deepEqual(build.attrs['directives'], { syntax: 'docker/dockerfile:1.7' });
  assert.equal(build.attrs['user'], null);
  assert.equal(build.attrs['healthcheck'], null);
  assert.equal(runtime.attrs['user'], '1000:1000');
  assert.equal(runtime.attrs['healthcheck'], 'cmd');
  assert.equal(runtime.attrs['workdir'], '/app');
  assert.deepEqual(runtime.attrs['expose'], ['8080', '9090/udp']);
  assert.equal(Object.hasOwn(runtime.attrs, 'globalArgs'), false, 'globals only on the first stage');
  assert.deepEqual(last.attrs['env'], {});
});

test('lineOf: FROM, instructions and deeper, conveniences', () => {
  const [build, runtime] = parse(MULTI).resources as [Resource, Resource];
  assert.equal(build.lineOf(['from']), 5);
  assert.equal(build.lineOf(['from', 'tag']), 5);
  assert.equal(build.lineOf(['instructions', 0]), 6);
  assert.equal(build.lineOf(['instructions', 1, 'heredocs', 0, 'content']), 9);
  assert.equal(build.lineOf(['instructions', 1, 'arguments', 3]), 9);
  assert.equal(build.lineOf(['instructions', 99]), undefined);
  assert.equal(build.lineOf(['env', 'B']), 13);
  assert.equal(build.lineOf(['env', 'LEGACY']), 14);
  assert.equal(build.lineOf(['args', 'TOKEN']), 15);
  assert.equal(build.lineOf(['globalArgs', 'TAG']), 3);
  assert.equal(build.lineOf(['directives', 'syntax']), 1);
  assert.equal(build.lineOf(['user']), undefined);
  assert.equal(locate(build, ['user']), 5, 'absent USER points at FROM');
  assert.equal(runtime.lineOf(['user']), 23);
  assert.equal(runtime.lineOf(['healthcheck']), 22);
  assert.equal(runtime.lineOf(['expose', 1]), 21);
});

test('names the input accepts', () => {
  for (const p of ['Dockerfile', 'a/b/Dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'x/web.dockerfile', 'Containerfile', 'Containerfile.dev']) {
    assert.equal(dockerfileInput.accepts(p, ''), true, p);
  }
  for (const p of ['Dockerfile/x', 'dockerfile.md', 'Dockerfiles', 'docker-compose.yml', 'MyDockerfile']) {
    assert.equal(isDockerfileName(p), false, p);
  }
});

test('empty input', () => {
  assert.deepEqual(parse('').problems, [{ path: 'Dockerfile', line: 1, reason: 'Dockerfile is empty (no instructions)' }]);
  assert.deepEqual(parse('# just a comment\n\n').problems.map((p) => p.reason), ['Dockerfile is empty (no instructions)']);
  assert.deepEqual(parse('ARG A=1\n').problems.map((p) => [p.line, p.reason]), [[1, 'no FROM instruction']]);
  const scratch = parse('FROM scratch\n');
  assert.deepEqual(scratch.problems, []);
  assert.deepEqual([from(scratch.resources[0]!).image, from(scratch.resources[0]!).tag, ins(scratch.resources[0]!)], ['scratch', null, []]);
});

test('broken input: problems with lines, the stages still returned', () => {
  const { resources, problems } = parse(`RUN early
FROM alpine AS a
FOOBAR something
RUN
FROM alpine AS A
COPY <<EOF /x
never ends
FROM alpine AS swallowed-by-the-heredoc
`);
  assert.deepEqual(
    problems.map((p) => [p.line, p.reason]),
    [
      [1, 'RUN before the first FROM (only ARG may come before it)'],
      [3, 'unknown instruction FOOBAR'],
      [4, 'RUN has no arguments'],
      [5, 'duplicate stage name "A"'],
      [6, 'heredoc <<EOF is never terminated'],
    ],
  );
  assert.equal(resources.length, 2);
  assert.deepEqual(
    ins(resources[0]!).map((i) => i.keyword),
    ['FOOBAR', 'RUN'],
  );
  const noImage = parse('FROM\n');
  assert.deepEqual(noImage.problems.map((p) => p.reason), ['FROM names no image']);
  assert.equal(from(noImage.resources[0]!).image, null);
  const unresolved = parse('ARG V\nFROM node:${V}\nFROM $IMG\n').resources.map((r) => [from(r).image, from(r).tag, from(r).unresolved]);
  assert.deepEqual(unresolved, [
    ['node', '${V}', true],
    ['$IMG', null, true],
  ]);
});

test('hostile input: huge file, huge line, many instructions, CRLF, escape directive', () => {
  assert.match(parse('FROM a\n' + 'RUN x\n'.repeat(200_000)).problems[0]!.reason, /over the \d+ limit/);
  const long = parse(`FROM a\nRUN ${'a '.repeat(40_000)}\n`);
  assert.deepEqual(long.problems.map((p) => [p.line, p.reason]), [[2, 'line 2 is longer than 65536 characters; file not read']]);
  assert.equal(parse(`FROM a\nRUN ${'a'.repeat(70_000)}`).problems[0]!.line, 2);

  const t0 = Date.now();
  const many = parse('FROM a\n' + 'RUN echo "x y" \\\n  && true\n'.repeat(5_000));
  assert.deepEqual(many.problems, []);
  assert.equal(ins(many.resources[0]!).length, 5_000);
  assert.ok(Date.now() - t0 < 15_000, `${Date.now() - t0} ms`);

  const crlf = parse('FROM alpine:3.19\r\nRUN a \\\r\n  b\r\nUSER app\r\n');
  assert.deepEqual(crlf.problems, []);
  assert.deepEqual([ins(crlf.resources[0]!)[0]!.args, crlf.resources[0]!.attrs['user'], crlf.resources[0]!.lineOf(['user'])], ['a   b', 'app', 4]);

  const win = parse('# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n  && echo done\n');
  assert.deepEqual(win.problems, []);
  assert.deepEqual(ins(win.resources[0]!)[0]!.arguments, ['dir', 'C:\\', '&&', 'echo', 'done']);
  const nul = parse('FROM a\nRUN \u0000\u0000\nUSER \u202e\n');
  assert.equal(nul.resources.length, 1);
});

test('helpers: words, continuations, references, substitution', () => {
  assert.deepEqual(
    splitWords(`a "b c" 'd $e' f\\ g "h\\"i"`).map((w) => w.text),
    ['a', 'b c', 'd $e', 'f g', 'h"i'],
  );
  assert.equal(joinContinuations('a \\\n\n  # c\n  b\nnext', '\\', false), 'a   b\nnext');
  assert.equal(joinContinuations('<<EOF bash\nbody\nEOF', '\\', true), '<<EOF bash');
  assert.deepEqual(splitReference('localhost:5000/app:1.0'), { image: 'localhost:5000/app', tag: '1.0', digest: null });
  assert.deepEqual(splitReference('localhost:5000/app'), { image: 'localhost:5000/app', tag: null, digest: null });
  assert.deepEqual(splitReference('app:1@sha256:ab'), { image: 'app', tag: '1', digest: 'sha256:ab' });
  const vars = new Map<string, string | null>([
    ['A', 'x'],
    ['E', ''],
    ['N', null],
  ]);
  assert.deepEqual(substitute('$A-${A}-${E:-d}-${E-d}-${U:-u}-${A:+p}-${E+q}-${N}', vars), { value: 'x-x-d--u-p-q-${N}', unresolved: true });
  assert.deepEqual(substitute('$$-$-${', vars), { value: '$$-$-${', unresolved: true });
});
