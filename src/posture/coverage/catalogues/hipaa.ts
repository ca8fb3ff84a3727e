/**
 * HIPAA Security Rule, 45 CFR Part 164 Subpart C: the standards and their implementation
 * specifications of 164.308 (administrative), 164.310 (physical), 164.312 (technical),
 * 164.314 (organisational) and 164.316 (policies, documentation), as the CFR numbers them.
 * A standard with implementation specifications is listed at its own paragraph
 * (e.g. 164.308(a)(1)(i), 164.312(a)(1)) and each specification beside it
 * (164.308(a)(1)(ii)(A), 164.312(a)(2)(iv)); a standard without any is listed once.
 * 164.308(b)(2) (business associates that use subcontractors) is a paragraph of the (b)(1)
 * standard with its own obligation, so it is listed too.
 */
import type { Catalogue } from '../catalogue.js';

const s308 = [
  '(a)(1)(i)', '(a)(1)(ii)(A)', '(a)(1)(ii)(B)', '(a)(1)(ii)(C)', '(a)(1)(ii)(D)',
  '(a)(2)',
  '(a)(3)(i)', '(a)(3)(ii)(A)', '(a)(3)(ii)(B)', '(a)(3)(ii)(C)',
  '(a)(4)(i)', '(a)(4)(ii)(A)', '(a)(4)(ii)(B)', '(a)(4)(ii)(C)',
  '(a)(5)(i)', '(a)(5)(ii)(A)', '(a)(5)(ii)(B)', '(a)(5)(ii)(C)', '(a)(5)(ii)(D)',
  '(a)(6)(i)', '(a)(6)(ii)',
  '(a)(7)(i)', '(a)(7)(ii)(A)', '(a)(7)(ii)(B)', '(a)(7)(ii)(C)', '(a)(7)(ii)(D)', '(a)(7)(ii)(E)',
  '(a)(8)',
  '(b)(1)', '(b)(2)', '(b)(3)',
];
const s310 = ['(a)(1)', '(a)(2)(i)', '(a)(2)(ii)', '(a)(2)(iii)', '(a)(2)(iv)', '(b)', '(c)', '(d)(1)', '(d)(2)(i)', '(d)(2)(ii)', '(d)(2)(iii)', '(d)(2)(iv)'];
const s312 = ['(a)(1)', '(a)(2)(i)', '(a)(2)(ii)', '(a)(2)(iii)', '(a)(2)(iv)', '(b)', '(c)(1)', '(c)(2)', '(d)', '(e)(1)', '(e)(2)(i)', '(e)(2)(ii)'];
const s314 = ['(a)(1)', '(a)(2)(i)', '(a)(2)(ii)', '(a)(2)(iii)', '(b)(1)', '(b)(2)'];
const s316 = ['(a)', '(b)(1)', '(b)(2)(i)', '(b)(2)(ii)', '(b)(2)(iii)'];

export const HIPAA: Catalogue = {
  framework: 'hipaa',
  edition: 'HIPAA Security Rule, 45 CFR 164.308–164.316 (as amended 2013)',
  level: 'standards and implementation specifications (required and addressable)',
  requirements: [
    ...s308.map((p) => `164.308${p}`),
    ...s310.map((p) => `164.310${p}`),
    ...s312.map((p) => `164.312${p}`),
    ...s314.map((p) => `164.314${p}`),
    ...s316.map((p) => `164.316${p}`),
  ],
};
