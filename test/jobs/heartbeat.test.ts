/**
 * The heartbeat processor: real BullMQ workers on the real Redis pinging the real receiver
 * (test/support/heartbeat-receiver.ts) on a Job Scheduler (the requests alone: heartbeat-request.test.ts).
 * The verdict is the processor's injected dependency here; test/integration/heartbeat.test.ts
 * judges it from a running pipeline.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createHeartbeatProcessor, pingTimeoutMs, type HeartbeatResult, type HeartbeatVerdict } from '../../jobs/heartbeat';
import type { HeartbeatConfig } from '../../src/config/heartbeat';
import { keyspace, QUEUES } from '../../src/model';
import { syncHeartbeatScheduler } from '../../src/queue/schedulers';
import { startHeartbeatReceiver, type HeartbeatReceiver } from '../support/heartbeat-receiver';
import { REDIS_URL } from '../support/pipeline';
import { testRedis, type TestRedis } from '../support/redis';

const UUID = '0b6c9f3e-7a41-4d2e-8f10-3c5d7e9a1b2c';
let t: TestRedis;
let receiver: HeartbeatReceiver;
let queue: Queue;
const lines: string[] = [];
/** Every line of the whole file, never reset: the last test reads it. */
const everyLine: string[] = [];
const log = pino({ level: 'debug' }, { write: (s: string) => void (lines.push(s), everyLine.push(s)) });
let verdict: HeartbeatVerdict = { kind: 'working' };
let firstTickAfterMs: number | undefined;

before(async () => {
  t = testRedis();
  receiver = await startHeartbeatReceiver();
  queue = new Queue(QUEUES.heartbeat, { connection: t.redis.duplicate(), prefix: keyspace(t.prefix).bullPrefix });
  queue.on('error', () => undefined);
});

after(async () => {
  await queue.close();
  await receiver.close();
  await t.cleanup();
});

/** Workers on the heartbeat queue, each with the processor as start-up builds it; `done` sees every result. */
async function run(hb: HeartbeatConfig, workers: number, body: (done: { job: Job; result: HeartbeatResult }[]) => Promise<void>) {
  const done: { job: Job; result: HeartbeatResult }[] = [];
  const keys = keyspace(t.prefix);
  const ws = Array.from({ length: workers }, (_, i) => {
    const processor = createHeartbeatProcessor({ heartbeat: hb, health: async () => verdict, redis: t.redis, keys, queue, log });
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const w = new Worker(QUEUES.heartbeat, processor, { connection, prefix: keys.bullPrefix, name: `w${i}` });
    w.on('error', () => undefined);
    w.on('completed', (job, result: HeartbeatResult) => done.push({ job, result }));
    return w;
  });
  try {
    await t.redis.del(keys.heartbeat); // each test starts with no record: no state leaks between them
    const upsertedAt = Date.now();
    await syncHeartbeatScheduler(queue, hb);
    firstTickAfterMs = await until(
      'the first tick',
      hb.everyMs + 3000,
      () => done[0] && Date.now() - upsertedAt,
      (v) => v !== undefined,
    );
    await body(done);
  } finally {
    assert.equal(await syncHeartbeatScheduler(queue, undefined), 'removed');
    await Promise.all(ws.map(async (w) => (await w.close(), (w.opts.connection as Redis).disconnect())));
    await queue.obliterate({ force: true });
    receiver.reset();
  }
}

