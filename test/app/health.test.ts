/**
 * chainwatch's own health (src/app/health.ts), on the real Redis under a random prefix: network
 * freshness as /readyz judges it, stuck publish queues, blindness, and Redis not answering.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  heartbeatVerdict,
  networkFreshness,
  parseBlindness,
  pollWindowMs,
  PUBLISH_STUCK_MS,
  readHealth,
  REDIS_PING_TIMEOUT_MS,
  waitingSince,
} from '../../src/app/health';
import { readyCheck, scrapeState } from '../../src/app/observability';
import { initialNetworkState } from '../../src/engine';
import { keyspace, type HeadSample } from '../../src/model';
import { commitStep } from '../../src/queue/commit';
import { PublishOutbox } from '../../src/queue/outbox';
import { IncidentStore } from '../../src/store/incidents';
import { PublicationStore } from '../../src/store/publications';
import { createLogger } from '../../src/util/log';
import { freePort } from '../support/free-port';
import { testNetwork } from '../support/network';
import { testRedis, type TestRedis } from '../support/redis';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const fresh = testNetwork({ name: 'fresh-net' });
const stale = testNetwork({ name: 'stale-net' });
let t: TestRedis;
let store: IncidentStore;
let publish: Queue;

before(() => {
  t = testRedis();
  store = new IncidentStore(t.redis, keyspace(t.prefix));
  publish = new Queue('publish-console', { connection: t.redis.duplicate(), prefix: keyspace(t.prefix).bullPrefix });
  publish.on('error', () => undefined);
});

after(async () => {
  await publish.close();
  await store.close();
  await t.cleanup();
});

/** One poll of every endpoint of `network`, committed as a chain-poll job would, seen at `at`. */
async function observe(network: typeof fresh, at: number): Promise<void> {
  const samples: HeadSample[] = network.endpoints.map((e) => ({
    ok: true,
    network: network.name,
    endpoint: e.label,
    observedAt: at,
    latencyMs: 5,
    number: 100,
    hash: `0x${'a'.repeat(64)}`,
    parentHash: `0x${'b'.repeat(64)}`,
    timestamp: Math.floor(at / 1000),
  }));
  const deps = {
    store,
    outbox: new PublishOutbox(new Map(), new PublicationStore(t.redis, keyspace(t.prefix))),
    log: createLogger('silent'),
  };
  await commitStep({ ...deps, clock: () => at }, network, `poll-${network.name}-${at}`, { type: 'poll', samples });
}

test('freshness: a network is fresh within max(60 s, 5 polls + a timeout) of its last observation', () => {
  const slow = testNetwork({ name: 'slow', thresholds: { pollIntervalMs: 20_000, requestTimeoutMs: 5000 } });
  const state = initialNetworkState();
  assert.deepEqual(networkFreshness(slow, undefined, NOW), { fresh: false, check: 'never', problem: 'network slow never observed' });
  assert.equal(networkFreshness(slow, state, NOW).check, 'never', 'a state with no observation yet');
  assert.equal(pollWindowMs(slow), 105_000);
  assert.equal(pollWindowMs(testNetwork()), 60_000, 'at least a minute');
});

test('readHealth and /readyz judge the networks alike: the stale one is named with its age', async () => {
  await observe(fresh, NOW - 10_000);
  await observe(stale, NOW - 200_000);
  const deps = { redis: t.redis, store, networks: [fresh, stale], clock: () => NOW };
  const health = await readHealth(deps, { polls: true });
  assert.deepEqual(health, {
    ok: false,
    checks: { redis: 'ok', 'poll:fresh-net': 'fresh', 'poll:stale-net': 'stale (200 s)' },
    problems: ['network stale-net not observed for 200 s'],
    blind: null,
  });
  const ready = await readyCheck({ ...deps, polls: true })();
  assert.deepEqual(ready, { ok: false, checks: health.checks }, '/readyz says the same');
  assert.deepEqual(heartbeatVerdict(health), { kind: 'not-working', reason: 'network stale-net not observed for 200 s' });
  // The boundary: exactly 60 s is fresh, a second more is not (testNetwork: 5 × 1 s + 2 s < 60 s).
  const at60 = await readHealth({ ...deps, networks: [fresh], clock: () => NOW - 10_000 + 60_000 }, { polls: true });
  const at61 = await readHealth({ ...deps, networks: [fresh], clock: () => NOW - 10_000 + 61_000 }, { polls: true });
  assert.deepEqual([at60.ok, at61.ok], [true, false]);
  assert.deepEqual(heartbeatVerdict(at60), { kind: 'working' });
  assert.deepEqual(await readyCheck({ ...deps, polls: false })(), { ok: true, checks: { redis: 'ok' } }, 'no polls, no poll checks');
});

