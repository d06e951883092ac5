/**
 * A real Sentinel-managed primary (primary + replica + 3 sentinels, started by this file from
 * redis-server on PATH): ioredis in sentinel mode, a BullMQ queue and worker on sentinel
 * connections, then a kill -9 of the primary: promotion time, first successful write through
 * the same clients (ioredis 6 defaults, and a capped retryStrategy), and the same worker
 * processing a job added after the kill. Figures are printed as test diagnostics.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { startRedisSentinel, type RedisSentinelHandle } from '../support/redis-topology';
import { bounded, completionOf, firstSuccess, unique } from './helpers';

const hex = randomBytes(6).toString('hex');
const prefix = `cwtest-${hex}`;
const QUEUE = 'sentinel-probe';

let topo: RedisSentinelHandle;
const clients: Redis[] = [];
const clientErrors = new Map<string, string[]>();
let queue: Queue | undefined;
let worker: Worker | undefined;
const workerErrors: string[] = [];
/** ioredis 6 defaults apart from the sentinel address: what `new Redis({ sentinels, name })` does. */
let plain: Redis;
/** Reconnects at most 500 ms apart (the ioredis 6 default backs off to 5 s + jitter). */
let capped: Redis;

const cappedRetry = (times: number): number => Math.min(100 * times, 500);

function sentinelClient(label: string, extra: RedisOptions = {}): Redis {
  const r = new Redis({ sentinels: topo.sentinels, name: topo.name, ...extra });
  const errors: string[] = [];
  clientErrors.set(label, errors);
  r.on('error', (err: Error) => errors.push(err.message));
  clients.push(r);
  return r;
}

function direct(port: number): Redis {
  const r = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined);
  clients.push(r);
  return r;
}

/** The port of the server this client is connected to, as that server reports it. */
async function servingPort(r: Redis): Promise<number> {
  const info = String(await r.info('server'));
  const match = /^tcp_port:(\d+)/m.exec(info);
  assert.ok(match, 'INFO server has tcp_port');
  return Number(match[1]);
}

async function role(r: Redis): Promise<string> {
  const match = /^role:(\w+)/m.exec(String(await r.info('replication')));
  return match?.[1] ?? '(none)';
}

before(
  async () => {
    topo = await startRedisSentinel();
    console.log(
      `# sentinel topology up in ${Math.round(topo.timings.totalMs)} ms: primary ${topo.dataNodes[0]!.port}, replica ${topo.dataNodes[1]!.port}, sentinels ${topo.sentinels.map((s) => s.port).join(',')}`,
    );
  },
  { timeout: 60_000 },
);

after(async () => {
  try {
    await bounded(
      (async () => {
        await worker?.close(true);
        if (queue) await queue.obliterate({ force: true }).catch(() => undefined);
        await queue?.close();
        // The engines die with the topology, but leave nothing of ours behind while they live.
        const p = await topo.primary();
        const node = direct(p.port);
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length) await node.unlink(...keys);
        } while (cursor !== '0');
      })(),
      15_000,
      'cleanup',
    );
  } finally {
    for (const c of clients) c.disconnect();
    await topo?.stop();
  }
});

test('the sentinels name the started primary, and ioredis in sentinel mode writes and reads there', { timeout: 20_000 }, async () => {
  const primary = await topo.primary();
  assert.equal(primary.port, topo.dataNodes[0]!.port);
  plain = sentinelClient('plain');
  capped = sentinelClient('capped', { retryStrategy: cappedRetry, maxRetriesPerRequest: null });
  assert.equal(await plain.set(`${prefix}:k`, 'v1'), 'OK');
  assert.equal(await capped.get(`${prefix}:k`), 'v1');
  assert.equal(await servingPort(plain), primary.port);
  assert.equal(await servingPort(capped), primary.port);
  assert.equal(await role(plain), 'master');
  // The replica really replicates (the failover below relies on it).
  assert.equal(await plain.wait(1, 2_000), 1);
  assert.equal(await direct(topo.dataNodes[1]!.port).get(`${prefix}:k`), 'v1');
});

