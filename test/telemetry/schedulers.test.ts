/** syncTelemetrySchedulers against a real BullMQ queue on the real Redis (random prefix, deleted after). */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { EndpointMetrics } from '../../src/config/network';
import { clientVersionSchedulerId, keyspace, QUEUES, scrapeSchedulerId } from '../../src/model';
import { CLIENT_VERSION_EVERY_MS, syncTelemetrySchedulers, type NodeTelemetryJobData } from '../../src/queue/schedulers';
import { testNetwork } from '../support/network';
import { REDIS_URL, deleteKeys } from '../support/pipeline';

const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
let redis: Redis;
let queue: Queue<NodeTelemetryJobData>;

before(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue<NodeTelemetryJobData>(QUEUES.nodeTelemetry, { connection: redis, prefix: keyspace(prefix).bullPrefix });
  queue.on('error', () => undefined);
});
after(async () => {
  await queue.close();
  await deleteKeys(prefix);
  await redis.quit();
});

const m = (scrapeEveryMs: number): EndpointMetrics => ({
  url: 'http://n/metrics',
  scrapeEveryMs,
  warnWithinMs: 3_600_000,
  highWatermark: 0.9,
  lowWatermark: 0.8,
});
const megaeth = testNetwork({
  name: 'megaeth',
  endpoints: [
    { label: 'a', url: 'http://a', metrics: m(30_000) },
    { label: 'b', url: 'http://b', metrics: m(15_000) },
  ],
});
const base = testNetwork({ name: 'base' });

async function schedulers(): Promise<Record<string, { every?: number; name?: string }>> {
  const list = await queue.getJobSchedulers(0, -1);
  return Object.fromEntries(list.map((s) => [s.id ?? s.key, { every: s.every, name: s.name }]));
}

test('a scrape scheduler per network with metrics (every = the shortest scrapeEvery), a client-version one per network; idempotent; dropped with the config', async () => {
  assert.deepEqual(await syncTelemetrySchedulers(queue, [megaeth, base]), { scrapes: 1, removed: [] });
  assert.deepEqual(await syncTelemetrySchedulers(queue, [megaeth, base]), { scrapes: 1, removed: [] });
  assert.deepEqual(await schedulers(), {
    [scrapeSchedulerId('megaeth')]: { every: 15_000, name: 'scrape' },
    [clientVersionSchedulerId('megaeth')]: { every: CLIENT_VERSION_EVERY_MS, name: 'client-version' },
    [clientVersionSchedulerId('base')]: { every: CLIENT_VERSION_EVERY_MS, name: 'client-version' },
  });
  const noMetrics = testNetwork({ name: 'megaeth' });
  const result = await syncTelemetrySchedulers(queue, [noMetrics]);
  assert.deepEqual(
    { ...result, removed: result.removed.sort() },
    { scrapes: 0, removed: [clientVersionSchedulerId('base'), scrapeSchedulerId('megaeth')] },
  );
  assert.deepEqual(Object.keys(await schedulers()), [clientVersionSchedulerId('megaeth')]);
});
