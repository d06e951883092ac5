/**
 * A real Redis Cluster (3 primaries + 3 replicas, started by this file from redis-server and
 * redis-cli on PATH): ioredis `Cluster` across slots, hash tags vs CROSSSLOT as the engine
 * enforces it, a BullMQ queue on a `{hash-tag}` prefix, and a kill -9 of the primary that owns
 * the queue's slot: failover time, first successful write through the same client, and the same
 * worker processing a job added after the kill. Figures are printed as test diagnostics.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Queue, Worker, type Job } from 'bullmq';
import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { startRedisCluster, type RedisClusterHandle } from '../support/redis-topology';
import { bounded, completionOf, firstSuccess, unique } from './helpers';

const hex = randomBytes(6).toString('hex');
const prefix = `cwtest-${hex}`;
/** The BullMQ prefix: one hash tag, so every key of the queue lands in one slot. */
const bullPrefix = `{${prefix}}`;
const netTag = `{${prefix}:net}`;
const QUEUE = 'cluster-probe';

let topo: RedisClusterHandle;
const clients: Array<Cluster | Redis> = [];
let queue: Queue | undefined;
let worker: Worker | undefined;
const clusterErrors: string[] = [];
const workerErrors: string[] = [];

/**
 * The worker's connection. BullMQ throws unless `maxRetriesPerRequest` is null, and for a
 * Cluster it reads that from `redisOptions` (RedisConnection: `opts = client.options.redisOptions`).
 */
const WORKER_CLUSTER_OPTIONS: ClusterOptions = { redisOptions: { maxRetriesPerRequest: null } };

function cluster(options: ClusterOptions = {}): Cluster {
  const c = new Cluster(topo.startupNodes, options);
  c.on('error', (err: Error) => clusterErrors.push(err.message));
  c.on('node error', (err: Error) => clusterErrors.push(`node: ${err.message}`));
  clients.push(c);
  return c;
}

function direct(port: number): Redis {
  const r = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined);
  clients.push(r);
  return r;
}

/** Keys holding our prefix on one node (SCAN, never KEYS/FLUSH). */
async function keysOn(node: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

before(
  async () => {
    topo = await startRedisCluster();
    const t = topo.timings;
    console.log(
      `# cluster up: spawn ${Math.round(t.spawnMs)} ms, redis-cli --cluster create ${Math.round(t.createMs)} ms, settle ${Math.round(t.settleMs)} ms, total ${Math.round(t.totalMs)} ms`,
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
        for (const p of await topo.primaries()) {
          const node = direct(p.port);
          for (const key of await keysOn(node, `*${prefix}*`)) await node.unlink(key);
        }
      })(),
      15_000,
      'cleanup',
    );
  } finally {
    for (const c of clients) c.disconnect();
    await topo?.stop();
  }
});

test('the harness built 3 primaries covering all 16384 slots, each with one attached replica', { timeout: 20_000 }, async () => {
  const view = await topo.topology();
  const primaries = view.filter((n) => n.isPrimary);
  assert.equal(view.length, 6);
  assert.equal(primaries.length, 3);
  assert.equal(
    primaries.reduce((sum, p) => sum + p.slots.reduce((s, [a, b]) => s + b - a + 1, 0), 0),
    16384,
  );
  for (const p of primaries) assert.equal(view.filter((n) => n.masterId === p.id).length, 1, `replicas of ${p.port}`);
  assert.equal((await topo.primaries()).length, 3);
});

test('ioredis Cluster writes and reads keys spread over different slots and primaries', { timeout: 20_000 }, async () => {
  const c = cluster();
  const keys = Array.from({ length: 12 }, (_, i) => `${prefix}:spread:${i}`);
  for (const [i, key] of keys.entries()) assert.equal(await c.set(key, `v${i}`), 'OK');
  for (const [i, key] of keys.entries()) assert.equal(await c.get(key), `v${i}`);
  const slots = new Set(await Promise.all(keys.map((k) => topo.keySlot(k))));
  const owners = await Promise.all(keys.map((k) => topo.primaryForKey(k)));
  assert.ok(slots.size >= 2, `keys fell in ${slots.size} slot(s)`);
  assert.ok(new Set(owners.map((o) => o.port)).size >= 2, 'keys fell on a single primary');
  // Each key really lives on the primary the engine names, not somewhere else.
  for (const [i, key] of keys.entries()) assert.equal(await direct(owners[i]!.port).get(key), `v${i}`, key);
});

test('MULTI over one hash tag works; two tags give CROSSSLOT from the engine', { timeout: 20_000 }, async () => {
  const c = cluster();
  const a = `${netTag}:head`;
  const b = `${netTag}:count`;
  assert.equal(await topo.keySlot(a), await topo.keySlot(b));
  assert.deepEqual(await c.multi().set(a, '1').incr(b).exec(), [
    [null, 'OK'],
    [null, 1],
  ]);

  // Find a second tag in another slot but on the same primary, so the node cannot answer MOVED
  // instead: the refusal below is the engine's cross-slot rule and nothing else.
  const owner = await topo.primaryForKey(a);
  let other: string | undefined;
  for (let i = 0; i < 500 && !other; i++) {
    const candidate = `{${prefix}:net${i}}:head`;
    if ((await topo.keySlot(candidate)) !== (await topo.keySlot(a)) && (await topo.primaryForKey(candidate)).port === owner.port)
      other = candidate;
  }
  assert.ok(other, 'no second tag on the same primary in 500 tries');
  const node = direct(owner.port);
  await assert.rejects(node.multi().set(`${netTag}:tx`, 'x').set(other, 'y').exec(), /CROSSSLOT/);
  assert.equal(await node.exists(`${netTag}:tx`), 0, 'the refused transaction wrote nothing');
  assert.equal(await node.exists(other), 0, 'the refused transaction wrote nothing');
  // The same rule for a single multi-key command and for a script, through the Cluster client.
  await assert.rejects(c.mset(`${netTag}:m`, '1', other, '2'), /CROSSSLOT/);
  await assert.rejects(c.eval('return 1', 2, `${netTag}:e`, other), /CROSSSLOT/);
  // ioredis refuses a cross-slot MULTI/pipeline itself, before anything is sent.
  await assert.rejects(c.multi().set(`${netTag}:p`, '1').set(other, '2').exec(), /same slot/);
});

