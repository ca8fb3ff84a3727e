import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource } from '../../model.js';
import { blocksAt, forbidValues, listHas, lower, requireBool, show } from './attrs.js';
import { themes, THEMES } from './controls.js';
import { ipv4, isPrivateRange, isWorldCidr, portSpecIncludes, portSpecIsAll } from './network.js';
import { isFrameworkId } from '../../frameworks.js';

function res(attrs: Record<string, unknown>): Resource {
  return {
    kind: 'tf:test',
    input: 'terraform',
    provider: 'azure',
    type: 'test',
    id: 'test.t',
    name: 't',
    file: 'main.tf',
    line: 1,
    endLine: 1,
    attrs,
    lineOf: () => undefined,
    refs: [],
    suppressions: [],
  };
}

describe('ipv4', () => {
  test('parses dotted quads', () => {
    assert.equal(ipv4('0.0.0.0'), 0);
    assert.equal(ipv4('255.255.255.255'), 2 ** 32 - 1);
    assert.equal(ipv4(' 10.0.0.1 '), 167772161);
  });
  test('rejects everything else', () => {
    for (const s of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.-4', 'a.b.c.d', '1.2.3.4/32', '1..2.3', '1234.1.1.1', '::1']) assert.equal(ipv4(s), undefined, s);
    for (const v of [undefined, null, 1, {}, ['1.2.3.4']]) assert.equal(ipv4(v), undefined);
  });
  test('hostile input stays linear and undefined', () => {
    assert.equal(ipv4('1.'.repeat(100_000)), undefined);
    assert.equal(ipv4('9'.repeat(1_000_000)), undefined);
  });
});

test('private ranges must lie wholly inside one RFC 1918 block', () => {
  const r = (a: string, b: string): boolean => isPrivateRange(ipv4(a)!, ipv4(b)!);
  assert.equal(r('10.2.3.4', '10.3.4.5'), true);
  assert.equal(r('192.168.0.1', '192.168.0.1'), true);
  assert.equal(r('172.16.0.0', '172.31.255.255'), true);
  assert.equal(r('172.15.0.0', '172.16.0.1'), false);
  assert.equal(r('10.0.0.0', '11.0.0.0'), false);
  assert.equal(r('0.0.0.0', '0.0.0.0'), false);
  assert.equal(r('1.2.3.4', '2.3.4.5'), false);
});

test('world CIDRs', () => {
  for (const s of ['0.0.0.0/0', '::/0', ' 0.0.0.0/0 ']) assert.equal(isWorldCidr(s), true, s);
  for (const v of ['0.0.0.0/1', '10.0.0.0/8', '0.0.0.0', '', undefined, 0, ['0.0.0.0/0']]) assert.equal(isWorldCidr(v), false);
});

describe('port specifications', () => {
  test('single ports, ranges, wildcards and numbers', () => {
    assert.equal(portSpecIncludes('22', 22), true);
    assert.equal(portSpecIncludes(22, 22), true);
    assert.equal(portSpecIncludes('*', 3389), true);
    assert.equal(portSpecIncludes('21-3390', 3389), true);
    assert.equal(portSpecIncludes('1000 - 2000', 1500), true);
    assert.equal(portSpecIncludes('3390-4000', 3389), false);
    assert.equal(portSpecIncludes('2222', 22), false);
  });
  test('garbage matches nothing', () => {
    for (const v of ['', 'ssh', '22-', '-22', '22,23', '1-2-3', null, undefined, {}, ['22'], `${'9'.repeat(100_000)}-1`]) assert.equal(portSpecIncludes(v, 22), false, show(v));
  });
  test('all ports', () => {
    assert.equal(portSpecIsAll('*'), true);
    assert.equal(portSpecIsAll('0-65535'), true);
    assert.equal(portSpecIsAll('1-65535'), true);
    assert.equal(portSpecIsAll('1024-65535'), false);
    assert.equal(portSpecIsAll(65535), false);
  });
});

describe('attribute helpers', () => {
  test('blocksAt gives list blocks with indexes and object syntax without', () => {
    assert.deepEqual(blocksAt({ b: [{ x: 1 }, 'junk', { x: 2 }] }, 'b'), [
      { block: { x: 1 }, path: ['b', 0] },
      { block: { x: 2 }, path: ['b', 2] },
    ]);
    assert.deepEqual(blocksAt({ b: { x: 1 } }, 'b', ['outer', 0]), [{ block: { x: 1 }, path: ['outer', 0, 'b'] }]);
    assert.deepEqual(blocksAt({ b: '${var.blocks}' }, 'b'), []);
    assert.deepEqual(blocksAt(undefined, 'b'), []);
    assert.deepEqual(blocksAt([], 'b'), []);
  });

  test('requireBool: wrong value, default, unresolved, not a boolean', () => {
    const what = 'x';
    assert.equal(requireBool(res({ on: false }), ['on'], true, true, what).length, 1);
    assert.equal(requireBool(res({ on: 'False' }), ['on'], true, true, what).length, 1);
    assert.equal(requireBool(res({ on: true }), ['on'], true, true, what).length, 0);
    assert.equal(requireBool(res({}), ['on'], true, true, what).length, 0, 'the default is right');
    assert.deepEqual(requireBool(res({}), ['on'], true, false, what).map((v) => v.path), [['on']], 'the default is wrong');
    assert.equal(requireBool(res({}), ['on'], true, undefined, what).length, 0, 'no known default');
    assert.equal(requireBool(res({ on: '${var.on}' }), ['on'], true, false, what).length, 0, 'unresolved is unknown');
    assert.equal(requireBool(res({ on: 'maybe' }), ['on'], true, false, what).length, 0, 'not a boolean');
    assert.equal(requireBool(res({ on: null }), ['on'], true, true, what).length, 0);
  });

  test('forbidValues compares case-insensitively and ignores the unknown', () => {
    assert.equal(forbidValues(res({ t: 'TLS1_0' }), ['t'], ['tls1_0'], 'old').length, 1);
    assert.equal(forbidValues(res({ t: 'TLS1_2' }), ['t'], ['tls1_0'], 'old').length, 0);
    assert.equal(forbidValues(res({ t: '${var.t}' }), ['t'], ['tls1_0'], 'old').length, 0);
    assert.equal(forbidValues(res({}), ['t'], ['tls1_0'], 'old').length, 0);
  });

  test('lower, listHas and show', () => {
    assert.equal(lower(' On '), 'on');
    assert.equal(lower(true), 'true');
    assert.equal(lower('${x}'), undefined);
    assert.equal(lower({}), undefined);
    assert.equal(listHas(['a', ' b '], ['b']), true);
    assert.equal(listHas('a', ['a']), true);
    assert.equal(listHas([1, null], ['1']), false);
    assert.equal(show('x'), 'x');
    assert.equal(show(1.1), '1.1');
    assert.equal(show({ a: 1 }), '{"a":1}');
    assert.equal(show(undefined), 'undefined');
  });
});

test('themes list known frameworks, each control once', () => {
  for (const [name, controls] of Object.entries(THEMES)) {
    assert.ok(controls.length > 0, name);
    for (const c of controls) assert.ok(isFrameworkId(c.framework) && c.control.length > 0, `${name}: ${c.framework} ${c.control}`);
  }
  const both = themes('network', 'network', 'transit');
  assert.equal(new Set(both.map((c) => `${c.framework} ${c.control}`)).size, both.length);
  assert.ok(both.some((c) => c.framework === 'pci-dss-4.0' && c.control === '4.2.1'));
});
