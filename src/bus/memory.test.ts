import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from './memory.js';

test('delivers every message once, in order, in batches', async () => {
  const bus = new MemoryBus(100);
  const seen: number[] = [];
  const sizes: number[] = [];
  bus.subscribe<number>('t', async (batch) => {
    sizes.push(batch.length);
    seen.push(...batch);
  }, { batchSize: 50 });
  for (let i = 0; i < 1000; i++) await bus.publish('t', i);
  await bus.drain('t');
  assert.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i));
  assert.ok(Math.max(...sizes) <= 50);
  assert.ok(sizes.length < 1000, 'batched');
});

test('backpressure: a publisher waits while the topic is full', async () => {
  const bus = new MemoryBus(10);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let handled = 0;
  bus.subscribe<number>('t', async (batch) => {
    await gate;
    handled += batch.length;
  }, { batchSize: 5 });
  let published = 0;
  const producer = (async () => {
    for (let i = 0; i < 100; i++) {
      await bus.publish('t', i);
      published++;
    }
  })();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(published <= 16, `publisher ran ahead: ${published}`);
  release();
  await producer;
  await bus.drain('t');
  assert.equal(handled, 100);
});

test('a handler error fails drain and later publishes', async () => {
  const bus = new MemoryBus(10);
  bus.subscribe<number>('t', async (batch) => {
    if (batch.includes(3)) throw new Error('store down');
  }, { batchSize: 2 });
  for (let i = 0; i < 5; i++) await bus.publish('t', i).catch(() => undefined);
  await assert.rejects(bus.drain('t'), /store down/);
  await assert.rejects(bus.publish('t', 9), /store down/);
});

test('drain on an idle topic resolves; one consumer per topic', async () => {
  const bus = new MemoryBus();
  await bus.drain('nothing');
  bus.subscribe('x', async () => undefined);
  assert.throws(() => bus.subscribe('x', async () => undefined), /already has a consumer/);
});

test('a producer slower than its consumer still delivers full batches', async () => {
  const bus = new MemoryBus(100);
  const sizes: number[] = [];
  bus.subscribe<number>('t', async (batch) => {
    sizes.push(batch.length);
  }, { batchSize: 10, maxWaitMs: 10_000 });
  for (let i = 0; i < 35; i++) {
    await bus.publish('t', i);
    await new Promise((r) => setImmediate(r)); // an I/O turn between records, as when reading files
  }
  await bus.drain('t');
  assert.deepEqual(sizes, [10, 10, 10, 5], 'full batches, and drain flushes the partial one');
});

test('a partial batch is handled after maxWaitMs without a drain', async () => {
  const bus = new MemoryBus(100);
  const seen: number[] = [];
  bus.subscribe<number>('t', async (batch) => {
    seen.push(...batch);
  }, { batchSize: 10, maxWaitMs: 5 });
  await bus.publish('t', 1);
  await bus.publish('t', 2);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(seen, [1, 2]);
  await bus.close();
});
