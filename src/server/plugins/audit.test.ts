import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionOf } from './audit.js';

test('actions name the resource and the verb from the route pattern', () => {
  assert.deepEqual(actionOf('POST', '/api/v1/users'), { action: 'users.create', targetType: 'users' });
  assert.deepEqual(actionOf('PATCH', '/api/v1/users/:id'), { action: 'users.update', targetType: 'users' });
  assert.deepEqual(actionOf('POST', '/api/v1/jobs/:id/cancel'), { action: 'jobs.cancel', targetType: 'jobs' });
  assert.deepEqual(actionOf('PATCH', '/api/v1/tenant'), { action: 'tenant.update', targetType: 'tenant' });
  assert.deepEqual(actionOf('POST', '/api/v1/tenant/members'), { action: 'tenant.members', targetType: 'tenant' });
});

test('a nested resource named by its own id is its own target type, never its parent', () => {
  assert.deepEqual(actionOf('PATCH', '/api/v1/tenant/members/:id'), { action: 'tenant.members.update', targetType: 'tenant.members' });
  assert.deepEqual(actionOf('DELETE', '/api/v1/tenant/members/:id'), { action: 'tenant.members.delete', targetType: 'tenant.members' });
  assert.deepEqual(actionOf('DELETE', '/api/v1/projects/:id/versions/:versionId'), { action: 'projects.versions.delete', targetType: 'projects.versions' });
});
