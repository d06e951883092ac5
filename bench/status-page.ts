/**
 * Status page time to first byte and full load in Chromium, with 50 networks and 1,000 past
 * incidents: `npx tsx bench/status-page.ts` (Redis at REDIS_URL or 127.0.0.1:6379, Debian's
 * chromium at /usr/bin/chromium or CHROMIUM_PATH).
 *
 * Seed (random prefix, deleted at the end, never FLUSHALL): 50 networks with two endpoints
 * each, chain state from a few polls through evaluateChain, 5 of them halted with an open
 * incident; an hour of head history at one head a second (180,000 points); 1,000 resolved
 * incidents (20 a network, spread over the 30 days incidents are kept, 6 timeline events
 * each) through IncidentStore.apply, each also in the outage log, watched for 90 days.
 *
 * Measured: the overview, one network page and one incident page, loaded 15 times each in a
 * fresh tab: TTFB (Navigation Timing responseStart − requestStart) and full load
 * (loadEventEnd − startTime), median and p95, with the page's 2 s result cache off (every
 * request reads Redis and renders) and on. One JSON object per figure on stdout, a table on stderr.
 * `--screenshot` also saves the overview and one network page under test-artifacts/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { chromium, type BrowserContext } from 'playwright-core';
import type { Network } from '../src/config/network';
import { HistoryStore } from '../src/store/history';
import { Metrics } from '../src/http/metrics';
import { startHttpServer } from '../src/http/server';
import { statusSite } from '../src/http/status/routes';
import { StatusSource } from '../src/http/status/source';
import { page } from '../src/http/status/layout';
import { overviewPage } from '../src/http/status/pages';
import { step, initialNetworkState, type NetworkState } from '../src/engine';
import { OutageLog } from '../src/store/outages';
import { type Incident, type IncidentEvent, keyspace, outageOf } from '../src/model';
import { SilenceStore } from '../src/store/silences';
import { IncidentStore } from '../src/store/incidents';
import { createRedis } from '../src/queue/connections';
import { deleteByPrefix } from '../src/queue/delete-prefix';
import { okSample } from '../test/engine/detectors/builders';
import { testNetwork } from '../test/support/network';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NETWORKS = 50;
const HALTED = 5;
const PAST = 1000;
const LOADS = 15;
const DAY = 86_400_000;

const log = pino({ level: 'warn' });
const prefix = `cwbench-${randomBytes(6).toString('hex')}`;
const redis = createRedis(REDIS_URL, log);
const keys = keyspace(prefix);
const store = new IncidentStore(redis, keys);
const history = new HistoryStore(redis, keyspace(prefix));
const outages = new OutageLog(redis, keyspace(prefix));
const now = Date.now();

const networks: Network[] = Array.from({ length: NETWORKS }, (_, i) =>
  testNetwork({ name: `net-${String(i).padStart(2, '0')}`, displayName: `Network ${i}`, thresholds: { safeLagBlocks: null } }),
);

function pastIncident(network: string, k: number): { incident: Incident; events: IncidentEvent[] } {
  const startedAt = now - 30 * DAY + Math.floor(((k + 0.5) / (PAST / NETWORKS)) * 29 * DAY) + (network.charCodeAt(5) % 7) * 60_000;
  const stamp = new Date(startedAt + 20_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const id = `${network}-${stamp}`;
  const kinds = ['halted', 'slow_blocks', 'endpoint_down', 'rpc_unreachable'] as const;
  const kind = kinds[k % kinds.length]!;
  const recoveredAt = startedAt + (5 + (k % 40)) * 60_000;
  const incident: Incident = {
    id,
    network,
    status: 'resolved',
    severity: kind === 'endpoint_down' ? 'minor' : 'major',
    kind,
    title:
      kind === 'halted'
        ? 'Block production halted'
        : kind === 'slow_blocks'
          ? 'Blocks are slow'
          : kind === 'endpoint_down'
            ? 'RPC provider rpc-b down'
            : 'Public RPC unreachable',
    startedAt,
    openedAt: startedAt + 20_000,
    updatedAt: recoveredAt + 300_000,
    confirmedAt: startedAt + 20_000,
    recoveredAt,
    resolvedAt: recoveredAt + 300_000,
    ack: { by: 'moderator', at: startedAt + 120_000 },
    signals: { [kind]: 40 },
    summary: 'No new block for 4 min; the last was #1,234 (seen by both endpoints)',
    seq: 6,
    reopened: 0,
    seen: [kind],
  };
  const types = ['opened', 'acknowledged', 'update', 'recovered', 'resolved'] as const;
  const events: IncidentEvent[] = [...types, 'update' as const].slice(0, 6).map((type, j) => ({
    incidentId: id,
    network,
    seq: j + 1,
    at: startedAt + 20_000 + j * 60_000,
    type,
    status: type === 'resolved' ? 'resolved' : 'investigating',
    severity: incident.severity,
    kind,
    title: incident.title,
    text: `${type}: a line of plain words about what happened, about as long as the real ones are.`,
    ...(type === 'update' || type === 'acknowledged' ? { by: 'moderator' } : {}),
  }));
  return { incident, events };
}

async function seed(): Promise<void> {
  const t0 = Date.now();
  // Head history: the last hour of 1 s polls, written as recordHeads would have (one command a network).
  await Promise.all(
    networks.map(async (n) => {
      const points = [];
      for (let s = 3600; s >= 0; s--) points.push({ t: now - s * 1000, n: 1_000_000 - s, ts: Math.floor((now - s * 1000) / 1000) });
      await history.importPoints(n.name, points);
    }),
  );
  for (const n of networks) {
    for (let k = 0; k < PAST / NETWORKS; k++) {
      const { incident, events } = pastIncident(n.name, k);
      await store.apply<NetworkState>(n.name, `seed-${incident.id}`, initialNetworkState, (state) => ({ state, events, incident }));
      await outages.record(n.name, outageOf(incident)!, now);
    }
    await outages.setWatchedSince(n.name, now - 90 * DAY);
  }
  // Live chain state: polls every 5 s for two minutes; the first five networks stop a minute ago.
  await Promise.all(
    networks.map(async (network, i) => {
      const halted = i < HALTED;
      for (let t = now - 120_000; t <= now; t += 5000) {
        const seen = halted ? Math.min(t, now - 60_000) : t;
        const num = 1_000_000 - Math.floor((now - seen) / 1000);
        const samples = ['rpc-a', 'rpc-b'].map((ep) => okSample(ep, num, t, { network: network.name, timestamp: Math.floor(seen / 1000) }));
        await store.apply<NetworkState>(network.name, `poll-${t}`, initialNetworkState, (state) =>
          step(state, { type: 'poll', samples: samples }, network, t),
        );
      }
    }),
  );
  process.stderr.write(
    `seeded ${NETWORKS} networks, ${PAST} past incidents, ${NETWORKS * 3601} head points in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)]!;

async function measure(context: BrowserContext, url: string): Promise<{ ttfb: number[]; load: number[]; bytes: number }> {
  const ttfb: number[] = [];
  const load: number[] = [];
  let bytes = 0;
  for (let i = 0; i < LOADS + 1; i++) {
    const page = await context.newPage();
    // A query of its own: no load comes from Chromium's HTTP cache (the page allows 5 s).
    await page.goto(`${url}${url.includes('?') ? '&' : '?'}load=${i}`, { waitUntil: 'load' });
    const nav = (await page.evaluate(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return { ttfb: n.responseStart - n.requestStart, load: n.loadEventEnd - n.startTime, bytes: n.transferSize }; })()`,
    )) as { ttfb: number; load: number; bytes: number };
    await page.close();
    if (i === 0) continue; // warm-up: first connection, Chromium's own start
    ttfb.push(nav.ttfb);
    load.push(nav.load);
    bytes = nav.bytes;
  }
  return { ttfb, load, bytes };
}

/** Where the overview's time goes, server side: reading Redis, and rendering. */
async function breakdown(): Promise<void> {
  const source = new StatusSource({
    store,
    silences: new SilenceStore(redis, keys),
    history,
    outages,
    networks,
    clock: Date.now,
    cacheMs: 0,
  });
  const read: number[] = [];
  const render: number[] = [];
  const heads: number[] = [];
  for (let i = 0; i < 10; i++) {
    let t = performance.now();
    await Promise.all(networks.map((n) => history.heads(n.name, Date.now() - 3660_000, Date.now())));
    heads.push(performance.now() - t);
    t = performance.now();
    const o = await source.overview();
    read.push(performance.now() - t);
    t = performance.now();
    page(overviewPage(o, { title: 'Bench status', base: '' }));
    render.push(performance.now() - t);
  }
  process.stderr.write(
    `overview, server side (median of 10): all reads ${pct(read, 50).toFixed(1)} ms, render ${pct(render, 50).toFixed(1)} ms; for reference, re-reading the whole hour of head points (what the interval window avoids) ${pct(heads, 50).toFixed(1)} ms\n`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  await seed();
  const metrics = new Metrics({ networks: async () => [], queues: async () => [] });
  const site = (cacheMs: number) =>
    statusSite({
      source: new StatusSource({ store, silences: new SilenceStore(redis, keys), history, outages, networks, clock: Date.now, cacheMs }),
      title: 'Bench status',
      log,
    });
  const uncached = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics,
    ready: async () => ({ ok: true, checks: {} }),
    log,
    routes: [site(0)],
  });
  const cached = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics,
    ready: async () => ({ ok: true, checks: {} }),
    log,
    routes: [site(2000)],
  });
  const incidentId = (await store.listIncidents('net-00', 1))[0]!.id;
  await breakdown();
  const userDataDir = mkdtempSync(join(tmpdir(), 'cw-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const rows: string[][] = [];
  try {
    const cases: [string, string][] = [
      ['overview', `${uncached.url}/`],
      ['overview_cached', `${cached.url}/`],
      ['network_page', `${uncached.url}/network/net-00`],
      ['incident_page', `${uncached.url}/incident/${incidentId}`],
    ];
    if (process.argv.includes('--screenshot')) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.goto(`${cached.url}/`, { waitUntil: 'load' });
      await page.screenshot({ path: 'test-artifacts/status-page-50-networks.png', fullPage: false });
      await page.locator('.grid').screenshot({ path: 'test-artifacts/status-page-50-networks-grid.png' });
      await page.goto(`${cached.url}/network/net-00`, { waitUntil: 'load' });
      await page.screenshot({ path: 'test-artifacts/status-page-50-networks-net-00.png', fullPage: true });
      await page.close();
    }
    for (const [name, url] of cases) {
      const m = await measure(context, url);
      for (const [what, xs] of [
        ['ttfb', m.ttfb],
        ['full_load', m.load],
      ] as const) {
        const figure = {
          name: `status_page_${name}_${what}_ms`,
          value: Math.round(pct(xs, 50) * 10) / 10,
          unit: 'ms',
          p95: Math.round(pct(xs, 95) * 10) / 10,
          loads: xs.length,
          networks: NETWORKS,
          pastIncidents: PAST,
          bytes: m.bytes,
        };
        process.stdout.write(`${JSON.stringify(figure)}\n`);
        rows.push([figure.name, `${figure.value}`, `${figure.p95}`, `${Math.round(m.bytes / 1024)} KiB`]);
      }
    }
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
    await uncached.stop();
    await cached.stop();
    await deleteByPrefix(redis, prefix);
    await store.close();
    redis.disconnect();
  }
  process.stderr.write(`\n${'figure'.padEnd(44)} ${'median'.padStart(8)} ${'p95'.padStart(8)}  size\n`);
  for (const r of rows) process.stderr.write(`${r[0]!.padEnd(44)} ${r[1]!.padStart(8)} ${r[2]!.padStart(8)}  ${r[3]}\n`);
}

await main();
