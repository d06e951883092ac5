/** syncProbeSchedulers on a real BullMQ queue: one prober per network, whatever the scheduler processes. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { secretKey } from '../../src/config/probe';
import { probeTickMs } from '../../src/engine';
import { QUEUES, keyspace, probeSchedulerId } from '../../src/model';
import { syncProbeSchedulers, type ProbeJobData } from '../../src/queue/schedulers';
import { testNetwork } from '../support/network';
import { REDIS_URL, deleteKeys } from '../support/pipeline';

const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
/** Two scheduler processes, each with its own Queue over the same Redis. */
const queues = [0, 1].map(() => {
  const q = new Queue<ProbeJobData>(QUEUES.probe, { connection: redis, prefix: keyspace(prefix).bullPrefix });
  q.on('error', () => undefined);
  return q;
});

after(async () => {
  await Promise.all(queues.map((q) => q.close()));
  await deleteKeys(prefix);
  await redis.quit();
});

const settings = { keyEnv: 'K', key: secretKey(`0x${'11'.repeat(32)}`), everyMs: 300_000, deadlineMs: 30_000, maxDailyGasWei: '1' };
const probed = testNetwork({ name: 'base', probe: settings });
const unprobed = testNetwork({ name: 'op' });

async function schedulers(): Promise<Map<string, { every?: number; network?: string }>> {
  const list = await queues[0]!.getJobSchedulers(0, -1);
  return new Map(list.map((s) => [s.id ?? s.key, { every: s.every, network: s.template?.data?.network }]));
}

test('two scheduler processes syncing the same config: one probe scheduler per probed network, ticking at probeTickMs', async () => {
  const results = await Promise.all(queues.map((q) => syncProbeSchedulers(q, [probed, unprobed])));
  assert.deepEqual(results, [
    { probes: 1, removed: [] },
    { probes: 1, removed: [] },
  ]);
  assert.deepEqual(await schedulers(), new Map([[probeSchedulerId('base'), { every: probeTickMs(settings), network: 'base' }]]));
  assert.equal(probeTickMs(settings), 10_000);
});

test('a probe dropped from the config loses its scheduler; other schedulers on the queue are left alone', async () => {
  await queues[0]!.upsertJobScheduler('housekeeping', { every: 60_000 }, { name: 'housekeeping' });
  assert.deepEqual(await syncProbeSchedulers(queues[1]!, [unprobed]), { probes: 0, removed: [probeSchedulerId('base')] });
  assert.deepEqual([...(await schedulers()).keys()], ['housekeeping']);
});
