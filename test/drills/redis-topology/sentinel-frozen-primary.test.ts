/**
 * A frozen primary behind Sentinel (SIGSTOP: its sockets stay open, it answers nothing). The
 * sentinels promote the replica, but a client connected to the frozen node gets no close and
 * no error: it only moves on if something makes it. `failoverDetector: true` subscribes to the
 * sentinels' +switch-master and drops the old connection (its graceful close waits
 * `disconnectTimeout`, 2 s by default, on a peer that never answers: hence 200 ms here);
 * `socketTimeout` drops a socket that stopped answering. Asserted: clients and a BullMQ worker
 * configured that way recover. Reported, not asserted: ioredis defaults in the same window.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { startRedisSentinel, type RedisSentinelHandle } from '../../support/redis-topology';
import { bounded, completionOf, firstSuccess, observe, unique } from '../../redis-topology/helpers';

const hex = randomBytes(6).toString('hex');
const prefix = `cwtest-${hex}`;
const OBSERVE_MS = 15_000;

const cappedRetry = (times: number): number => Math.min(100 * times, 500);
/** Follows +switch-master; the short disconnectTimeout matters because the old peer never answers the FIN. */
const DETECTOR: RedisOptions = { failoverDetector: true, disconnectTimeout: 200, retryStrategy: cappedRetry };

let topo: RedisSentinelHandle;
const clients: Redis[] = [];
const closers: Array<() => Promise<unknown>> = [];

function sentinelClient(extra: RedisOptions = {}): Redis {
  const r = new Redis({ sentinels: topo.sentinels, name: topo.name, ...extra });
  r.on('error', () => undefined);
  clients.push(r);
  return r;
}

async function bullPair(name: string, workerOptions: RedisOptions, errors: string[]): Promise<{ queue: Queue; worker: Worker }> {
  const queue = new Queue(name, { connection: sentinelClient({ ...DETECTOR, enableOfflineQueue: false }), prefix });
  queue.on('error', () => undefined);
  const worker = new Worker(name, async (job: Job<{ n: number }>) => ({ doubled: job.data.n * 2 }), {
    connection: sentinelClient(workerOptions),
    prefix,
  });
  worker.on('error', (err) => errors.push(err.message));
  closers.push(
    () => worker.close(true),
    () => queue.obliterate({ force: true }).catch(() => undefined),
    () => queue.close(),
  );
  await bounded(Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]), 10_000, `${name} ready`);
  const first = completionOf(worker, `first-${hex}`, 15_000, () => errors);
  await queue.add('probe', { n: 1 }, { jobId: `first-${hex}` });
  await first;
  return { queue, worker };
}

before(
  async () => {
    topo = await startRedisSentinel();
  },
  { timeout: 60_000 },
);

after(async () => {
  try {
    await bounded(
      (async () => {
        for (const close of closers) await close();
      })(),
      15_000,
      'cleanup',
    ).catch(() => undefined);
  } finally {
    for (const c of clients) c.disconnect();
    await topo?.stop();
  }
});

test(
  'a frozen primary: clients with failoverDetector or socketTimeout, and a BullMQ worker with failoverDetector, carry on',
  { timeout: 60_000 },
  async (t) => {
    const detector = sentinelClient({ ...DETECTOR, maxRetriesPerRequest: null });
    const socketTimeout = sentinelClient({ socketTimeout: 2000, retryStrategy: cappedRetry });
    const defaults = sentinelClient();
    for (const c of [detector, socketTimeout, defaults]) assert.equal(await c.set(`${prefix}:k`, 'before'), 'OK');
    const workerErrors: string[] = [];
    const tunedBull = await bullPair('frozen-detector', { ...DETECTOR, maxRetriesPerRequest: null }, workerErrors);
    const defaultErrors: string[] = [];
    const defaultBull = await bullPair('frozen-defaults', { maxRetriesPerRequest: null }, defaultErrors);

    const freezeEpoch = Date.now();
    const old = await topo.killPrimary('SIGSTOP');
    const frozenAt = performance.now();

    const tunedJob = `after-${hex}`;
    const tunedDone = completionOf(tunedBull.worker, tunedJob, 40_000, () => workerErrors);
    const defaultJob = `after-defaults-${hex}`;
    const defaultDone = completionOf(defaultBull.worker, defaultJob, OBSERVE_MS).then(
      (d) => `processed after ${Math.round(d.at - frozenAt)} ms`,
      (err: Error) => `not processed: ${err.message}`,
    );
    const defaultsWrite = observe('write with ioredis defaults', frozenAt, OBSERVE_MS, () => defaults.set(`${prefix}:k`, 'defaults'));

    const [failover, detectorWrite, socketTimeoutWrite, added] = await Promise.all([
      topo.waitForFailover(30_000),
      firstSuccess('write with failoverDetector', frozenAt, 30_000, () => detector.set(`${prefix}:k1`, 'detector'), 3_000),
      firstSuccess('write with socketTimeout', frozenAt, 30_000, () => socketTimeout.set(`${prefix}:k2`, 'socket'), 3_000),
      firstSuccess(
        'queue.add after the freeze',
        frozenAt,
        30_000,
        () => tunedBull.queue.add('probe', { n: 50 }, { jobId: tunedJob }),
        3_000,
      ),
      firstSuccess(
        'queue.add (defaults worker) after the freeze',
        frozenAt,
        30_000,
        () => defaultBull.queue.add('probe', { n: 7 }, { jobId: defaultJob }),
        3_000,
      ),
    ]);
    const done = await tunedDone;

    assert.notEqual(failover.promoted.port, old.port);
    assert.equal(await detector.get(`${prefix}:k1`), 'detector');
    assert.equal(await socketTimeout.get(`${prefix}:k2`), 'socket');
    for (const c of [detector, socketTimeout]) {
      assert.match(
        String(await c.info('server')),
        new RegExp(`^tcp_port:${failover.promoted.port}\\r?$`, 'm'),
        'the client is on the promoted node',
      );
    }
    assert.deepEqual(done.job.returnvalue, { doubled: 100 });
    assert.ok((done.job.processedOn ?? 0) >= freezeEpoch, 'processed after the freeze');

    const figures = {
      failoverMs: failover.ms,
      failoverDetectorFirstWriteMs: detectorWrite.ms,
      socketTimeoutFirstWriteMs: socketTimeoutWrite.ms,
      bullAddMs: added.ms,
      bullProcessedMs: Math.round(done.at - frozenAt),
      defaultsClient: await defaultsWrite,
      defaultsWorker: await defaultDone,
      defaultsWorkerErrors: unique(defaultErrors),
    };
    t.diagnostic(`sentinel frozen-primary figures ${JSON.stringify(figures)}`);
  },
);
