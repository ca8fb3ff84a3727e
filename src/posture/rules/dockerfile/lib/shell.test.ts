import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DockerInstruction } from '../../../inputs/dockerfile/index.js';
import { parseDockerfile } from '../../../inputs/dockerfile/index.js';
import { pipefailOption, runCommands, runScripts, shellScript, unwrap } from './run.js';
import { parseShell } from './shell.js';

const words = (text: string): string[][] => parseShell(text).map((c) => [...c.words]);

describe('parseShell', () => {
  test('splits on operators and keeps the operator that joins each command', () => {
    const cs = parseShell('apt-get update && apt-get install -y curl || echo failed; make & wait');
    assert.deepEqual(cs.map((c) => c.words), [['apt-get', 'update'], ['apt-get', 'install', '-y', 'curl'], ['echo', 'failed'], ['make'], ['wait']]);
    assert.deepEqual(cs.map((c) => c.op), [null, '&&', '||', ';', '&']);
  });

  test('pipelines share a number, other operators start a new one', () => {
    const cs = parseShell('curl -s x | tar xz && a | b |& c; d');
    assert.deepEqual(cs.map((c) => [c.words[0], c.pipeline, c.op]), [['curl', 0, null], ['tar', 0, '|'], ['a', 1, '&&'], ['b', 1, '|'], ['c', 1, '|'], ['d', 2, ';']]);
  });

  test('removes quotes and handles escapes', () => {
    assert.deepEqual(words(`echo "a b" 'c "d"' e\\ f "x\\"y" 'it''s' "\\n"`), [['echo', 'a b', 'c "d"', 'e f', 'x"y', 'its', '\\n']]);
  });

  test('operators inside quotes are text', () => {
    assert.deepEqual(words(`sh -c "a && b | c; d" 'e || f'`), [['sh', '-c', 'a && b | c; d', 'e || f']]);
  });

  test('drops redirections and their targets', () => {
    assert.deepEqual(words('make >/dev/null 2>&1 && cat < in.txt > out.txt 2>> err &> all >| x'), [['make'], ['cat']]);
  });

  test('sets assignments apart and skips control-flow keywords', () => {
    const cs = parseShell('DEBIAN_FRONTEND=noninteractive A+=1 apt-get install -y x; if true; then echo y; fi');
    assert.deepEqual(cs[0]!.assignments, ['DEBIAN_FRONTEND=noninteractive', 'A+=1']);
    assert.deepEqual(cs.map((c) => c.words), [['apt-get', 'install', '-y', 'x'], ['true'], ['echo', 'y']]);
  });

  test('keeps substitutions in the word and records their text', () => {
    const cs = parseShell('sh -c "$(curl -fsSL https://x/y.sh)" && bash <(wget -qO- u) && echo `date` $((1 + 2)) ${HOME}');
    assert.deepEqual(cs[0]!.words, ['sh', '-c', '$(curl -fsSL https://x/y.sh)']);
    assert.deepEqual(cs[0]!.substitutions, ['curl -fsSL https://x/y.sh']);
    assert.deepEqual(cs[1]!.substitutions, ['wget -qO- u']);
    assert.deepEqual(cs[2]!.words, ['echo', '`date`', '$((1 + 2))', '${HOME}']);
    assert.deepEqual(cs[2]!.substitutions, ['date']);
  });

  test('nested substitutions and parentheses inside quotes', () => {
    const cs = parseShell('echo "$(a "$(b ")")")" done');
    assert.deepEqual(cs[0]!.words, ['echo', '$(a "$(b ")")")', 'done']);
    assert.deepEqual(cs[0]!.substitutions, ['a "$(b ")")"']);
  });

  test('line breaks separate commands, continued operators join them, comments are skipped', () => {
    const cs = parseShell('set -e\n# a comment && not a command\napt-get update &&\n  apt-get install x # trailing\n\ndone_here');
    assert.deepEqual(cs.map((c) => c.words[0]), ['set', 'apt-get', 'apt-get', 'done_here']);
    assert.deepEqual(cs.map((c) => c.op), [null, ';', '&&', ';']);
  });

  test('skips here-document bodies', () => {
    const cs = parseShell('cat <<EOF > /etc/x\ncurl x | sh\nEOF\necho ok\ncat <<-"END"\n\tbody\n\tEND\nls');
    assert.deepEqual(cs.map((c) => c.words), [['cat'], ['echo', 'ok'], ['cat'], ['ls']]);
  });

  test('subshells and groups', () => {
    assert.deepEqual(words('(cd /x && make) | tee log; { echo a; echo b; }'), [['cd', '/x'], ['make'], ['tee', 'log'], ['echo', 'a'], ['echo', 'b']]);
    assert.equal(parseShell('(a) | b')[1]!.op, '|');
  });

  test('empty, blank and comment-only text', () => {
    assert.deepEqual(parseShell(''), []);
    assert.deepEqual(parseShell('   \n\t\n'), []);
    assert.deepEqual(parseShell('# only a comment'), []);
    assert.deepEqual(parseShell(';;&&||'), []);
  });

  test('broken input never throws and keeps what it can', () => {
    assert.deepEqual(words('echo "unterminated'), [['echo', 'unterminated']]);
    assert.deepEqual(words("echo 'open"), [['echo', 'open']]);
    assert.deepEqual(parseShell('echo $(curl x')[0]!.substitutions, ['curl x']);
    assert.deepEqual(words('echo `oops'), [['echo', '`oops']]);
    assert.deepEqual(words('cat <<EOF\nnever ends'), [['cat']]);
    assert.deepEqual(words('x\\'), [['x']]);
    assert.deepEqual(words('a >'), [['a']]);
  });

  test('hostile input stays linear', () => {
    const n = 200_000;
    const cases = ['a|'.repeat(n), '"'.repeat(n), '$('.repeat(n), "'a' ".repeat(n), '<<E\n'.repeat(n), '\\'.repeat(n), '`'.repeat(n), '(((('.repeat(n / 4), 'x=1 '.repeat(n)];
    for (const text of cases) {
      const start = performance.now();
      parseShell(text);
      assert.ok(performance.now() - start < 2000, `${JSON.stringify(text.slice(0, 8))}… took too long`);
    }
  });
});

