import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError } from '../core/errors.js';
import { decodeCursor, encodeCursor, keyset, toPage } from './paging.js';

const SORT = { createdAt: { column: 'created_at', cast: 'timestamptz' }, email: { column: 'email', cast: 'text' } } as const;
const ID = '00000000-0000-4000-8000-000000000001';

test('cursor round-trips dates and strings', () => {
  const d = new Date('2026-01-02T03:04:05.678Z');
  assert.deepEqual(decodeCursor(encodeCursor(d, ID)), ['2026-01-02T03:04:05.678Z', ID]);
  assert.deepEqual(decodeCursor(encodeCursor('a@b', ID)), ['a@b', ID]);
});

test('hostile cursors are validation errors, never crashes', () => {
  for (const c of ['', '!!!', Buffer.from('{}').toString('base64url'), Buffer.from('[1,2]').toString('base64url'), Buffer.from('["x","not-a-uuid"]').toString('base64url'), 'a'.repeat(10000)]) {
    assert.throws(() => decodeCursor(c), (e: unknown) => e instanceof VigilError && e.code === 'validation');
  }
});

test('keyset builds ascending and descending clauses', () => {
  const first = keyset({ limit: 10, sort: 'createdAt' }, SORT, 2);
  assert.equal(first.where, 'TRUE');
  assert.equal(first.orderBy, 'created_at ASC, id ASC');
  assert.equal(first.limit, 11);
  assert.match(first.sortKey, /to_char\(created_at AT TIME ZONE 'UTC', '.*US/, 'timestamps keep microseconds in cursors');
  const next = keyset({ limit: 10, sort: '-email', cursor: encodeCursor('m@x', ID) }, SORT, 3);
  assert.equal(next.where, '(email, id) < ($3::text, $4::uuid)');
  assert.equal(next.orderBy, 'email DESC, id DESC');
  assert.deepEqual(next.params, ['m@x', ID]);
  assert.equal(next.sortKey, 'email');
});

test('unknown sort fields name the allowed ones', () => {
  assert.throws(() => keyset({ limit: 1, sort: 'password_hash' }, SORT, 1), (e: unknown) => {
    assert.ok(e instanceof VigilError);
    assert.equal(e.errors?.[0]?.pointer, '/querystring/sort');
    assert.match(e.errors?.[0]?.detail ?? '', /createdAt/);
    return true;
  });
});

test('toPage trims the look-ahead row and emits a cursor only when more rows exist', () => {
  const rows = [1, 2, 3].map((n) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, n }));
  const p = toPage(rows, { limit: 2, sort: 'createdAt' }, (r) => String(r.n));
  assert.equal(p.items.length, 2);
  assert.deepEqual(decodeCursor(p.nextCursor!), ['2', rows[1]!.id]);
  const last = toPage(rows.slice(0, 2), { limit: 2, sort: 'createdAt' }, (r) => String(r.n));
  assert.equal(last.nextCursor, null);
});
