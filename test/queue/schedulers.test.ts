/** syncPollSchedulers against a real BullMQ queue on the real Redis (random prefix, deleted after). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, keyspace, pollSchedulerId } from '../../src/model';
import { syncPollSchedulers, type ChainPollJobData } from '../../src/queue/schedulers';
import { testNetwork } from '../support/network';
import { REDIS_URL, deleteKeys } from '../support/pipeline';

const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
let redis: Redis;
let queue: Queue<ChainPollJobData>;

before(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue<ChainPollJobData>(QUEUES.chainPoll, { connection: redis, prefix: keyspace(prefix).bullPrefix });
  queue.on('error', () => undefined);
});

after(async () => {
  await queue.close();
  await deleteKeys(prefix);
  await redis.quit();
});

const megaeth = testNetwork({ name: 'megaeth', thresholds: { pollIntervalMs: 1000 } });
const opMainnet = testNetwork({ name: 'op-mainnet', thresholds: { pollIntervalMs: 2000 } });

async function schedulers(): Promise<Map<string, { every?: number; network?: string }>> {
  const list = await queue.getJobSchedulers(0, -1);
  return new Map(list.map((s) => [s.id ?? s.key, { every: s.every, network: s.template?.data?.network }]));
}

test('syncing twice gives one scheduler per network, every = pollIntervalMs (idempotent)', async () => {
  const first = await syncPollSchedulers(queue, [megaeth, opMainnet]);
  const second = await syncPollSchedulers(queue, [megaeth, opMainnet]);
  assert.deepEqual(first, { upserted: 2, removed: [] });
  assert.deepEqual(second, { upserted: 2, removed: [] });
  assert.deepEqual(
    await schedulers(),
    new Map([
      [pollSchedulerId('megaeth'), { every: 1000, network: 'megaeth' }],
      [pollSchedulerId('op-mainnet'), { every: 2000, network: 'op-mainnet' }],
    ]),
  );
});

test('a changed interval is applied in place; a network that left the list loses its scheduler', async () => {
  // A scheduler that is not a poll scheduler is none of syncPollSchedulers' business.
  await queue.upsertJobScheduler('housekeeping', { every: 60_000 }, { name: 'housekeeping' });
  const faster = testNetwork({ name: 'megaeth', thresholds: { pollIntervalMs: 500 } });
  const result = await syncPollSchedulers(queue, [faster]);
  assert.deepEqual(result, { upserted: 1, removed: [pollSchedulerId('op-mainnet')] });
  const now = await schedulers();
  assert.deepEqual([...now.keys()].sort(), ['housekeeping', pollSchedulerId('megaeth')]);
  assert.equal(now.get(pollSchedulerId('megaeth'))?.every, 500);

  assert.deepEqual(await syncPollSchedulers(queue, [faster]), { upserted: 1, removed: [] }, 'nothing left to remove');
});
