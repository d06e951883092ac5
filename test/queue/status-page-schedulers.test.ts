/** syncStatusPageSchedulers on a real BullMQ queue: one reader per network with a status page, dropped with it. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, keyspace, statusPageSchedulerId } from '../../src/model';
import { syncStatusPageSchedulers, type StatusPageJobData } from '../../src/queue/schedulers';
import { testNetwork } from '../support/network';
import { REDIS_URL, deleteKeys } from '../support/pipeline';

const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const queue = new Queue<StatusPageJobData>(QUEUES.statusPage, { connection: redis, prefix: keyspace(prefix).bullPrefix });
queue.on('error', () => undefined);

after(async () => {
  await queue.close();
  await deleteKeys(prefix);
  await redis.quit();
});

const withPage = testNetwork({
  name: 'base',
  statusPage: { url: 'https://status.base.org/api/v2/summary.json', kind: 'statuspage', everyMs: 30_000, timeoutMs: 10_000 },
});
const without = testNetwork({ name: 'op' });

async function schedulers(): Promise<Map<string, { every?: number; network?: string }>> {
  const list = await queue.getJobSchedulers(0, -1);
  return new Map(list.map((s) => [s.id ?? s.key, { every: s.every, network: s.template?.data?.network }]));
}

test('one scheduler per network with a status page, at its interval, twice synced the same; dropped with the page', async () => {
  assert.deepEqual(await syncStatusPageSchedulers(queue, [withPage, without]), { pages: 1, removed: [] });
  assert.deepEqual(await syncStatusPageSchedulers(queue, [withPage, without]), { pages: 1, removed: [] });
  assert.deepEqual(await schedulers(), new Map([[statusPageSchedulerId('base'), { every: 30_000, network: 'base' }]]));
  await queue.upsertJobScheduler('housekeeping', { every: 60_000 }, { name: 'housekeeping' });
  assert.deepEqual(await syncStatusPageSchedulers(queue, [without]), { pages: 0, removed: [statusPageSchedulerId('base')] });
  assert.deepEqual([...(await schedulers()).keys()], ['housekeeping']);
});
