import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startChainwatch, type Running } from '../../src/app/start';
import type { AppConfig } from '../../src/config';
import { createLogger } from '../../src/util/log';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL } from '../support/pipeline';

/** /healthz, /readyz and /metrics of a running worker, against a real chain and Redis. */
let anvil: Anvil;
let running: Running;
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  const network = testNetwork({
    name: 'metrics-it',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: { pollIntervalMs: 250, requestTimeoutMs: 1000, stallMs: 2500, safeLagBlocks: null },
  });
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 2 },
    networks: [network],
    http: { port: 0, host: '127.0.0.1' },
  };
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
  assert.deepEqual(JSON.parse(ready.body), { ok: true, checks: { redis: 'ok', blind: 'no', 'poll:metrics-it': 'fresh' } });
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
  assert.match(text, /chainwatch_queue_oldest_waiting_seconds\{queue="chain-poll"\} \d/);
  assert.match(text, /chainwatch_signals_active\{network="metrics-it",kind="halted"\} 1/);
  assert.match(text, /chainwatch_publish_jobs_total\{sink="console",result="completed"\} \d+/);
  assert.match(text, /chainwatch_process_resident_memory_bytes \d/);
  await anvil.resume(1);
});

test('status page, feeds and badge beside them; unknown names are 404s; Bull Board off without credentials', async () => {
  const page = await fetch(`${running.httpUrl}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(
    page.headers.get('content-security-policy') ?? '',
    /default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'/,
  );
  const html = await page.text();
  assert.match(html, /<section class="card" data-network="metrics-it" data-status="(major|degraded|operational)">/);
  const fragment = await fetch(`${running.httpUrl}/?fragment=1`);
  assert.equal(fragment.headers.get('cache-control'), 'no-store');
  assert.match(await fragment.text(), /^<div hidden data-now="\d+"/);
  assert.equal((await get('/network/metrics-it')).status, 200);
  const status = JSON.parse((await get('/api/v1/status')).body) as {
    networks: { name: string; status: string; head: { number: number } | null }[];
  };
  assert.equal(status.networks[0]!.name, 'metrics-it');
  assert.ok(status.networks[0]!.head !== null);
  const incidents = JSON.parse((await get('/api/v1/incidents?network=metrics-it&limit=5')).body) as {
    incidents: { id: string; url: string; kind: string }[];
  };
  assert.equal(incidents.incidents[0]?.kind, 'halted');
  assert.equal((await get(incidents.incidents[0]!.url)).status, 200);
  const one = JSON.parse((await get(`/api/v1/incidents/${incidents.incidents[0]!.id}`)).body) as { timeline: { type: string }[] };
  assert.equal(one.timeline[0]?.type, 'opened');
  const atom = await get('/feed.atom');
  assert.match(atom.type, /^application\/atom\+xml/);
  assert.match(atom.body, /<entry>[\s\S]*Block production halted/);
  const badge = await fetch(`${running.httpUrl}/badge/metrics-it.svg`);
  assert.equal(badge.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
  assert.equal(badge.headers.get('cache-control'), 'public, max-age=30');
  for (const p of [
    '/network/nope',
    '/incident/nope-20250101T000000Z',
    '/incident/..%2F..%2Fetc',
    '/badge/nope.svg',
    '/api/v1/incidents/zzz',
    '/api/v1/incidents?network=nope',
  ]) {
    assert.equal((await get(p)).status, 404, p);
  }
  assert.equal((await get('/network/%E0%A4%A')).status, 400);
  const admin = await get('/admin/queues');
  assert.equal(admin.status, 404);
  assert.match(admin.body, /CHAINWATCH_ADMIN_USER/);
});
