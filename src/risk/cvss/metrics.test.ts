import { test } from 'node:test';
import assert from 'node:assert/strict';
import aeCvss from 'ae-cvss-calculator';
import { VERSION_SPECS } from './metrics.js';
import type { CvssVersion } from './types.js';

const LIBRARY = { '2.0': aeCvss.Cvss2, '3.0': aeCvss.Cvss3P0, '3.1': aeCvss.Cvss3P1, '4.0': aeCvss.Cvss4P0 } as const;
const NOT_DEFINED = new Set(['X', 'ND']);

// The validation tables are hand-written; the library is the second source. They must agree on
// every metric and value, except that the library also offers "Not Defined" for base metrics
// and a hidden S for v4 SC/SI/SA, which the specs do not allow in vectors.
for (const version of Object.keys(VERSION_SPECS) as CvssVersion[]) {
  test(`CVSS ${version} tables agree with ae-cvss-calculator`, () => {
    const spec = VERSION_SPECS[version];
    const library = new LIBRARY[version]();
    const registered = [...library.getRegisteredComponents().values()].flat();
    assert.deepEqual(
      spec.metrics.map((m) => m.id).sort(),
      registered.map((c) => c.shortName).sort(),
      'same metrics',
    );
    for (const metric of spec.metrics) {
      const component = registered.find((c) => c.shortName === metric.id);
      assert.ok(component, metric.id);
      const libraryValues = component.values
        .filter((v) => v.hide !== true)
        .filter((v) => metric.group !== 'base' || !NOT_DEFINED.has(v.shortName))
        .map((v) => v.shortName);
      assert.deepEqual([...metric.values].sort(), libraryValues.sort(), `values of ${metric.id}`);
    }
  });
}

test('spec order: v4 matches the library vector-string order; each table lists base first', () => {
  const library = new aeCvss.Cvss4P0();
  const order = [...library.getVectorStringOrderProperties().values()].flat().map((c) => c.shortName);
  assert.deepEqual(VERSION_SPECS['4.0'].metrics.map((m) => m.id), order);
  for (const spec of Object.values(VERSION_SPECS)) {
    const firstOther = spec.metrics.findIndex((m) => m.group !== 'base');
    assert.ok(spec.metrics.slice(firstOther).every((m) => m.group !== 'base'), spec.version);
    assert.equal(spec.prefix, spec.version === '2.0' ? '' : `CVSS:${spec.version}/`);
  }
  assert.equal(VERSION_SPECS['2.0'].ordered, true);
  assert.equal(VERSION_SPECS['3.1'].ordered, false);
  assert.equal(VERSION_SPECS['4.0'].ordered, true);
});
