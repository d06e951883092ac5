/**
 * The worker watchdog (bullmq#3088) against the real Redis: a BullMQ Worker whose blocking
 * connection drops and does not become ready again while Redis answers (here: ioredis waits an
 * hour before reconnecting, as a client left broken by a failover would wait for ever) is
 * reported once, and the fresh worker made in its place takes the next job. While Redis is
 * away for every connection, nothing is recreated. BullMQ 6.7 reconnects a blocking client
 * that ended by itself, so ending it would not show the watchdog anything.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { watchWorker, type StuckWorker } from '../../src/queue/connections';
import { REDIS_URL, testRedis } from '../support/redis';

const t = testRedis();
const bullPrefix = `{${t.prefix}}`;
const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await t.cleanup();
});

function worker(name: string, processed: string[], stuck = false): Worker {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null, ...(stuck ? { retryStrategy: () => 3_600_000 } : {}) });
  connection.on('error', () => undefined);
  const w = new Worker(name, async (job) => void processed.push(String(job.id)), { connection, prefix: bullPrefix, drainDelay: 1 });
  w.on('error', () => undefined);
  closers.push(
    () => w.close(true),
    async () => connection.disconnect(),
  );
  return w;
}

/** Drops the worker's blocking connection on the server side (BullMQ names it `<prefix>:<base64 queue>`). */
async function dropBlockingConnection(queue: string): Promise<void> {
  const name = `${bullPrefix}:${Buffer.from(queue).toString('base64')}`;
  let mine: string[] = [];
  // Between two waits for a job the connection runs other commands: ask until it blocks again.
  await until(
    () => mine.length === 1,
    5000,
    () => `one blocking connection named ${name}, saw ${mine.length}`,
    async () => {
      const lines = String(await t.redis.client('LIST')).split('\n');
      mine = lines.filter((l) => l.includes(` name=${name} `) && / cmd=bzpopmin\b/.test(l));
    },
  );
  await t.redis.client('KILL', 'ID', /\bid=(\d+)/.exec(mine[0]!)![1]!);
}

async function until(cond: () => boolean, timeoutMs: number, what: () => string, probe?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await probe?.();
    if (cond()) return;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a worker whose connection never comes back is reported once; its replacement takes the next job', { timeout: 30_000 }, async () => {
  const name = 'watchdog';
  const queue = new Queue(name, { connection: t.redis, prefix: bullPrefix });
  closers.push(() => queue.close());
  const processed: string[] = [];
  const first = worker(name, processed, true);
  await first.waitUntilReady();
  const reports: StuckWorker[] = [];
  let current = first;
  watchWorker(first, {
    reference: t.redis,
    stuckAfterMs: 1000,
    checkEveryMs: 100,
    onStuck: (s) => {
      reports.push(s);
      void first.close(true);
      current = worker(name, processed);
    },
  });
  await queue.add('j', {}, { jobId: 'before' });
  await until(
    () => processed.includes('before'),
    10_000,
    () => `processed ${processed.join(',')}`,
  );

  await dropBlockingConnection(name);
  await until(
    () => reports.length > 0,
    10_000,
    () => 'no report',
  );
  assert.equal(reports.length, 1);
  assert.equal(reports[0]!.queue, name);
  assert.ok(reports[0]!.stuckForMs >= 1000, `reported after ${reports[0]!.stuckForMs} ms`);
  assert.ok(reports[0]!.statuses.includes('reconnecting'), `statuses ${reports[0]!.statuses.join(',')}`);
  assert.notEqual(current, first);

  await queue.add('j', {}, { jobId: 'after' });
  await until(
    () => processed.includes('after'),
    10_000,
    () => `processed ${processed.join(',')}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(reports.length, 1, 'reported once');
});

test('while Redis is away for every connection, a worker is not recreated', { timeout: 20_000 }, async () => {
  const processed: string[] = [];
  const w = worker('watchdog-outage', processed, true);
  await w.waitUntilReady();
  // The reference cannot reach Redis: from here it looks like an outage, not a stuck worker.
  const unreachable = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, retryStrategy: () => null });
  unreachable.on('error', () => undefined);
  await unreachable.connect().catch(() => undefined);
  closers.push(async () => unreachable.disconnect());
  const reports: StuckWorker[] = [];
  const stop = watchWorker(w, { reference: unreachable, stuckAfterMs: 300, checkEveryMs: 50, onStuck: (s) => reports.push(s) });
  await dropBlockingConnection('watchdog-outage');
  await new Promise((r) => setTimeout(r, 1500));
  stop();
  assert.notEqual(unreachable.status, 'ready');
  assert.deepEqual(reports, []);
});

/** Parks the worker's fetch loop for good with every connection `ready`, as the Cluster drill saw it. */
function hangFetchLoop(w: Worker): void {
  (w.getBackend() as unknown as { waitForJob: () => Promise<never> }).waitForJob = () => new Promise<never>(() => undefined);
}

test(
  'a worker whose connections are ready but that fetches no due job is reported; its replacement takes it',
  { timeout: 30_000 },
  async () => {
    const name = 'watchdog-idle';
    const queue = new Queue(name, { connection: t.redis, prefix: bullPrefix });
    closers.push(() => queue.close());
    const processed: string[] = [];
    const first = worker(name, processed);
    await first.waitUntilReady();
    const reports: StuckWorker[] = [];
    watchWorker(first, {
      reference: t.redis,
      queue,
      stuckAfterMs: 1000,
      checkEveryMs: 100,
      onStuck: (s) => {
        reports.push(s);
        void first.close(true);
        worker(name, processed);
      },
    });
    await queue.add('j', {}, { jobId: 'before' });
    await until(
      () => processed.includes('before'),
      10_000,
      () => `processed ${processed.join(',')}`,
    );
    hangFetchLoop(first);
    // The wait under way ends within drainDelay (1 s); the next one never does.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(reports.length, 0, 'idle with nothing due: not stuck');
    await queue.add('j', {}, { jobId: 'after' });
    await until(
      () => processed.includes('after'),
      10_000,
      () => `reports ${JSON.stringify(reports)}, processed ${processed.join(',')}`,
    );
    assert.equal(reports.length, 1);
    assert.match(reports[0]!.reason, /fetched no job for \d+ s with 1 waiting/);
  },
);

test('a worker busy with a long job is not recreated while jobs wait behind it', { timeout: 30_000 }, async () => {
  const name = 'watchdog-busy';
  const queue = new Queue(name, { connection: t.redis, prefix: bullPrefix });
  closers.push(() => queue.close());
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const w = new Worker(name, () => new Promise((r) => setTimeout(r, 2500)), { connection, prefix: bullPrefix, concurrency: 1 });
  closers.push(
    () => w.close(true),
    async () => connection.disconnect(),
  );
  await w.waitUntilReady();
  const reports: StuckWorker[] = [];
  const stop = watchWorker(w, { reference: t.redis, queue, stuckAfterMs: 500, checkEveryMs: 50, onStuck: (s) => reports.push(s) });
  await queue.addBulk([
    { name: 'j', data: {} },
    { name: 'j', data: {} },
  ]);
  await new Promise((r) => setTimeout(r, 2000));
  stop();
  assert.ok((await queue.getWaitingCount()) >= 1, 'a job waits behind the long one');
  assert.deepEqual(reports, []);
});
