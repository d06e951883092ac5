import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type IncidentEvent, keyspace, QUEUES } from '../../src/model';
import { startAnvil, type Anvil } from '../support/anvil';
import { deleteKeys, REDIS_URL } from '../support/pipeline';
import { spawnCli, writeTempConfig, type CliProcess } from '../support/spawn-cli';

/**
 * Two worker processes and one scheduler process on one Redis: one halt gives exactly one
 * incident and one "opened" message, even when both workers poll the network at once.
 */
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
let anvil: Anvil;
let procs: CliProcess[] = [];
let redis: Redis;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  redis = new Redis(REDIS_URL);
  const config = writeTempConfig(`
redis: { url: "${REDIS_URL}", prefix: ${prefix} }
worker: { concurrency: 4 }
networks:
  - name: twin
    chainId: 31337
    blockTime: 1s
    endpoints:
      - { label: rpc-a, url: "${anvil.url}" }
    thresholds: { pollInterval: 250ms, requestTimeout: 1s, stall: 2500ms, resolveAfter: 2s, safeLagBlocks: null }
`);
  const env = { LOG_LEVEL: 'warn', REDIS_URL };
  procs = [
    spawnCli(['start', '--role', 'worker', '--config', config], env),
    spawnCli(['start', '--role', 'worker', '--config', config], env),
    spawnCli(['start', '--role', 'scheduler', '--config', config], env),
  ];
});

after(async () => {
  const codes = await Promise.all(procs.map((p) => p.stop()));
  assert.deepEqual(codes, [0, 0, 0], 'every process shuts down cleanly on SIGTERM');
  redis?.disconnect();
  await deleteKeys(prefix);
  await anvil?.stop();
});

test('two workers open exactly one incident for one halt', async () => {
  const keys = keyspace(prefix);
  // Let both workers poll for a while, then halt.
  await new Promise((r) => setTimeout(r, 3000));
  await anvil.halt();
  // Extra poll jobs make the two workers evaluate the network at the same moments.
  const conn = redis.duplicate();
  const queue = new Queue(QUEUES.chainPoll, { connection: conn, prefix: keys.bullPrefix });
  for (let i = 0; i < 30; i++) {
    await queue.addBulk([
      { name: 'poll', data: { network: 'twin' } },
      { name: 'poll', data: { network: 'twin' } },
    ]);
    await new Promise((r) => setTimeout(r, 150));
  }
  await queue.close();
  conn.disconnect();
  const [w1, w2] = procs;
  const deadline = Date.now() + 15_000;
  while (!/Block production halted/.test(w1!.stdout() + w2!.stdout())) {
    if (Date.now() > deadline) throw new Error(`no incident printed; stderr: ${w1!.stderr().slice(-1000)} ${w2!.stderr().slice(-1000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await anvil.resume(1);
  await new Promise((r) => setTimeout(r, 4000));

  const ids = await redis.zrange(keys.networkIncidents('twin'), '0', '-1');
  assert.equal(ids.length, 1, `one incident, got ${ids.join(', ')}`);
  const timeline = (await redis.lrange(keys.timeline(ids[0]!), 0, -1)).map((r) => JSON.parse(r) as IncidentEvent);
  assert.equal(timeline.filter((e) => e.type === 'opened').length, 1);
  assert.deepEqual(
    timeline.map((e) => e.seq),
    timeline.map((_, i) => i + 1),
    'one gap-free timeline',
  );
  const printedRoots = (w1!.stdout() + w2!.stdout()).match(/┏━/g) ?? [];
  assert.equal(printedRoots.length, 1, 'the opening was printed once across both workers');
  const workersThatPolled = [w1!, w2!].filter((w) => !/error/i.test(w.stderr())).length;
  assert.equal(workersThatPolled, 2, 'neither worker logged an error');
});
