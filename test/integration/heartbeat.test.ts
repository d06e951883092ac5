/**
 * The heartbeat in a running pipeline (scheduler + workers + publish, in process) against real
 * anvil, Redis and the heartbeat receiver: pings while healthy, none while a network goes
 * unobserved (its poll scheduler removed) or a publish queue is stuck (paused, with an old job),
 * the failure signal while blind, and the last success on /metrics. The URL is in no log line.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { startChainwatch, type Running } from '../../src/app/start';
import type { AppConfig } from '../../src/config';
import { keyspace, pollSchedulerId, QUEUES } from '../../src/model';
import { syncPollSchedulers } from '../../src/queue/schedulers';
import { startAnvil, type Anvil } from '../support/anvil';
import { startHeartbeatReceiver, type HeartbeatReceiver } from '../support/heartbeat-receiver';
import { testNetwork } from '../support/network';
import { CapturePublisher, deleteKeys, REDIS_URL } from '../support/pipeline';

const UUID = randomUUID();
const prefix = `cwtest-${randomUUID().slice(0, 12)}`;
const keys = keyspace(prefix);
const EVERY_MS = 1000; // below the config's 10 s floor: this config is built in code, not parsed
let anvil: Anvil;
let receiver: HeartbeatReceiver;
let running: Running;
let redis: Redis;
let pollQueue: Queue;
let publishQueue: Queue;
let offsetMs = 0;
const lines: string[] = [];
const network = () =>
  testNetwork({
    name: 'hb-net',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: { pollIntervalMs: 250, requestTimeoutMs: 1000, safeLagBlocks: null },
  });

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  receiver = await startHeartbeatReceiver();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'info' },
    worker: { concurrency: 4 },
    networks: [network()],
    http: { port: 0, host: '127.0.0.1' },
    heartbeat: { url: `${receiver.url}/ping/${UUID}`, everyMs: EVERY_MS, kind: 'healthchecks' },
  };
  running = await startChainwatch(config, {
    role: 'all',
    log: pino({ level: 'info' }, { write: (s: string) => void lines.push(s) }),
    publishers: [new CapturePublisher()],
    clock: () => Date.now() + offsetMs,
  });
  pollQueue = new Queue(QUEUES.chainPoll, { connection: redis, prefix: keys.bullPrefix });
  publishQueue = new Queue(QUEUES.publishConsole, { connection: redis, prefix: keys.bullPrefix });
  for (const q of [pollQueue, publishQueue]) q.on('error', () => undefined);
});

after(async () => {
  await running?.stop();
  await pollQueue?.close();
  await publishQueue?.close();
  redis?.disconnect();
  await deleteKeys(prefix);
  await receiver?.close();
  await anvil?.stop();
});

async function until<T>(what: string, timeoutMs: number, read: () => T | Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const record = () => redis.hgetall(keys.heartbeat);

/** Waits until `n` more ticks have judged chainwatch (each tick writes verdictAt), returning the last record. */
async function ticks(n: number, what: string): Promise<Record<string, string>> {
  let seen = (await record()).verdictAt;
  let count = 0;
  return until(
    `${n} heartbeat ticks (${what})`,
    n * EVERY_MS + 4000,
    async () => {
      const h = await record();
      if (h.verdictAt !== seen) [seen, count] = [h.verdictAt, count + 1];
      return { ...h, count: String(count) };
    },
    (h) => Number(h.count) >= n,
  );
}

