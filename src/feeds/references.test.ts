import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUri, ReferenceList } from './references.js';

test('ReferenceList deduplicates by URL and merges tags in first-seen order', () => {
  const l = new ReferenceList();
  l.add('https://a.example/1', ['patch', 'patch']);
  l.add('https://b.example/2');
  l.add('https://a.example/1', ['x_transferred', 'patch']);
  assert.deepEqual(l.toArray(), [
    { url: 'https://a.example/1', tags: ['patch', 'x_transferred'] },
    { url: 'https://b.example/2', tags: [] },
  ]);
  assert.deepEqual(new ReferenceList().toArray(), []);
});

test('isUri: absolute URIs with RFC 3986 characters only', () => {
  for (const good of ['https://example.com/a?b=c#d', 'http://[::1]:8080/x', 'mailto:sec@example.com', 'https://example.com/%20x']) assert.equal(isUri(good), true, good);
  for (const bad of ['', 'example.com/x', '/relative', 'https://example.com/a b', 'https://exämple.com/', 'https://example.com/<x>', `https://e.com/${'a'.repeat(2100)}`]) assert.equal(isUri(bad), false, bad);
});
