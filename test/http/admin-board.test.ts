import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import pino from 'pino';
import { Writable } from 'node:stream';
import { adminRoute } from '../../src/http/admin';
import { Metrics } from '../../src/http/metrics';
import { startHttpServer } from '../../src/http/server';
import { testRedis, type TestRedis } from '../support/redis';

/** Bull Board at /admin/queues behind Basic credentials, on a real queue in the test Redis. */
const USER = 'ops';
const PASSWORD = 'correct horse battery staple';
let r: TestRedis;
let queue: Queue;
const lines: string[] = [];
const log = pino({ level: 'trace' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
const servers: { url: string; stop(): Promise<void> }[] = [];

async function serve(credentials?: { user: string; password: string }) {
  const metrics = new Metrics({ networks: async () => [], queues: async () => [] });
  const s = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics,
    ready: async () => ({ ok: true, checks: {} }),
    log,
    admin: adminRoute({ queues: [queue], ...(credentials ? { credentials } : {}), log }),
  });
  servers.push(s);
  return s.url;
}

before(async () => {
  r = testRedis();
  queue = new Queue('chain-poll', { connection: r.redis, prefix: `{${r.prefix}}` });
  await queue.add('poll', { network: 'x' });
});
after(async () => {
  for (const s of servers) await s.stop();
  await queue.close();
  await r.cleanup();
});

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

test('without credentials: 404 that says how to turn it on, logged once at start', async () => {
  const url = await serve();
  const res = await fetch(`${url}/admin/queues`);
  assert.equal(res.status, 404);
  assert.match(await res.text(), /Bull Board is off: set CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD/);
  await fetch(`${url}/admin/queues`);
  assert.equal(lines.filter((l) => l.includes('Bull Board is off')).length, 1);
});

test('with credentials: 401 and a Basic challenge without them, the board and its API with them', async () => {
  const url = await serve({ user: USER, password: PASSWORD });
  const anon = await fetch(`${url}/admin/queues`);
  assert.equal(anon.status, 401);
  assert.match(anon.headers.get('www-authenticate') ?? '', /^Basic realm="chainwatch admin"/);
  assert.equal((await fetch(`${url}/admin/queues`, { headers: basic(USER, 'wrong') })).status, 401);
  const page = await fetch(`${url}/admin/queues`, { headers: basic(USER, PASSWORD) });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<html/i);
  // Its script and style come from this server, under the same credentials.
  const asset = /src="(static\/js\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(asset, 'the board links its script');
  assert.equal((await fetch(`${url}/admin/queues/${asset}`, { headers: basic(USER, PASSWORD) })).status, 200);
  assert.equal((await fetch(`${url}/admin/queues/${asset}`)).status, 401);
  const api = await fetch(`${url}/admin/queues/api/queues`, { headers: basic(USER, PASSWORD) });
  assert.equal(api.status, 200);
  const body = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
  assert.deepEqual(
    body.queues.map((q) => q.name),
    ['chain-poll'],
  );
  assert.equal(body.queues[0]!.counts.waiting, 1);
  // Other paths stay on node:http; POSTs outside /admin are refused as before.
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  assert.equal((await fetch(`${url}/healthz`, { method: 'POST' })).status, 405);
  assert.ok(!lines.join('').includes(PASSWORD), 'the password never reaches a log');
  assert.ok(!lines.join('').includes(Buffer.from(`${USER}:${PASSWORD}`).toString('base64')));
});