test('healthy: one success ping per interval, and its time on /metrics', async (ctx) => {
  const pings = await until(
    '4 pings',
    10_000,
    () => receiver.pings,
    (p) => p.length >= 4,
  );
  assert.ok(
    pings.every((p) => p.kind === 'success' && p.token === UUID && p.answered === 200),
    JSON.stringify(pings.at(-1)),
  );
  const gaps = pings.slice(1).map((p, i) => p.at - pings[i]!.at);
  ctx.diagnostic(`gaps between pings: ${gaps.join(', ')} ms (every ${EVERY_MS} ms)`);
  // No tick missed, and none extra (a gap may be short after a tick that was picked up late).
  assert.ok(
    gaps.every((g) => g < EVERY_MS * 1.5),
    gaps.join(', '),
  );
  const span = pings.at(-1)!.at - pings[0]!.at;
  assert.ok(pings.length - 1 <= Math.round(span / EVERY_MS), `${pings.length} pings in ${span} ms`);
  const text = await (await fetch(`${running.httpUrl}/metrics`)).text();
  const m = /^chainwatch_heartbeat_last_success_seconds (\S+)$/m.exec(text);
  assert.ok(m, 'the gauge is on /metrics');
  assert.ok(Math.abs(Number(m[1]) - Date.now() / 1000) < 5, `last success ${m[1]}`);
});

test('a network whose poll scheduler stopped: no ping while it is unobserved, pings once it is polled again', async () => {
  assert.equal(await pollQueue.removeJobScheduler(pollSchedulerId('hb-net')), true);
  await new Promise((r) => setTimeout(r, 1500)); // polls already running finish
  offsetMs += 120_000; // two minutes without a poll, past the one-minute window
  receiver.reset();
  const h = await ticks(3, 'stale network');
  assert.equal(h.verdict, 'not-working');
  assert.match(h.verdictReason ?? '', /^network hb-net not observed for 12\d s$/);
  assert.equal(receiver.pings.length, 0, `no ping while stale, got ${JSON.stringify(receiver.pings.map((p) => p.kind))}`);

  await syncPollSchedulers(pollQueue, [network()]);
  await until(
    'pings again',
    8000,
    () => receiver.pings.filter((p) => p.kind === 'success').length,
    (n) => n >= 2,
  );
});

test('a stuck publish queue (paused, its oldest job 6 min old): no ping until it moves', async () => {
  await publishQueue.pause();
  await publishQueue.add('publish', { incidentId: 'none', seq: 1 }, { jobId: 'stuck-job', timestamp: Date.now() + offsetMs - 360_000 });
  receiver.reset();
  const h = await ticks(3, 'stuck queue');
  assert.equal(h.verdict, 'not-working');
  assert.match(h.verdictReason ?? '', /^queue publish-console stuck: its oldest job has waited 36\d s$/);
  assert.equal(receiver.pings.length, 0);
  await publishQueue.remove('stuck-job');
  await publishQueue.resume();
  await until(
    'pings again',
    8000,
    () => receiver.pings.length,
    (n) => n >= 2,
  );
});

test('blind: the failure signal with the reason, then success once sight returns', async () => {
  // The polls would judge their own sight and clear a key nobody's darkness explains (one
  // network, no connectivity checks): pause them, so the key stands for the detection here.
  await pollQueue.pause();
  const since = Date.now() + offsetMs - 5000;
  await redis.set(keys.watcherBlind, JSON.stringify({ since, reason: 'every endpoint of every network unreachable\u001b[0m' }));
  receiver.reset();
  const fails = await until(
    '2 fail pings',
    6000,
    () => receiver.pings.filter((p) => p.kind === 'fail'),
    (p) => p.length >= 2,
  );
  assert.equal(fails[0]!.path, `/ping/${UUID}/fail`);
  assert.equal(
    fails[0]!.body,
    `chainwatch is blind since ${new Date(since).toISOString()}: every endpoint of every network unreachable [0m`,
  );
  assert.ok(
    receiver.pings.every((p) => p.kind === 'fail'),
    'no success while blind',
  );
  await redis.del(keys.watcherBlind);
  await pollQueue.resume();
  receiver.reset();
  await until(
    'a success ping',
    6000,
    () => receiver.pings,
    (p) => p.length >= 1 && p.every((x) => x.kind === 'success'),
  );
});

test('the URL and its key never appear in a log line', () => {
  const said = lines.filter((l) => /heartbeat/.test(l));
  assert.ok(said.length >= 4, `heartbeat lines: ${said.length}`);
  const all = lines.join('\n');
  assert.ok(!all.includes(UUID) && !all.includes(receiver.url), 'the URL is in the log');
});
