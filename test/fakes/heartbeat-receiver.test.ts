import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHeartbeatReceiver, type HeartbeatReceiver } from '../support/heartbeat-receiver';

const UUID = '5f1c9a0e-3b7d-4c2a-9e61-0d8f2b4a7c15';
const RID = '0c4e3f1a-8b2d-4e6f-a1c3-5d7e9f0b2a4c';

let now = 1_750_000_000_000;
let rx: HeartbeatReceiver;

before(async () => {
  rx = await startHeartbeatReceiver({ clock: () => now });
});
after(async () => {
  await rx?.close();
});
beforeEach(() => rx.reset());

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(rx.url + path, { signal: AbortSignal.timeout(3_000), ...init });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('healthchecks.io pinging API', { timeout: 10_000 }, () => {
  test('success, start, fail and log on GET/POST/HEAD answer 200 "OK" and are recorded', async () => {
    now = 1_750_000_000_000;
    assert.deepEqual(await call(`/ping/${UUID}/start`), { status: 200, type: 'text/plain; charset=utf-8', text: 'OK' });
    now += 1_500;
    const post = await call(`/ping/${UUID}/fail`, { method: 'POST', body: 'backup failed: disk full' });
    assert.equal(post.text, 'OK');
    now += 1_500;
    const head = await call(`/ping/${UUID}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '', 'HEAD has no body');
    await call(`/ping/${UUID}/log`, { method: 'POST', body: 'progress 50%' });

    const pings = rx.pings;
    assert.deepEqual(
      pings.map((p) => [p.kind, p.method, p.path, p.body, p.provider, p.token]),
      [
        ['start', 'GET', `/ping/${UUID}/start`, '', 'healthchecks', UUID],
        ['fail', 'POST', `/ping/${UUID}/fail`, 'backup failed: disk full', 'healthchecks', UUID],
        ['success', 'HEAD', `/ping/${UUID}`, '', 'healthchecks', UUID],
        ['log', 'POST', `/ping/${UUID}/log`, 'progress 50%', 'healthchecks', UUID],
      ],
    );
    assert.deepEqual(
      pings.slice(0, 3).map((p) => p.at),
      [1_750_000_000_000, 1_750_000_001_500, 1_750_000_003_000],
    );
  });

  test('exit status: 0 success, 1..255 fail, above 255 rejected', async () => {
    await call(`/ping/${UUID}/0`);
    await call(`/ping/${UUID}/7`);
    const bad = await call(`/ping/${UUID}/256`);
    assert.deepEqual([bad.status, bad.text], [400, 'invalid url format']);
    assert.deepEqual(
      rx.pings.map((p) => [p.kind, p.exitStatus]),
      [
        ['success', 0],
        ['fail', 7],
      ],
    );
  });

  test('rid must be a UUID; slug URLs work; junk paths are 404', async () => {
    assert.equal((await call(`/ping/${UUID}/start?rid=${RID}`)).status, 200);
    assert.deepEqual(await call(`/ping/${UUID}?rid=nope`), { status: 400, type: 'text/plain; charset=utf-8', text: 'invalid uuid format' });
    assert.equal((await call('/ping/fqOOd6-F4MMNuCEnzTU01w/nightly-backup/fail')).status, 200);
    assert.equal((await call('/ping/not-a-uuid')).status, 404);
    assert.equal((await call(`/ping/${UUID}/bogus`)).status, 404);
    assert.equal((await call(`/ping/${UUID}`, { method: 'PUT' })).status, 405);
    assert.deepEqual(
      rx.pings.map((p) => [p.kind, p.token, p.rid]),
      [
        ['start', UUID, RID],
        ['fail', 'fqOOd6-F4MMNuCEnzTU01w/nightly-backup', undefined],
      ],
    );
  });

  test('keeps the first 100 kB of a body', async () => {
    await call(`/ping/${UUID}`, { method: 'POST', body: 'x'.repeat(150_000) });
    assert.equal(rx.pings[0]?.body.length, 100_000);
  });
});

describe('Uptime Kuma push URLs', { timeout: 10_000 }, () => {
  test('status=up is a success, anything else a fail; msg and ping are kept', async () => {
    const up = await call('/api/push/Kx9pQ2?status=up&msg=OK&ping=');
    assert.deepEqual(up, { status: 200, type: 'application/json; charset=utf-8', text: '{"ok":true}' });
    await call('/api/push/Kx9pQ2?status=down&msg=rpc%20stalled&ping=42', { method: 'POST' });
    await call('/api/push/Kx9pQ2');
    await call('/api/push/Kx9pQ2?status=UP'); // Kuma compares with "up" exactly: anything else is down
    assert.deepEqual(
      rx.pings.map((p) => [p.provider, p.kind, p.msg, p.ping, p.method, p.token]),
      [
        ['uptime-kuma', 'success', 'OK', null, 'GET', 'Kx9pQ2'],
        ['uptime-kuma', 'fail', 'rpc stalled', 42, 'POST', 'Kx9pQ2'],
        ['uptime-kuma', 'success', 'OK', null, 'GET', 'Kx9pQ2'],
        ['uptime-kuma', 'fail', 'OK', null, 'GET', 'Kx9pQ2'],
      ],
    );
    assert.deepEqual(rx.pings[1]?.query, { status: 'down', msg: 'rpc stalled', ping: '42' });
  });

  test('a bad ping value is a 400 like Kuma answers', async () => {
    const res = await call('/api/push/Kx9pQ2?status=up&ping=abc');
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.text), { ok: false, msg: "Invalid ping value: 'abc' is not a valid number" });
    assert.equal(rx.pings.length, 0);
  });
});

describe('Better Stack heartbeat URLs', { timeout: 10_000 }, () => {
  test('plain URL is a success, /fail and a non-zero exit code are failures', async () => {
    assert.equal((await call('/api/v1/heartbeat/bs7Yt2kQ')).status, 200);
    await call('/api/v1/heartbeat/bs7Yt2kQ/fail', { method: 'POST', body: 'pg_dump: error' });
    await call('/api/v1/heartbeat/bs7Yt2kQ/2', { method: 'POST', body: 'exit 2' });
    await call('/api/v1/heartbeat/bs7Yt2kQ/0');
    assert.deepEqual(
      rx.pings.map((p) => [p.provider, p.kind, p.exitStatus, p.body]),
      [
        ['betterstack', 'success', undefined, ''],
        ['betterstack', 'fail', undefined, 'pg_dump: error'],
        ['betterstack', 'fail', 2, 'exit 2'],
        ['betterstack', 'success', 0, ''],
      ],
    );
    assert.equal((await call('/api/v1/heartbeat/bs7Yt2kQ/nope')).status, 404);
  });
});

describe('faults for retry tests', { timeout: 10_000 }, () => {
  /** A sender that retries up to `attempts` times, as a product would. */
  async function sendWithRetries(path: string, attempts: number, timeoutMs = 3_000): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < attempts; i++) {
      try {
        const res = await fetch(rx.url + path, { signal: AbortSignal.timeout(timeoutMs) });
        await res.text();
        seen.push(res.status);
        if (res.ok) break;
      } catch {
        seen.push(0);
      }
    }
    return seen;
  }

  test('failNext(500, 2): two failures, then the retry lands', async () => {
    rx.failNext(500, 2);
    assert.deepEqual(await sendWithRetries(`/ping/${UUID}`, 5), [500, 500, 200]);
    assert.deepEqual(
      rx.pings.map((p) => p.answered),
      [500, 500, 200],
    );
    assert.equal(rx.accepted.length, 1);
  });

  test("failNext('hang'): the first attempt times out, the next one lands", async () => {
    rx.failNext('hang');
    const t0 = Date.now();
    assert.deepEqual(await sendWithRetries('/api/push/Kx9pQ2?status=up', 3, 300), [0, 200]);
    assert.ok(Date.now() - t0 < 2_000);
    assert.deepEqual(
      rx.pings.map((p) => p.answered),
      ['hang', 200],
    );
  });

  test('setFailure(503) holds until cleared', async () => {
    rx.setFailure(503);
    assert.deepEqual(await sendWithRetries('/api/v1/heartbeat/bs7Yt2kQ', 3), [503, 503, 503]);
    rx.setFailure(null);
    assert.deepEqual(await sendWithRetries('/api/v1/heartbeat/bs7Yt2kQ', 3), [200]);
    assert.equal(rx.accepted.length, 1);
  });

  test('waitForPings resolves on arrival and rejects on time-out', async () => {
    const waiting = rx.waitForPings(2, 2_000);
    void call(`/ping/${UUID}/start`).then(() => call(`/ping/${UUID}`));
    const got = await waiting;
    assert.deepEqual(
      got.map((p) => p.kind),
      ['start', 'success'],
    );
    await assert.rejects(rx.waitForPings(5, 100), /waited 100 ms for 5 pings, got 2/);
  });

  test('unknown tokens when knownTokens is set; close() ends a hanging ping', async () => {
    const strict = await startHeartbeatReceiver({ knownTokens: [UUID, 'Kx9pQ2'] });
    const get = (p: string) => fetch(strict.url + p, { signal: AbortSignal.timeout(3_000) });
    assert.equal((await get(`/ping/${UUID}`)).status, 200);
    const other = await get('/ping/00000000-0000-4000-8000-000000000000');
    assert.deepEqual([other.status, await other.text()], [404, 'not found']);
    const kuma = await get('/api/push/unknown?status=up');
    assert.deepEqual([kuma.status, await kuma.json()], [500, { ok: false, msg: 'Monitor not found or not active.' }]);
    assert.deepEqual(
      strict.pings.map((p) => p.token),
      [UUID],
    );

    strict.failNext('hang');
    const hanging = fetch(`${strict.url}/ping/${UUID}`, { signal: AbortSignal.timeout(10_000) });
    await strict.waitForPings(2, 2_000);
    const t0 = Date.now();
    await strict.close();
    await assert.rejects(hanging);
    assert.ok(Date.now() - t0 < 1_000);
  });
});
