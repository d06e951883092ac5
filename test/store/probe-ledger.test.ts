/** The probe ledger's Redis hash on the real Redis: a round trip, and what counts as unreadable. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { keyspace, type ProbeLedger } from '../../src/model';
import { readProbeLedger, writeProbeLedger } from '../../src/store/probe-ledger';
import { testRedis } from '../support/redis';

const r = testRedis();
const keys = keyspace(r.prefix);
after(() => r.cleanup());

const tx = { hash: `0x${'ab'.repeat(32)}`, raw: '0x02f8', maxFeeWei: '3000000000', tipWei: '1000000000', gas: '21000' };
const ledger: ProbeLedger = {
  address: `0x${'aa'.repeat(20)}`,
  inFlight: { nonce: 7, txs: [tx, { ...tx, hash: `0x${'cd'.repeat(32)}` }], sentAt: 1_700_000_000_000, sentHead: 12, replacedAt: null },
  lastSentAt: 1_700_000_000_000,
  day: '2026-12-02',
  spentWei: '37078125000000',
  logged: 'send:funds',
};

test('what is written is what is read, and a ledger with nothing in flight drops the in-flight fields', async () => {
  assert.deepEqual(await readProbeLedger(r.redis, keys, 'a'), { kind: 'none' });
  await writeProbeLedger(r.redis, keys, 'a', ledger);
  assert.deepEqual(await readProbeLedger(r.redis, keys, 'a'), { kind: 'found', ledger });
  await writeProbeLedger(r.redis, keys, 'a', { ...ledger, inFlight: null, logged: null });
  assert.deepEqual(Object.keys(await r.redis.hgetall(keys.probe('a'))).sort(), ['address', 'day', 'lastSentAt', 'spentWei']);
  assert.ok((await r.redis.pttl(keys.probe('a'))) > 6 * 86_400_000, 'kept about a week');
});

test('transactions without their nonce, bad JSON, too many versions or a bad amount is unreadable', async () => {
  const key = keys.probe('b');
  await writeProbeLedger(r.redis, keys, 'b', ledger);
  await r.redis.hdel(key, 'nonce');
  assert.deepEqual(await readProbeLedger(r.redis, keys, 'b'), { kind: 'unreadable' });
  await r.redis.hset(key, 'txs', '[{"hash":');
  assert.deepEqual(await readProbeLedger(r.redis, keys, 'b'), { kind: 'unreadable' });
  await r.redis.hset(key, 'txs', JSON.stringify(Array.from({ length: 5 }, () => tx)));
  assert.deepEqual(await readProbeLedger(r.redis, keys, 'b'), { kind: 'unreadable' });
  await writeProbeLedger(r.redis, keys, 'b', ledger);
  await r.redis.hset(key, 'spentWei', '-1');
  assert.deepEqual(await readProbeLedger(r.redis, keys, 'b'), { kind: 'unreadable' });
});