test('a publish queue is stuck when its oldest waiting job waited PUBLISH_STUCK_MS; retried jobs count from their last attempt', async () => {
  const deps = { redis: t.redis, store, networks: [fresh], clock: () => NOW };
  await publish.add('publish', { incidentId: 'x', seq: 1 }, { jobId: 'recent', timestamp: NOW - 60_000 });
  let health = await readHealth(deps, { polls: false, publishQueues: [publish] });
  assert.deepEqual([health.ok, health.checks['queue:publish-console']], [true, 'ok']);
  // The head of the wait list is the job that has waited longest (jobs are added in time order).
  await publish.remove('recent');
  await publish.add('publish', { incidentId: 'x', seq: 2 }, { jobId: 'old', timestamp: NOW - PUBLISH_STUCK_MS - 12_000 });
  health = await readHealth(deps, { polls: false, publishQueues: [publish] });
  assert.deepEqual(health.checks['queue:publish-console'], 'stuck (312 s)');
  assert.deepEqual(health.problems, ['queue publish-console stuck: its oldest job has waited 312 s']);
  const [metrics] = await scrapeState({ networks: [], store, queues: [publish], clock: () => NOW }).queues();
  assert.equal(metrics?.oldestWaitingSeconds, 312, '/metrics reads the same age');
  assert.equal(waitingSince({ timestamp: NOW - 3_600_000, processedOn: NOW - 2000 }), NOW - 2000, 'a retried job: its last attempt');
  assert.equal(waitingSince({ timestamp: NOW - 5000 }), NOW - 5000, 'a job never tried: its creation');
  await publish.obliterate({ force: true });
});

test('blindness: the key set means blind (its reason and since); blind wins over other problems', async () => {
  const keys = keyspace(t.prefix);
  const deps = { redis: t.redis, store, networks: [stale], clock: () => NOW };
  assert.equal((await readHealth(deps, { polls: true, blind: keys })).checks.blind, 'no');
  await t.redis.set(keys.watcherBlind, JSON.stringify({ since: NOW - 30_000, reason: 'every endpoint of 3 networks unreachable' }));
  const health = await readHealth(deps, { polls: true, blind: keys });
  assert.equal(health.checks.blind, `blind since ${new Date(NOW - 30_000).toISOString()}: every endpoint of 3 networks unreachable`);
  assert.deepEqual(heartbeatVerdict(health), { kind: 'blind', since: NOW - 30_000, reason: 'every endpoint of 3 networks unreachable' });
  assert.deepEqual(parseBlindness('{not json', NOW), { since: NOW, reason: 'no reason recorded' });
  assert.deepEqual(parseBlindness(JSON.stringify({ since: 'soon', reason: 7 }), NOW), { since: NOW, reason: 'no reason recorded' });
  assert.equal(parseBlindness(null, NOW), null);
  await t.redis.del(keys.watcherBlind);
});

test('Redis not answering: not ok within the PING timeout, whatever else', async () => {
  const port = await freePort();
  const dead = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null, retryStrategy: () => 200 });
  dead.on('error', () => undefined);
  try {
    const started = Date.now();
    const health = await readHealth(
      { redis: dead, store, networks: [fresh], clock: () => NOW },
      { polls: true, blind: keyspace(t.prefix) },
    );
    const took = Date.now() - started;
    assert.deepEqual(health, {
      ok: false,
      checks: { redis: 'unreachable' },
      problems: [`Redis did not answer PING within ${REDIS_PING_TIMEOUT_MS} ms`],
      blind: null,
    });
    assert.ok(took >= REDIS_PING_TIMEOUT_MS - 50 && took < REDIS_PING_TIMEOUT_MS + 1000, `took ${took} ms`);
    assert.deepEqual(heartbeatVerdict(health), {
      kind: 'not-working',
      reason: `Redis did not answer PING within ${REDIS_PING_TIMEOUT_MS} ms`,
    });
  } finally {
    dead.disconnect();
  }
});