test('BullMQ refuses a Cluster worker connection whose maxRetriesPerRequest is not null', { timeout: 10_000 }, async () => {
  const c = cluster({ lazyConnect: true, redisOptions: { maxRetriesPerRequest: 20 } });
  assert.throws(
    () => new Worker(QUEUE, async () => undefined, { connection: c, prefix: bullPrefix, autorun: false }),
    /maxRetriesPerRequest must be null/,
  );
});

test('a BullMQ Queue and Worker on Cluster connections process a job; every queue key sits in one slot', { timeout: 30_000 }, async () => {
  queue = new Queue(QUEUE, { connection: cluster(), prefix: bullPrefix });
  queue.on('error', () => undefined);
  worker = new Worker(QUEUE, async (job: Job<{ n: number }>) => ({ doubled: job.data.n * 2 }), {
    connection: cluster(WORKER_CLUSTER_OPTIONS),
    prefix: bullPrefix,
  });
  worker.on('error', (err) => workerErrors.push(err.message));
  await bounded(worker.waitUntilReady(), 10_000, 'worker ready');
  const jobId = `first-${hex}`;
  const completed = completionOf(worker, jobId, 15_000, () => workerErrors);
  await queue.add('probe', { n: 21 }, { jobId });
  const { job } = await completed;
  assert.deepEqual(job.returnvalue, { doubled: 42 });

  const owner = await topo.primaryForKey(`${bullPrefix}:${QUEUE}:wait`);
  const onOwner = await keysOn(direct(owner.port), `${bullPrefix}*`);
  assert.ok(
    onOwner.some((k) => k.startsWith(`${bullPrefix}:${QUEUE}:`)),
    `no queue keys on the owner: ${onOwner.join(', ')}`,
  );
  const slots = new Set(await Promise.all(onOwner.map((k) => topo.keySlot(k))));
  assert.equal(slots.size, 1, `queue keys in ${slots.size} slots`);
  for (const p of await topo.primaries()) {
    if (p.port !== owner.port) assert.deepEqual(await keysOn(direct(p.port), `${bullPrefix}*`), [], `queue keys on ${p.port}`);
  }
});

test(
  'kill -9 of the primary owning the queue slot: a replica takes over, the same client writes again, the worker processes a new job',
  { timeout: 60_000 },
  async (t) => {
    assert.ok(queue && worker, 'needs the queue and worker of the previous test');
    const probe = `${bullPrefix}:probe`;
    const durable = `${bullPrefix}:durable`;
    const owner = await topo.primaryForKey(probe);
    assert.equal(owner.port, (await topo.primaryForKey(`${bullPrefix}:${QUEUE}:wait`)).port, 'probe and queue share a slot');

    const c = cluster();
    assert.equal(await c.set(probe, 'before'), 'OK');
    // Replicated before the kill (WAIT on the connection that wrote), so losing it would be a real loss.
    const ownerConn = direct(owner.port);
    await ownerConn.set(durable, 'kept');
    assert.equal(await ownerConn.wait(1, 2_000), 1, 'the replica acknowledged the write');
    ownerConn.disconnect();

    const workerErrorsBefore = workerErrors.length;
    const clusterErrorsBefore = clusterErrors.length;
    const killEpoch = Date.now();
    await topo.kill(owner.port);
    const killedAt = performance.now();

    const jobId = `after-failover-${hex}`;
    const completed = completionOf(worker, jobId, 40_000, () => workerErrors);
    const [failover, write, added] = await Promise.all([
      topo.waitForFailover(owner.port, 30_000),
      firstSuccess('write through the same Cluster client', killedAt, 30_000, () => c.set(probe, 'after')),
      firstSuccess('queue.add after the kill', killedAt, 30_000, () => queue!.add('probe', { n: 50 }, { jobId })),
    ]);
    const done = await completed;
    const processedMs = done.at - killedAt;

    assert.notEqual(failover.promoted.port, owner.port);
    assert.equal((await topo.primaryForKey(probe)).port, failover.promoted.port, 'the promoted replica serves the slot');
    assert.equal(await c.get(probe), 'after');
    assert.equal(await c.get(durable), 'kept', 'a replicated write survived the failover');
    assert.equal(await direct(failover.promoted.port).get(probe), 'after');
    assert.deepEqual(done.job.returnvalue, { doubled: 100 });
    assert.ok((done.job.processedOn ?? 0) >= killEpoch, 'processed after the kill');

    const figures = {
      failoverMs: failover.ms,
      firstWriteMs: write.ms,
      failedWriteAttempts: write.errors.length,
      bullAddMs: added.ms,
      failedAddAttempts: added.errors.length,
      bullProcessedMs: Math.round(processedMs),
      workerErrorsDuringFailover: unique(workerErrors.slice(workerErrorsBefore)),
      writeErrors: unique(write.errors),
      clusterClientErrors: unique(clusterErrors.slice(clusterErrorsBefore)),
    };
    t.diagnostic(`cluster failover figures ${JSON.stringify(figures)}`);
  },
);
