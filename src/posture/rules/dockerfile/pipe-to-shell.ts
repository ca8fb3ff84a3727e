/**
 * VGL-DOCKER-006: a script downloaded at build time is run without verification: `curl … | sh`,
 * `wget -qO- … | sudo bash -s`, `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget …)"`, in
 * shell-form RUN, `sh -c` scripts and here-document scripts.
 */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { cis, csf, dockerRule, nist, soc2 } from './lib/define.js';
import { runScripts, SHELLS, shellScript, substitutionCommands, type Command } from './lib/run.js';
import { instructionPath, stageOf } from './lib/stage.js';

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch']);
const SOURCING = new Set(['eval', 'source', '.']);
/** Options that give the program inline (so stdin is data, not code). */
const INLINE_PROGRAM = new Set(['-c', '-e', '-E', '-m', '-r', '-p', '--eval', '--print', '--command']);
const VALUED = new Set(['-o', '+o', '-O', '+O', '-W', '-X', '-I', '--require', '-r']);

function isInterpreter(name: string): boolean {
  return SHELLS.has(name) || /^(python[0-9.]*|perl|ruby|node|php[0-9.]*|pwsh|fish)$/.test(name);
}

/** The interpreter reads its program from stdin: no program operand, `-`, or `sh -s`. */
function readsProgramFromStdin(c: Command): boolean {
  const shell = SHELLS.has(c.name);
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i]!;
    if (a === '-' || a === '--') return true;
    if (!a.startsWith('-') && !a.startsWith('+')) return false;
    if (INLINE_PROGRAM.has(a) || (shell && shellScript([a, 'x']) !== undefined)) return false;
    if (shell && /^-[A-Za-z]*s[A-Za-z]*$/.test(a)) return true;
    if (VALUED.has(a)) i++;
  }
  return true;
}

const downloads = (text: string): boolean => substitutionCommands(text).some((c) => DOWNLOADERS.has(c.name));

function runsDownload(commands: readonly Command[]): string | undefined {
  const piped = new Map<number, Command>();
  for (const c of commands) {
    if (DOWNLOADERS.has(c.name) && !piped.has(c.pipeline)) piped.set(c.pipeline, c);
    else if (piped.has(c.pipeline) && c.op === '|' && isInterpreter(c.name) && readsProgramFromStdin(c)) {
      return `${piped.get(c.pipeline)!.name} output is piped into ${c.name}`;
    }
    if ((c.word.startsWith('$(') || c.word.startsWith('`')) && c.substitutions.length > 0 && downloads(c.substitutions[0]!)) {
      return 'the output of a download is run as a command';
    }
    const sources = SOURCING.has(c.name) || (isInterpreter(c.name) && !c.args.some((a) => INLINE_PROGRAM.has(a) || (SHELLS.has(c.name) && shellScript([a, 'x']) !== undefined)));
    if (sources && c.substitutions.some(downloads)) return `${c.name} runs a downloaded script`;
  }
  return undefined;
}

export const pipeToShell = dockerRule({
  id: 'VGL-DOCKER-006',
  title: 'Downloaded script piped into a shell',
  description:
    'A RUN step downloads a script and executes it directly (curl … | sh and its variants). Nothing checks what was downloaded: a compromised server, CDN or DNS, or a truncated download, runs arbitrary code in the build with root rights.',
  severity: 'high',
  service: 'supply-chain',
  frameworks: [cis('4.11'), nist('SI-7'), nist('SR-11'), csf('ID.RA-09'), soc2('CC6.8')],
  remediation: 'Download to a file, verify its checksum or signature, then run it; better, install the tool from a signed package repository or copy it from a pinned image.',
  fix: 'RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \\\n && sh /tmp/install.sh',
  references: ['https://docs.docker.com/build/building/best-practices/#run'],
  check(r) {
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      for (const script of runScripts(ins)) {
        const what = runsDownload(script.commands);
        if (what !== undefined) {
          out.push(violation(instructionPath(i), what));
          return;
        }
      }
    });
    return out;
  },
  bad: [
    {
      text:
        'FROM debian:12\nRUN curl -fsSL https://get.example.com | sh\nRUN wget -qO- https://x.example.com/i.sh | sudo -E bash -s -- --yes\n' +
        'RUN sh -c "$(curl -fsSL https://x.example.com/i.sh)"\nRUN bash <(curl -s https://x.example.com/i.sh)\nRUN <<EOF\nset -e\ncurl -sSL https://x.example.com/i.sh | bash\nEOF\n',
      lines: [2, 3, 4, 5, 6],
    },
  ],
  good: [
    'FROM debian:12\nRUN curl -fsSL https://example.com/a.tar.gz | tar -xz -C /opt\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg\n' +
      'RUN curl -fsSLo /tmp/i.sh https://example.com/i.sh && echo "abc  /tmp/i.sh" | sha256sum -c - && sh /tmp/i.sh\nRUN curl -s https://example.com/data.json | python3 process.py\n',
  ],
});
