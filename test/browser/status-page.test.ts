import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startChainwatch, type Running } from '../../src/app/start';
import { ActionService } from '../../src/discord/bot/actions';
import type { AppConfig } from '../../src/config';
import { createLogger } from '../../src/util/log';
import type { PublishOutbox } from '../../src/queue/outbox';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { CapturePublisher, deleteKeys, REDIS_URL } from '../support/pipeline';

/**
 * The status page in a real browser (Debian's chromium through playwright-core) against a
 * running chainwatch watching a real anvil chain: what a person sees before, during and after
 * a halt, with the page refreshing itself. Screenshots go to test-artifacts/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const NAME = 'browser-it';
const HOSTILE = '<img src=x onerror="window.__xss=1"> **not bold** @everyone';

let anvil: Anvil;
let running: Running;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let capture: CapturePublisher;
let config: AppConfig;
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;

before(async () => {
  // Fail, never skip: a status page nobody looked at in a browser is not tested.
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
  );
  anvil = await startAnvil({ blockTime: 1 });
  const network = testNetwork({
    name: NAME,
    displayName: 'Browser <Testnet>',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: {
      pollIntervalMs: 250,
      requestTimeoutMs: 1000,
      stallMs: 2500,
      resolveAfterMs: 3000,
      criticalAfterMs: 600_000,
      safeLagBlocks: null,
    },
  });
  config = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 2 },
    networks: [network],
    http: { port: 0, host: '127.0.0.1', title: 'Testnet status', statusPage: true },
  };
  capture = new CapturePublisher();
  running = await startChainwatch(config, { log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), publishers: [capture] });
  userDataDir = mkdtempSync(join(tmpdir(), 'cw-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
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
    viewport: { width: 1100, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => assert.fail(`script error on the page: ${err.message}`));
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await running?.stop();
  await anvil?.stop();
  await deleteKeys(prefix);
});

const card = () => page.locator(`.card[data-network="${NAME}"]`);
const headNumber = async () => Number((await card().locator('.meta b').first().textContent())?.replace(/[^0-9]/g, ''));

test('operational: head, chart, 90 bars; the page refreshes itself without reloading', async () => {
  await page.goto(`${running.httpUrl}/?refresh=1`);
  assert.equal(await page.locator('header h1').textContent(), 'Testnet status');
  await page.waitForSelector(`.card[data-network="${NAME}"] .meta b`, { timeout: 15_000 });
  await page.evaluate('window.__marker = 1');
  assert.equal(await card().getAttribute('data-status'), 'operational');
  assert.match((await card().locator('.pill').textContent()) ?? '', /Operational/);
  assert.equal(await card().locator('h3 a').textContent(), 'Browser <Testnet>', 'names are text, not markup');
  assert.equal(await card().locator('svg.chart').count(), 1);
  assert.equal(await card().locator('svg.bars rect').count(), 90);
  assert.match((await card().locator('.meta').first().textContent()) ?? '', /Head #\d+ · last block .*(ago|just now)/);
  const first = await headNumber();
  // The page's CSP forbids eval, so a function (no string) and, compiled without the DOM
  // library, `document` reached through globalThis.
  type Doc = { querySelector(s: string): { textContent: string | null } | null };
  await page.waitForFunction(
    ([n, h]) =>
      Number(
        (globalThis as unknown as { document: Doc }).document
          .querySelector(`.card[data-network="${n}"] .meta b`)
          ?.textContent?.replace(/[^0-9]/g, ''),
      ) > h,
    [NAME, first] as const,
    { timeout: 10_000 },
  );
  assert.equal(await page.evaluate('window.__marker'), 1, 'content swapped in place, no full reload');
});

test('a halt: major outage, the incident with its timeline, escaped quotes; screenshot', async () => {
  await anvil.halt();
  await page.waitForSelector(`.card[data-network="${NAME}"][data-status="major"]`, { timeout: 20_000 });
  assert.equal(await page.evaluate('window.__marker'), 1, 'updated without a reload');
  assert.match((await card().locator('.pill').textContent()) ?? '', /Major outage/);
  assert.match((await page.locator('.banner').textContent()) ?? '', /1 of 1 network not fully operational/);
  const incident = page.locator('article.incident').first();
  assert.match((await incident.locator('h3').textContent()) ?? '', /Browser <Testnet>: Block production halted/);
  assert.ok((await incident.locator('.timeline li[data-event="opened"]').count()) === 1);
  assert.match(await page.title(), /^Major outage · Testnet status/);

  // A moderator's update quoting hostile text shows as text, runs nothing.
  const opened = await capture.waitFor((e) => e.type === 'opened', 10_000, 'opened');
  const outbox = { notify: async () => {} } as unknown as PublishOutbox;
  await new ActionService({ store: running.store, outbox, clock: Date.now, log: createLogger('silent'), networks: config.networks }).apply(
    opened.incidentId,
    { type: 'update', by: 'mod <b>', text: HOSTILE },
    'browser-update',
  );
  await page.waitForSelector('.timeline li[data-event="update"]', { timeout: 10_000 });
  const update = page.locator('article.incident .timeline li[data-event="update"]').first();
  assert.match((await update.textContent()) ?? '', /Update from mod <b>/);
  assert.ok(((await update.textContent()) ?? '').includes(HOSTILE));
  assert.equal(await page.locator('article.incident img').count(), 0);
  assert.equal(await page.evaluate('window.__xss'), undefined);

  await page.screenshot({ path: join(ARTIFACTS, 'status-page.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
  assert.ok(overflow <= 0, `readable on a phone: no sideways scrolling (${overflow}px too wide)`);
  await page.screenshot({ path: join(ARTIFACTS, 'status-page-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1100, height: 900 });
});

test('the network page and the incident page', async () => {
  await page.goto(`${running.httpUrl}/network/${NAME}`);
  assert.match((await page.locator('main .card h3').textContent()) ?? '', /Browser <Testnet>.*Major outage/);
  assert.equal(await page.locator('svg.chart-detail').count(), 1);
  assert.match((await page.locator('svg.chart-detail').getAttribute('aria-label')) ?? '', /Block intervals of Browser <Testnet>/);
  assert.equal((await page.locator('svg.chart-detail path.c-gap').count()) > 0, true, 'the halt in progress is drawn');
  assert.equal(await page.locator('svg.bars rect').count(), 90);
  assert.equal(await page.locator('table.endpoints td', { hasText: 'rpc-a' }).count(), 1);
  await page.screenshot({ path: join(ARTIFACTS, 'network-page.png'), fullPage: true });
  await page.locator('article.incident h3 a').click();
  await page.waitForURL(/\/incident\/browser-it-\d{8}T\d{6}Z$/);
  assert.match((await page.locator('article.incident h3').textContent()) ?? '', /Block production halted/);
  const events = await page.locator('.timeline li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-event')));
  assert.deepEqual(events.slice(-1), ['opened'], 'newest first, the opening last');
  assert.ok(events.includes('update'));
});

test('blocks resume: the incident page and the overview follow, by themselves', async () => {
  const incidentUrl = page.url();
  await page.goto(`${incidentUrl}?refresh=1`);
  await anvil.resume(1);
  await capture.waitFor((e) => e.type === 'resolved', 25_000, 'resolved');
  await page.waitForSelector('.timeline li[data-event="resolved"]', { timeout: 10_000 });
  assert.equal(await page.locator('article.incident').getAttribute('data-incident-status'), 'resolved');
  await page.goto(`${running.httpUrl}/?refresh=1`);
  await page.waitForSelector(`.card[data-network="${NAME}"][data-status="operational"]`, { timeout: 15_000 });
  assert.equal(await page.locator('article.incident').count(), 0, 'no open incident');
  assert.match((await page.locator('ul.past li').first().textContent()) ?? '', /Block production halted[\s\S]*halted for \d+ s/);
  // Today's bar carries the outage.
  const today = card().locator('svg.bars rect').last();
  assert.equal(await today.getAttribute('class'), 'b-major');
  // The Atom feed parses as XML in the browser, in the Atom namespace, with the incident.
  const atom = await page.evaluate(`fetch('/feed.atom').then((r) => r.text()).then((t) => {
    const d = new DOMParser().parseFromString(t, 'application/xml');
    return { error: d.querySelector('parsererror') !== null, ns: d.documentElement.namespaceURI, entries: d.getElementsByTagName('entry').length, title: d.getElementsByTagName('entry')[0]?.getElementsByTagName('title')[0]?.textContent };
  })`);
  assert.deepEqual(atom, {
    error: false,
    ns: 'http://www.w3.org/2005/Atom',
    entries: 1,
    title: 'Resolved: Browser <Testnet>: Block production halted',
  });
  const badge = await page.request.get(`${running.httpUrl}/badge/${NAME}.svg`);
  assert.match(await badge.text(), /operational/);
});
