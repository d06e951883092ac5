/**
 * Bull Board under its Content-Security-Policy in a real browser (Debian's chromium through
 * playwright-core): the board renders its queues with no script error and no blocked resource
 * but the Google Fonts stylesheet it links (left blocked on purpose), and with `adminWrite` the
 * board's own same-origin requests pass the cross-origin and JSON checks.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import pino from 'pino';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { adminRoute } from '../../src/http/admin';
import { Metrics } from '../../src/http/metrics';
import { startHttpServer } from '../../src/http/server';
import { testRedis, type TestRedis } from '../support/redis';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const credentials = { user: 'ops', password: 'board-password' };
let r: TestRedis;
let queue: Queue;
let server: { url: string; stop(): Promise<void> };
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH`);
  r = testRedis();
  queue = new Queue('chain-poll', { connection: r.redis, prefix: `{${r.prefix}}` });
  const log = pino({ level: 'silent' });
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics: new Metrics({ networks: async () => [], queues: async () => [] }),
    ready: async () => ({ ok: true, checks: {} }),
    log,
    admin: adminRoute({ queues: [queue], credentials, write: true, log }),
  });
  userDataDir = mkdtempSync(join(tmpdir(), 'cw-chromium-admin-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    httpCredentials: { username: credentials.user, password: credentials.password },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await server?.stop();
  await queue?.close();
  await r?.cleanup();
});

test('the board renders its queues under the CSP; only the third-party font stylesheet is refused', async () => {
  const res = await page.goto(`${server.url}/admin/queues`);
  assert.equal(res?.status(), 200);
  await page.getByText('chain-poll').first().waitFor({ timeout: 20_000 });
  assert.deepEqual(pageErrors, []);
  const refused = consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e));
  assert.ok(refused.length >= 1, `the Google Fonts link is refused (console: ${JSON.stringify(consoleErrors)})`);
  for (const e of refused) assert.match(e, /fonts\.googleapis\.com/, `only the font stylesheet is refused: ${e}`);
});

test("with adminWrite, the board's own writes pass: pause and resume a queue from its page", async () => {
  const status = (await page.evaluate(`fetch('api/queues/chain-poll/pause', { method: 'PUT' }).then((r) => r.status)`)) as number;
  assert.equal(status, 200);
  assert.equal(await queue.isPaused(), true);
  const added = (await page.evaluate(
    `fetch('api/queues/chain-poll/add', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'poll', data: {}, options: {} }) }).then((r) => r.status)`,
  )) as number;
  assert.equal(added, 200);
  assert.equal((await page.evaluate(`fetch('api/queues/chain-poll/resume', { method: 'PUT' }).then((r) => r.status)`)) as number, 200);
  assert.equal(await queue.isPaused(), false);
  await queue.obliterate({ force: true });
});
