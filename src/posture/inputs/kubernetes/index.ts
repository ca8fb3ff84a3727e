import type { InputAdapter, InputResult } from '../types.js';
import { parseKubernetes } from './parse.js';

const EXT = /\.(ya?ml|json)$/i;

export const kubernetesInput: InputAdapter = {
  id: 'kubernetes',
  accepts(path, head) {
    if (!EXT.test(path)) return false;
    // A JSON manifest is an object (a List for `kubectl get -o json`); a top-level array is some
    // other tool's output that merely contains objects.
    if (/\.json$/i.test(path) && !head.trimStart().startsWith('{')) return false;
    return /(^|[\s{,"])apiVersion"?\s*:/.test(head) && /(^|[\s{,"])kind"?\s*:/.test(head);
  },
  parse(files) {
    const out: InputResult = { resources: [], problems: [] };
    for (const f of files) {
      const r = parseKubernetes(f);
      out.resources.push(...r.resources);
      out.problems.push(...r.problems);
    }
    return Promise.resolve(out);
  },
};
