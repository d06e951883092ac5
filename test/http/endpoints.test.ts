import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startChainwatch, type Running } from '../../src/app/start';
import type { AppConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL } from '../support/pipeline';

/** /healthz, /readyz and /metrics of a running worker, against a real chain and Redis. */
let anvil: Anvil;
let running: Running;
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  const network = testNetwork({ name: 'metrics-it', endpoints: [{ label: 'rpc-a', url: anvil.url }], thresholds: { pollIntervalMs: 250, requestTimeoutMs: 1000, stallMs: 2500, safeLagBlocks: null } });
  const config: AppConfig = { redis: { url: REDIS_URL, prefix }, log: { level: 'warn' }, worker: { concurrency: 2 }, networks: [network], http: { port: 0, host: '127.0.0.1' } };
  running = await startChainwatch(config, { log: createLogger('silent') });
});

after(async () => {
  await running?.stop();
  await anvil?.stop();
  await deleteKeys(prefix);
});

const get = async (path: string) => {
  const res = await fetch(`${running.httpUrl}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
};

test('healthz answers; readyz turns ready once the network is polled', async () => {
  assert.equal((await get('/healthz')).status, 200);
  let ready = await get('/readyz');
  const deadline = Date.now() + 10_000;
  while (ready.status !== 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    ready = await get('/readyz');
  }
  assert.equal(ready.status, 200, ready.body);
  assert.deepEqual(JSON.parse(ready.body), { ok: true, checks: { redis: 'ok', 'poll:metrics-it': 'fresh' } });
  assert.equal((await get('/nope')).status, 404);
});

test('metrics: poll latency, head age, queues, and the open incident during a halt', async () => {
  await anvil.halt();
  let text = '';
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const m = await get('/metrics');
    assert.match(m.type, /^text\/plain/);
    text = m.body;
    if (/chainwatch_incident_open\{network="metrics-it",status="investigating",kind="halted"\} 1/.test(text)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(text, /chainwatch_incident_open\{network="metrics-it",status="investigating",kind="halted"\} 1/);
  assert.match(text, /chainwatch_poll_latency_seconds_count\{network="metrics-it",endpoint="rpc-a",result="ok"\} \d+/);
  assert.match(text, /chainwatch_head_age_seconds\{network="metrics-it"\} \d/);
  assert.match(text, /chainwatch_queue_jobs\{queue="chain-poll",state="waiting"\} \d+/);
  assert.match(text, /chainwatch_publish_jobs_total\{sink="console",result="completed"\} \d+/);
  assert.match(text, /chainwatch_process_resident_memory_bytes \d/);
  await anvil.resume(1);
});