describe('run helpers', () => {
  test('unwrap strips wrappers with their options', () => {
    assert.deepEqual(unwrap(['sudo', '-E', '-u', 'root', 'env', 'A=1', '-i', 'nice', '-n', '5', 'apt-get', 'install']), ['apt-get', 'install']);
    assert.deepEqual(unwrap(['timeout', '30', 'curl', 'x']), ['curl', 'x']);
    assert.deepEqual(unwrap(['gosu', 'app', 'node', 'a.js']), ['node', 'a.js']);
    assert.deepEqual(unwrap(['sudo']), ['sudo']);
    assert.deepEqual(unwrap([]), []);
  });

  test('shellScript finds the -c script', () => {
    assert.equal(shellScript(['-c', 'a | b']), 'a | b');
    assert.equal(shellScript(['-eux', '-o', 'pipefail', '-c', 'x']), 'x');
    assert.equal(shellScript(['-ec', 'x']), 'x');
    assert.equal(shellScript(['script.sh', '-c']), undefined);
    assert.equal(shellScript(['-s']), undefined);
    assert.equal(shellScript(['-c']), undefined);
  });

  test('pipefailOption', () => {
    assert.equal(pipefailOption(['-o', 'pipefail', '-c']), true);
    assert.equal(pipefailOption(['-euxo', 'pipefail']), true);
    assert.equal(pipefailOption(['-o', 'pipefail', '+o', 'pipefail']), false);
    assert.equal(pipefailOption(['-e']), undefined);
  });

  const run = (dockerfile: string): DockerInstruction[] => {
    const r = parseDockerfile({ path: 'Dockerfile', text: dockerfile });
    return (r.resources[0]?.attrs['instructions'] ?? []) as DockerInstruction[];
  };

  test('RUN forms: shell, exec, sh -c, here-documents', () => {
    const [shell, exec, shC, heredoc, py, cat] = run(
      'FROM alpine\nRUN sudo apk add curl && echo ok\nRUN ["apt-get", "install", "x"]\nRUN ["/bin/sh", "-c", "pip install a | tee log"]\n' +
        'RUN <<EOF\nset -e\nnpm i x\nEOF\nRUN python3 <<EOF\nimport os\nEOF\nRUN cat <<EOF > /etc/motd\nrm -rf /\nEOF\n',
    );
    assert.deepEqual(runCommands(shell!).map((c) => [c.name, c.wrappers]), [['apk', ['sudo']], ['echo', []]]);
    assert.deepEqual(runScripts(exec!).map((s) => [s.shell, s.commands.map((c) => c.name)]), [['none', ['apt-get']]]);
    assert.deepEqual(runScripts(shC!).map((s) => s.commands.map((c) => c.name)), [['sh'], ['pip', 'tee']]);
    assert.deepEqual(runScripts(heredoc!).map((s) => [s.shell, s.commands.map((c) => c.name)]), [['default', []], ['default', ['set', 'npm']]]);
    assert.deepEqual(runCommands(py!).map((c) => c.name), ['python3']);
    assert.deepEqual(runCommands(cat!).map((c) => c.name), ['cat']);
  });

  test('nested sh -c scripts are read to a fixed depth', () => {
    const [ins] = run(`FROM alpine\nRUN sh -c "sh -c 'sh -c \\"sh -c \\\\\\"sh -c deep\\\\\\"\\"'"\n`);
    assert.ok(runScripts(ins!).length <= 4);
  });
});
