import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CvssVersion } from '../core/advisory.js';
import { isCvssVector } from './cvss-vector.js';

test('isCvssVector accepts the shapes feeds publish', () => {
  const good: [CvssVersion, string][] = [
    ['2.0', 'AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['2.0', 'AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:ND/RC:UR'],
    ['3.0', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L/E:P/RL:X/RC:R'],
    ['3.1', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H/E:P/RL:O/RC:C'],
    ['3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/CR:H/MAV:A'],
    ['3.1', 'CVSS:3.1/AV:N'],
    ['4.0', 'CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N'],
    ['4.0', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:P/U:Amber'],
  ];
  for (const [v, s] of good) assert.equal(isCvssVector(v, s), true, s);
});

test('isCvssVector refuses wrong prefix, unknown metrics or values, repeats, v4 disorder', () => {
  const bad: [CvssVersion, string][] = [
    ['3.1', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['3.1', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
    ['3.1', 'CVSS:3.1/'],
    ['3.1', 'CVSS:3.1/AV:Q/AC:L'],
    ['3.1', 'CVSS:3.1/AV:N/AV:L'],
    ['3.1', 'CVSS:3.1/AV:N/XX:Y'],
    ['3.1', 'CVSS:3.1/AV:N//AC:L'],
    ['3.1', 'CVSS:3.1/AV:N/AC:L/'],
    ['3.1', 'CVSS:3.1/constructor:x'],
    ['3.1', 'CVSS:3.1/__proto__:x'],
    ['2.0', 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P'],
    ['2.0', 'garbage'],
    ['4.0', 'CVSS:4.0/AC:H/AV:N/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N'],
    ['4.0', 'CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N'],
    ['4.0', 'CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/U:Amber/E:P'],
    ['4.0', `CVSS:4.0/AV:N${'/E:X'.repeat(200)}`],
  ];
  for (const [v, s] of bad) assert.equal(isCvssVector(v, s), false, s);
});
