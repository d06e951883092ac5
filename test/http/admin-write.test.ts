/**
 * Bull Board's write actions: refused by default (read-only), and with `http.adminWrite` only
 * from its own page: a cross-origin or cross-site request, or a body that is not JSON, is
 * refused before Bull Board sees it. Against a real queue in the test Redis.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import pino from 'pino';
import { adminRoute, BULL_BOARD_CSP } from '../../src/http/admin';
import { Metrics } from '../../src/http/metrics';
import { startHttpServer } from '../../src/http/server';
import { testRedis, type TestRedis } from '../support/redis';

const USER = 'ops';
const PASSWORD = 'correct horse battery staple';
const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
const log = pino({ level: 'silent' });
let r: TestRedis;
let queue: Queue;
const servers: { stop(): Promise<void> }[] = [];

before(async () => {
  r = testRedis();
  queue = new Queue('social-ingest', { connection: r.redis, prefix: `{${r.prefix}}` });
  await queue.waitUntilReady();
});
after(async () => {
  for (const s of servers) await s.stop();
  await queue.close();
  await r.cleanup();
});

async function serve(write: boolean) {
  const s = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics: new Metrics({ networks: async () => [], queues: async () => [] }),
    ready: async () => ({ ok: true, checks: {} }),
    log,
    admin: adminRoute({ queues: [queue], credentials: { user: USER, password: PASSWORD }, write, log }),
  });
  servers.push(s);
  return s.url;
}

const addJob = (url: string, headers: Record<string, string>, body: string) =>
  fetch(`${url}/admin/queues/api/queues/social-ingest/add`, { method: 'POST', headers: { ...auth, ...headers }, body });
const fakeReport = JSON.stringify({ name: 'ingest', data: { posts: [{ text: 'megaeth down!!' }] }, options: {} });
const jobCount = async () => (await queue.getJobCounts('waiting', 'delayed', 'prioritized')) as Record<string, number>;
const total = async () => Object.values(await jobCount()).reduce((a, b) => a + b, 0);

test('read-only by default: every write is 405 and nothing reaches the queue; reads work, with the headers', async () => {
  const url = await serve(false);
  const before = await total();
  const asBoard = { 'content-type': 'application/json', origin: new URL(url).origin, 'sec-fetch-site': 'same-origin' };
  const add = await addJob(url, asBoard, fakeReport);
  assert.equal(add.status, 405);
  assert.match(await add.text(), /read-only: set `http\.adminWrite: true`/);
  const pause = await fetch(`${url}/admin/queues/api/queues/social-ingest/pause`, { method: 'PUT', headers: { ...auth, ...asBoard } });
  assert.equal(pause.status, 405);
  assert.equal(await total(), before, 'no job added');
  assert.equal(await queue.isPaused(), false, 'not paused');

  const api = await fetch(`${url}/admin/queues/api/queues`, { headers: auth });
  assert.equal(api.status, 200);
  const body = (await api.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
  assert.deepEqual(
    body.queues.map((q) => [q.name, q.readOnlyMode]),
    [['social-ingest', true]],
    "Bull Board's own read-only mode is on too",
  );
  const page = await fetch(`${url}/admin/queues`, { headers: auth });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), BULL_BOARD_CSP);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(page.headers.get('x-powered-by'), null);
});

test('with adminWrite: cross-origin, cross-site and non-JSON writes are refused; the board itself may write', async () => {
  const url = await serve(true);
  const origin = new URL(url).origin;
  const before = await total();
  // The classic CSRF: a form-like text/plain POST from another site.
  const csrf = await addJob(
    url,
    { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    fakeReport,
  );
  assert.equal(csrf.status, 403);
  const otherOrigin = await addJob(url, { 'content-type': 'application/json', origin: 'https://evil.example' }, fakeReport);
  assert.equal(otherOrigin.status, 403);
  const nullOrigin = await addJob(url, { 'content-type': 'application/json', origin: 'null' }, fakeReport);
  assert.equal(nullOrigin.status, 403);
  const sameSite = await addJob(url, { 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-site' }, fakeReport);
  assert.equal(sameSite.status, 403);
  const plain = await addJob(url, { 'content-type': 'text/plain', origin, 'sec-fetch-site': 'same-origin' }, fakeReport);
  assert.equal(plain.status, 415);
  assert.equal(await total(), before, 'none of them added a job');

  const unauthenticated = await fetch(`${url}/admin/queues/api/queues/social-ingest/add`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: fakeReport,
  });
  assert.equal(unauthenticated.status, 401, 'credentials first');

  const board = await addJob(url, { 'content-type': 'application/json', origin, 'sec-fetch-site': 'same-origin' }, fakeReport);
  assert.equal(board.status, 200, await board.clone().text());
  assert.equal(await total(), before + 1, 'the board added its job');
  await queue.obliterate({ force: true });
});
