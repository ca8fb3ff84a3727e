/**
 * VGL-DOCKER-023: consecutive RUN instructions, or consecutive COPY/ADD instructions to the same
 * destination, in a stage that ends up in the final image: each makes a layer, and separate
 * steps keep files a later step deletes. Reported once per run of instructions, at the first.
 */
import type { DockerInstruction } from '../../inputs/dockerfile/index.js';
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { BEST_PRACTICES, dockerRule, nist } from './lib/define.js';
import { inFinalImage, instructionPath, stageOf } from './lib/stage.js';

/** Instructions that could be one: same keyword and flags; COPY/ADD to the same destination. */
function mergeable(a: DockerInstruction, b: DockerInstruction): boolean {
  if (a.keyword !== b.keyword || JSON.stringify(a.flagList) !== JSON.stringify(b.flagList)) return false;
  if (a.keyword === 'RUN') return true;
  if (a.keyword !== 'COPY' && a.keyword !== 'ADD') return false;
  if (a.heredocs !== undefined || b.heredocs !== undefined || a.arguments.length < 2 || b.arguments.length < 2) return false;
  return a.arguments[a.arguments.length - 1] === b.arguments[b.arguments.length - 1];
}

export const consecutiveLayers = dockerRule({
  id: 'VGL-DOCKER-023',
  title: 'Consecutive RUN or COPY instructions could be combined',
  description: 'Each RUN, COPY and ADD makes an image layer. Consecutive RUN steps (or copies to the same destination) add layers, and files created in one step and deleted in a later one still ship in the earlier layer.',
  severity: 'info',
  frameworks: [nist('CM-6')],
  remediation: 'Combine consecutive RUN steps with && (cleaning up in the same step), and copy several sources to one destination in a single COPY.',
  fix: 'RUN apt-get update \\\n && apt-get install -y --no-install-recommends wget \\\n && rm -rf /var/lib/apt/lists/*',
  references: [`${BEST_PRACTICES}#minimize-the-number-of-layers`],
  check(r, ctx) {
    if (!inFinalImage(r, ctx)) return [];
    const list = stageOf(r).instructions;
    const out: Violation[] = [];
    for (let i = 0; i + 1 < list.length; i++) {
      if (!mergeable(list[i]!, list[i + 1]!)) continue;
      let end = i + 1;
      while (end + 1 < list.length && mergeable(list[end]!, list[end + 1]!)) end++;
      out.push(violation(instructionPath(i), `${end - i + 1} consecutive ${list[i]!.keyword} instructions could be combined`));
      i = end;
    }
    return out;
  },
  bad: [{ text: 'FROM ubuntu:24.04\nRUN apt-get update\nRUN apt-get install -y wget\n\n# unpack\nRUN tar xzf a.tgz\nCOPY README.md ./\nCOPY package.json ./\n', lines: [2, 7] }],
  good: ['FROM ubuntu:24.04 AS build\nRUN make\nRUN make test\n\nFROM ubuntu:24.04\nRUN apt-get update && apt-get install -y wget\nCOPY README.md ./one\nCOPY package.json ./two\nRUN --mount=type=cache,target=/root/.cache make\nRUN make install\n'],
});