test('a BullMQ Queue and Worker on sentinel connections process a job', { timeout: 30_000 }, async () => {
  // Producer: fail fast instead of queueing while Redis is away (BullMQ's production guide);
  // the capped retry keeps its reconnect from hiding when the worker itself recovers.
  queue = new Queue(QUEUE, { connection: sentinelClient('queue', { enableOfflineQueue: false, retryStrategy: cappedRetry }), prefix });
  queue.on('error', () => undefined);
  // Consumer: BullMQ throws unless maxRetriesPerRequest is null; the blocking connection it
  // duplicates from this one inherits the sentinel options.
  worker = new Worker(QUEUE, async (job: Job<{ n: number }>) => ({ doubled: job.data.n * 2 }), {
    connection: sentinelClient('worker', { maxRetriesPerRequest: null, retryStrategy: cappedRetry }),
    prefix,
  });
  worker.on('error', (err) => workerErrors.push(err.message));
  await bounded(worker.waitUntilReady(), 10_000, 'worker ready');
  await bounded(queue.waitUntilReady(), 10_000, 'queue ready');
  const jobId = `first-${hex}`;
  const completed = completionOf(worker, jobId, 15_000, () => workerErrors);
  await queue.add('probe', { n: 21 }, { jobId });
  assert.deepEqual((await completed).job.returnvalue, { doubled: 42 });
});

test(
  'kill -9 of the primary: a sentinel promotes the replica, the same clients write again, the worker processes a new job',
  { timeout: 60_000 },
  async (t) => {
    assert.ok(queue && worker && plain && capped, 'needs the clients, queue and worker of the previous tests');
    const durable = `${prefix}:durable`;
    assert.equal(await plain.set(durable, 'kept'), 'OK');
    assert.equal(await plain.wait(1, 2_000), 1, 'the replica acknowledged the write');

    const workerErrorsBefore = workerErrors.length;
    const killEpoch = Date.now();
    const old = await topo.killPrimary();
    const killedAt = performance.now();
    assert.equal(old.port, topo.dataNodes[0]!.port);

    const jobId = `after-failover-${hex}`;
    const completed = completionOf(worker, jobId, 40_000, () => workerErrors);
    const [failover, plainWrite, cappedWrite, added] = await Promise.all([
      topo.waitForFailover(30_000),
      firstSuccess('write through the ioredis-defaults client', killedAt, 30_000, () => plain.set(`${prefix}:probe`, 'plain'), 10_000),
      firstSuccess('write through the capped-retry client', killedAt, 30_000, () => capped.set(`${prefix}:probe2`, 'capped'), 10_000),
      firstSuccess('queue.add after the kill', killedAt, 30_000, () => queue!.add('probe', { n: 50 }, { jobId })),
    ]);
    const done = await completed;
    const processedMs = Math.round(done.at - killedAt);

    assert.equal(failover.promoted.port, topo.dataNodes[1]!.port, 'the only replica was promoted');
    assert.equal((await topo.primary()).port, failover.promoted.port);
    for (const c of [plain, capped]) {
      assert.equal(await servingPort(c), failover.promoted.port, 'the client followed the sentinels to the new primary');
      assert.equal(await role(c), 'master');
    }
    assert.equal(await plain.get(`${prefix}:probe`), 'plain');
    assert.equal(await capped.get(`${prefix}:probe2`), 'capped');
    assert.equal(await plain.get(durable), 'kept', 'a replicated write survived the failover');
    assert.deepEqual(done.job.returnvalue, { doubled: 100 });
    assert.ok((done.job.processedOn ?? 0) >= killEpoch, 'processed after the kill');

    const figures = {
      failoverMs: failover.ms,
      allSentinelsAgreeMs: failover.allSentinelsMs,
      firstWriteMsIoredisDefaults: plainWrite.ms,
      firstWriteMsCappedRetry: cappedWrite.ms,
      failedWriteAttempts: { defaults: plainWrite.errors.length, capped: cappedWrite.errors.length },
      bullAddMs: added.ms,
      failedAddAttempts: added.errors.length,
      bullProcessedMs: processedMs,
      addErrors: unique(added.errors),
      workerErrorsDuringFailover: unique(workerErrors.slice(workerErrorsBefore)),
      clientErrorKinds: Object.fromEntries([...clientErrors].map(([k, v]) => [k, unique(v)])),
    };
    t.diagnostic(`sentinel failover figures ${JSON.stringify(figures)}`);
  },
);
