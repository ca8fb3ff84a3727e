import { test } from 'node:test';
import assert from 'node:assert/strict';
import { can, isRole, ROLES } from './roles.js';

test('role grants', () => {
  assert.equal(can('admin', 'admin'), true);
  assert.equal(can('analyst', 'write'), true);
  assert.equal(can('analyst', 'admin'), false);
  assert.equal(can('viewer', 'read'), true);
  assert.equal(can('viewer', 'write'), false);
  assert.equal(can('viewer', 'ingest'), false);
  assert.equal(can('ingest', 'ingest'), true);
  assert.equal(can('ingest', 'read'), false, 'ingest keys are write-only');
});

test('isRole accepts exactly the closed vocabulary', () => {
  for (const r of ROLES) assert.equal(isRole(r), true);
  assert.equal(isRole('Admin'), false);
  assert.equal(isRole('root'), false);
  assert.equal(isRole(''), false);
});

test('every role may ask who it is and change its own password (self)', () => {
  for (const r of ROLES) assert.equal(can(r, 'self'), true, r);
});