async function until<T>(what: string, timeoutMs: number, read: () => T, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ticks = (done: { job: Job }[]) => done.filter((d) => d.job.name === 'tick');
const logged = (msg: string) => lines.filter((l) => (JSON.parse(l) as { msg: string }).msg === msg);

test('two workers, one ping per tick, on time; removing the scheduler stops them', async (ctx) => {
  verdict = { kind: 'working' };
  const hb = { url: `${receiver.url}/ping/${UUID}`, everyMs: 800, kind: 'healthchecks' } as const;
  await run(hb, 2, async (done) => {
    await until(
      '6 ticks',
      10_000,
      () => ticks(done).length,
      (n) => n >= 6,
    );
    const pings = receiver.pings;
    assert.equal(pings.length, done.length, `one ping per job (${pings.length} pings, ${done.length} jobs)`);
    assert.ok(
      pings.every((p) => p.kind === 'success' && p.provider === 'healthchecks' && p.token === UUID),
      JSON.stringify(pings[0]),
    );
    // The first tick comes one interval after the upsert (src/queue/schedulers.ts), then one per 800 ms.
    const gaps = pings.slice(1).map((p, i) => p.at - pings[i]!.at);
    // No tick missed; a gap may be short after a tick that was picked up late, so extra pings are counted below.
    assert.ok(
      gaps.every((g) => g < 1200),
      `gaps ${gaps.join(', ')} ms`,
    );
    assert.ok(firstTickAfterMs! >= 700, `the first tick came ${firstTickAfterMs} ms after the upsert, not at once`);
    const span = pings.at(-1)!.at - pings[0]!.at;
    assert.ok(pings.length - 1 <= Math.round(span / 800), `${pings.length} pings in ${span} ms: two workers, still one per tick`);
    ctx.diagnostic(
      `two workers: ${pings.length} pings in ${span} ms, gaps ${gaps.join(', ')} ms, processed by ${new Set(done.map((d) => d.job.processedBy)).size} workers`,
    );
  });
  const before = receiver.pings.length;
  await new Promise((r) => setTimeout(r, 1800));
  assert.equal(receiver.pings.length, before, 'no ping once the scheduler is gone');
  assert.equal(logged('heartbeat: chainwatch is working, pinging').length, 1, 'the verdict is logged once, not per tick');
});

test('not working: no ping; blind: the failure signal with the reason; working again: pings, each change logged once', async () => {
  lines.length = 0;
  const hb = { url: `${receiver.url}/ping/${UUID}`, everyMs: 600, kind: 'healthchecks' } as const;
  verdict = { kind: 'not-working', reason: 'network megaeth not observed for 95 s' };
  await run(hb, 1, async (done) => {
    await until(
      '3 ticks',
      5000,
      () => done.length,
      (n) => n >= 3,
    );
    assert.deepEqual(
      done.map((d) => d.result.signal),
      done.map(() => null),
    );
    assert.equal(receiver.pings.length, 0, 'the switch fires by silence');
    const h = await t.redis.hgetall(keyspace(t.prefix).heartbeat);
    assert.deepEqual([h.verdict, h.verdictReason], ['not-working', 'network megaeth not observed for 95 s']);

    verdict = { kind: 'blind', since: Date.now(), reason: 'dns \u001b[2J down for https://rpc.example.org/KEY\nall' };
    const fails = await until(
      '2 fail pings',
      5000,
      () => receiver.pings,
      (p) => p.length >= 2,
    );
    assert.ok(
      fails.every((p) => p.kind === 'fail' && p.path === `/ping/${UUID}/fail`),
      JSON.stringify(fails),
    );
    assert.match(fails[0]!.body, /^chainwatch is blind since \S+Z: dns \[2J down for <url> all$/);

    verdict = { kind: 'working' };
    await until(
      'a success ping',
      5000,
      () => receiver.pings.filter((p) => p.kind === 'success').length,
      (n) => n >= 2,
    );
  });
  assert.equal(logged('heartbeat: chainwatch is not working, pings withheld').length, 1);
  assert.equal(logged('heartbeat: chainwatch is blind, sending the failure signal').length, 1);
  assert.equal(logged('heartbeat: chainwatch is working, pinging').length, 1);
});

test('a receiver answering 500: logged once, one sooner retry per tick, then "answered again" once', async () => {
  lines.length = 0;
  verdict = { kind: 'working' };
  const hb = { url: `${receiver.url}/api/push/kumaTok?status=up&msg=OK&ping=`, everyMs: 1200, kind: 'uptime-kuma' } as const;
  receiver.setFailure(500);
  await run(hb, 1, async (done) => {
    await until(
      '3 failed ticks and their retries',
      8000,
      () => done.length,
      (n) => n >= 6,
    );
    const t3 = ticks(done).length;
    const retries = done.filter((d) => d.job.name === 'retry');
    assert.ok(retries.length >= t3 - 1 && retries.length <= t3, `${t3} ticks, ${retries.length} retries`);
    assert.equal(receiver.pings.length, done.length, 'one request per job, never more');
    assert.ok(receiver.pings.every((p) => p.answered === 500 && p.query.status === 'up' && p.msg === 'OK'));
    const h = await t.redis.hgetall(keyspace(t.prefix).heartbeat);
    assert.match(h.lastFailure ?? '', /^HTTP 500: internal server error$/);
    receiver.setFailure(null);
    await until(
      'an accepted ping',
      5000,
      () => receiver.accepted.length,
      (n) => n >= 1,
    );
    await until(
      'the record of it',
      2000,
      () => done.at(-1)?.result.ok,
      (ok) => ok === true,
    );
  });
  assert.equal(logged('heartbeat ping failed; retried at the next ticks, logged again when it answers').length, 1);
  assert.equal(logged('heartbeat ping answered again').length, 1);
  const h = await t.redis.hgetall(keyspace(t.prefix).heartbeat);
  assert.equal(h.failingSince, undefined);
  assert.ok(Number(h.lastSuccessAt) > Number(h.lastFailureAt), JSON.stringify(h));
});

test('a hanging receiver: each ping is given up at its timeout, one at a time, logged once', async () => {
  lines.length = 0;
  verdict = { kind: 'working' };
  const hb = { url: `${receiver.url}/api/v1/heartbeat/bsTok`, everyMs: 1500, kind: 'betterstack' } as const;
  receiver.setFailure('hang');
  const timeout = pingTimeoutMs(hb.everyMs);
  await run(hb, 1, async (done) => {
    await until(
      '3 ticks',
      8000,
      () => ticks(done).length,
      (n) => n >= 3,
    );
    assert.ok(
      done.every((d) => d.result.ok === false && d.result.ms! >= timeout - 20 && d.result.ms! < timeout + 300),
      `ms ${done.map((d) => d.result.ms).join(', ')} (timeout ${timeout})`,
    );
    const pings = receiver.pings;
    assert.equal(pings.length, done.length, 'no request beyond one per job');
    const gaps = pings.slice(1).map((p, i) => p.at - pings[i]!.at);
    assert.ok(
      gaps.every((g) => g >= timeout - 50),
      `each request ended before the next began: gaps ${gaps.join(', ')} ms`,
    );
  });
  const failed = logged('heartbeat ping failed; retried at the next ticks, logged again when it answers');
  assert.equal(failed.length, 1);
  assert.match(failed[0]!, new RegExp(`"reason":"no answer within ${timeout} ms"`));
});

test('one ping in flight per process: a tick that finds the previous ping still out is skipped', async () => {
  receiver.reset();
  receiver.setFailure('hang');
  const hb = { url: `${receiver.url}/ping/${UUID}`, everyMs: 900, kind: 'healthchecks' } as const;
  const keys = keyspace(t.prefix);
  const processor = createHeartbeatProcessor({
    heartbeat: hb,
    health: async () => ({ kind: 'working' }),
    redis: t.redis,
    keys,
    queue,
    log,
  });
  const job = (timestamp: number) => ({ name: 'retry', timestamp }) as Job;
  const [first, second] = await Promise.all([processor(job(1)), processor(job(2))]);
  assert.deepEqual([first.ok, second.skipped], [false, 'the previous ping is still in flight']);
  assert.equal(receiver.pings.length, 1);
  receiver.reset();
});

test('the URL and its key never appear in a log line', () => {
  assert.ok(everyLine.length >= 6, `${everyLine.length} lines captured`);
  const all = everyLine.join('\n');
  for (const secret of [UUID, 'kumaTok', 'bsTok', receiver.url]) assert.ok(!all.includes(secret), `${secret} in the log`);
});
