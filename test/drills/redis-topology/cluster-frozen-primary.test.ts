/**
 * A frozen primary in a real Redis Cluster (SIGSTOP: the process keeps its sockets open and
 * answers nothing, as a hung VM or a network black hole does). kill -9 closes the sockets and
 * ioredis reacts at once; a freeze closes nothing, so a client only moves on if something
 * makes it: `slotsRefreshInterval` (ioredis 6 leaves it off) finds the promoted replica, and
 * `redisOptions.socketTimeout` drops a socket that stopped answering. Asserted: a client and a
 * BullMQ worker configured that way recover. Reported, not asserted: what a client and a worker
 * on ioredis defaults do in the same window.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Queue, Worker, type Job } from 'bullmq';
import { Cluster, type ClusterOptions } from 'ioredis';
import { startRedisCluster, type RedisClusterHandle } from '../../support/redis-topology';
import { bounded, completionOf, firstSuccess, observe, unique } from '../../redis-topology/helpers';

const hex = randomBytes(6).toString('hex');
const prefix = `cwtest-${hex}`;
const bullPrefix = `{${prefix}}`;
/** How long the defaults get to show whether they recover (reported only). */
const OBSERVE_MS = 15_000;

/** Finds a promoted replica within a second, and gives up on a node that stopped answering. */
const DATA_OPTIONS: ClusterOptions = { slotsRefreshInterval: 1000, redisOptions: { socketTimeout: 2000 } };
/**
 * The worker's: BullMQ requires maxRetriesPerRequest null. Its blocking connection (a duplicate
 * with the same redisOptions) waits up to drainDelay (5 s) for a job without receiving a byte,
 * so socketTimeout must stay above that or every idle wait would be cut.
 */
const WORKER_OPTIONS: ClusterOptions = { slotsRefreshInterval: 1000, redisOptions: { maxRetriesPerRequest: null, socketTimeout: 10_000 } };

let topo: RedisClusterHandle;
const clusters: Cluster[] = [];
const closers: Array<() => Promise<unknown>> = [];
const workerErrors: string[] = [];

function cluster(options: ClusterOptions = {}): Cluster {
  const c = new Cluster(topo.startupNodes, options);
  c.on('error', () => undefined);
  c.on('node error', () => undefined);
  clusters.push(c);
  return c;
}

async function bullPair(name: string, workerOptions: ClusterOptions, errors: string[]): Promise<{ queue: Queue; worker: Worker }> {
  const queue = new Queue(name, { connection: cluster(DATA_OPTIONS), prefix: bullPrefix });
  queue.on('error', () => undefined);
  const worker = new Worker(name, async (job: Job<{ n: number }>) => ({ doubled: job.data.n * 2 }), {
    connection: cluster(workerOptions),
    prefix: bullPrefix,
  });
  worker.on('error', (err) => errors.push(err.message));
  closers.push(
    () => worker.close(true),
    () => queue.obliterate({ force: true }).catch(() => undefined),
    () => queue.close(),
  );
  await bounded(worker.waitUntilReady(), 10_000, `${name} worker ready`);
  const first = completionOf(worker, `first-${hex}`, 15_000, () => errors);
  await queue.add('probe', { n: 1 }, { jobId: `first-${hex}` });
  await first;
  return { queue, worker };
}

before(
  async () => {
    topo = await startRedisCluster();
  },
  { timeout: 60_000 },
);

after(async () => {
  try {
    // BullMQ first; the frozen node itself is SIGKILLed with its topology.
    await bounded(
      (async () => {
        for (const close of closers) await close();
      })(),
      15_000,
      'cleanup',
    ).catch(() => undefined);
  } finally {
    for (const c of clusters) c.disconnect();
    await topo?.stop();
  }
});

test(
  'a frozen primary: with slotsRefreshInterval and socketTimeout the same client and a BullMQ worker carry on',
  { timeout: 60_000 },
  async (t) => {
    const probe = `${bullPrefix}:probe`;
    const tuned = cluster(DATA_OPTIONS);
    const defaults = cluster();
    assert.equal(await tuned.set(probe, 'before'), 'OK');
    assert.equal(await defaults.get(probe), 'before');
    const tunedBull = await bullPair('frozen-tuned', WORKER_OPTIONS, workerErrors);
    const defaultErrors: string[] = [];
    const defaultBull = await bullPair('frozen-defaults', { redisOptions: { maxRetriesPerRequest: null } }, defaultErrors);

    const owner = await topo.primaryForKey(probe);
    assert.equal(owner.port, (await topo.primaryForKey(`${bullPrefix}:frozen-tuned:wait`)).port, 'probe and queues share a slot');
    const freezeEpoch = Date.now();
    await topo.kill(owner.port, 'SIGSTOP');
    const frozenAt = performance.now();

    const tunedJob = `after-${hex}`;
    const tunedDone = completionOf(tunedBull.worker, tunedJob, 40_000, () => workerErrors);
    const defaultJob = `after-defaults-${hex}`;
    const defaultDone = completionOf(defaultBull.worker, defaultJob, OBSERVE_MS).then(
      (d) => `processed after ${Math.round(d.at - frozenAt)} ms`,
      (err: Error) => `not processed: ${err.message}`,
    );
    const defaultsWrite = observe('write with ioredis defaults', frozenAt, OBSERVE_MS, () => defaults.set(probe, 'defaults'));

    const [failover, write, added] = await Promise.all([
      topo.waitForFailover(owner.port, 30_000),
      firstSuccess('write through the tuned Cluster client', frozenAt, 30_000, () => tuned.set(probe, 'after'), 3_000),
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

    assert.notEqual(failover.promoted.port, owner.port);
    assert.equal((await topo.primaryForKey(probe)).port, failover.promoted.port);
    assert.equal(await tuned.get(probe), 'after');
    assert.deepEqual(done.job.returnvalue, { doubled: 100 });
    assert.ok((done.job.processedOn ?? 0) >= freezeEpoch, 'processed after the freeze');

    const figures = {
      failoverMs: failover.ms,
      tunedFirstWriteMs: write.ms,
      bullAddMs: added.ms,
      bullProcessedMs: Math.round(done.at - frozenAt),
      tunedWriteErrors: unique(write.errors),
      defaultsClient: await defaultsWrite,
      defaultsWorker: await defaultDone,
      defaultsWorkerErrors: unique(defaultErrors),
    };
    t.diagnostic(`cluster frozen-primary figures ${JSON.stringify(figures)}`);
  },
);
