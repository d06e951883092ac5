/** SpendTracker and CursorStore against the real Redis, under a random key prefix. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { X_PRICES } from '../../src/x/budget';
import { CURSOR_TTL_SEC, CursorStore, SPEND_TTL_SEC, SpendTracker } from '../../src/x/spend';
import { testRedis, type TestRedis } from '../support/redis';
import { keyspace } from '../../src/model';

let r: TestRedis;
before(() => {
  r = testRedis();
});
after(async () => {
  await r.cleanup();
});

test('reads and posts add up per UTC month, in exact micro-dollars, with a ~40-day TTL', async () => {
  let now = Date.parse('2026-06-30T23:59:00Z');
  const spend = new SpendTracker(r.redis, keyspace(r.prefix), () => now);
  assert.equal(await spend.spentThisMonth(), 0);
  assert.equal(await spend.recordReads(3), 0.015);
  assert.equal(await spend.recordReads(0), 0.015);
  assert.equal(await spend.recordPost(false), 0.03);
  assert.equal(await spend.recordPost(true), 0.23);
  assert.equal(await spend.recordPost(true, { postUsd: 0.01, postWithUrlUsd: 0.05 }), 0.28);
  // 0.1 + 0.2 style drift cannot happen: 1,000 reads of $0.005 are exactly $5.
  await Promise.all(Array.from({ length: 100 }, () => spend.recordReads(10, X_PRICES.readUsd)));
  assert.equal(await spend.spentThisMonth(), 5.28);
  assert.deepEqual(await spend.month(), { month: '2026-06', spentUsd: 5.28, reads: 1003, posts: 3, postsWithUrl: 2 });
  const ttl = await r.redis.ttl(keyspace(r.prefix).xSpend('2026-06'));
  assert.ok(ttl > SPEND_TTL_SEC - 10 && ttl <= SPEND_TTL_SEC, String(ttl));

  now = Date.parse('2026-07-01T00:00:01Z');
  assert.equal(await spend.spentThisMonth(), 0, 'a new month starts at zero');
  await spend.recordReads(1);
  assert.equal(await spend.spentThisMonth(), 0.005);
  assert.equal((await spend.month(Date.parse('2026-06-15T00:00:00Z'))).spentUsd, 5.28);
  await assert.rejects(spend.recordReads(-1), RangeError);
  await assert.rejects(spend.recordReads(1.5), RangeError);
});

test('two trackers (two workers) share the month', async () => {
  const now = () => Date.parse('2026-08-10T00:00:00Z');
  const a = new SpendTracker(r.redis, keyspace(r.prefix), now);
  const b = new SpendTracker(r.redis, keyspace(r.prefix), now);
  await Promise.all([a.recordReads(100), b.recordReads(100), a.recordPost(false), b.recordPost(false)]);
  assert.equal(await a.spentThisMonth(), 1.03);
  assert.equal(await b.spentThisMonth(), 1.03);
});

test('CursorStore: per network, forward only (ids compared as numbers), 7-day TTL', async () => {
  const c = new CursorStore(r.redis, keyspace(r.prefix));
  assert.equal(await c.get('megaeth'), null);
  assert.equal(await c.set('megaeth', '1897000000000000000'), true);
  assert.equal(await c.set('megaeth', '999999999999999999'), false, 'fewer digits = older');
  assert.equal(await c.set('megaeth', '1896999999999999999'), false);
  assert.equal(await c.set('megaeth', '1897000000000000000'), false);
  assert.equal(await c.get('megaeth'), '1897000000000000000');
  assert.equal(await c.set('megaeth', '1897000000000000001'), true);
  assert.equal(await c.get('megaeth'), '1897000000000000001');
  assert.equal(await c.get('base'), null, 'networks do not share a cursor');
  const ttl = await r.redis.ttl(keyspace(r.prefix).xCursor('megaeth'));
  assert.ok(ttl > CURSOR_TTL_SEC - 10 && ttl <= CURSOR_TTL_SEC);
  await assert.rejects(c.set('megaeth', 'abc'), RangeError);
  await assert.rejects(c.set('megaeth', '0123'), RangeError);
  // Racing workers: the largest id wins whatever the order.
  const ids = Array.from({ length: 20 }, (_, i) => String(2000000000000000000n + BigInt(i)));
  await Promise.all([...ids].reverse().map((id) => c.set('base', id)));
  assert.equal(await c.get('base'), ids.at(-1));
  await c.clear('base');
  assert.equal(await c.get('base'), null);
});

test('keys carry the test prefix (cleanup finds them)', async () => {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await r.redis.scan(cursor, 'MATCH', `*${r.prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  assert.ok(keys.length >= 3, keys.join(', '));
  assert.ok(keys.every((k) => k.startsWith(`{${r.prefix}:x}:`)));
});
