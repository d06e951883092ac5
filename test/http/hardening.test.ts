/**
 * The HTTP surface against raw sockets (node:net), the way a hostile or broken client talks:
 * paths that normalise elsewhere (`/admin/../healthz`, `/admin/%2e%2e/metrics`), hundreds at
 * once, idle and slow sockets, a handler that never answers. Every request gets an answer and no
 * socket stays open past the server's timeouts.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, test } from 'node:test';
import pino from 'pino';
import { adminRoute } from '../../src/http/admin';
import { Metrics } from '../../src/http/metrics';
import { requestUrl, startHttpServer } from '../../src/http/server';
import type { Route } from '../../src/http/status/routes';

const log = pino({ level: 'silent' });
const servers: { stop(): Promise<void> }[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

/** Small limits so that a test sees each one act within a second. */
const LIMITS = { headersTimeoutMs: 400, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, responseTimeoutMs: 500, checkIntervalMs: 100 };

async function serve(opts: { credentials?: boolean; routes?: Route[] } = {}) {
  const metrics = new Metrics({ networks: async () => [], queues: async () => [] });
  const admin = adminRoute({ queues: [], ...(opts.credentials ? { credentials: { user: 'ops', password: 'pw' } } : {}), log });
  const s = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics,
    ready: async () => ({ ok: true, checks: {} }),
    log,
    admin,
    routes: opts.routes ?? [],
    limits: LIMITS,
  });
  servers.push(s);
  return { ...s, port: Number(new URL(s.url).port) };
}

interface RawResult {
  status: number | null;
  head: string;
  body: string;
  /** When the server closed the socket, ms after the request was written; null if it did not within the wait. */
  closedAfterMs: number | null;
  /** When the first byte of the answer came. */
  answeredAfterMs: number | null;
}

/** Writes `text` on a fresh socket; resolves once the socket closed or `waitMs` passed. */
function raw(port: number, text: string, waitMs = 3000): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let data = '';
    let answeredAfterMs: number | null = null;
    const started = Date.now();
    const done = (closedAfterMs: number | null) => {
      clearTimeout(timer);
      socket.destroy();
      const end = data.indexOf('\r\n\r\n');
      const head = end >= 0 ? data.slice(0, end) : data;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      resolve({ status: status ? Number(status) : null, head, body: end >= 0 ? data.slice(end + 4) : '', closedAfterMs, answeredAfterMs });
    };
    const timer = setTimeout(() => done(null), waitMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      answeredAfterMs ??= Date.now() - started;
      data += d;
    });
    socket.on('error', (err) => (data ? undefined : reject(err)));
    socket.on('close', () => done(Date.now() - started));
    if (text) socket.write(text);
  });
}

const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
const basic = `Authorization: Basic ${Buffer.from('ops:pw').toString('base64')}\r\n`;

test('requestUrl normalises dot segments, encoded dots and backslashes; //x stays a path', () => {
  assert.equal(requestUrl('/admin/../healthz')?.pathname, '/healthz');
  assert.equal(requestUrl('/admin/%2e%2e/metrics')?.pathname, '/metrics');
  assert.equal(requestUrl('/admin/%2E%2E/%2e%2e/readyz?x=1')?.pathname, '/readyz');
  assert.equal(requestUrl('/admin\\..\\healthz')?.pathname, '/healthz');
  assert.equal(requestUrl('//evil.example/admin/queues')?.pathname, '//evil.example/admin/queues');
  assert.equal(requestUrl('http://other.example/healthz?a=b')?.href, 'http://localhost/healthz?a=b');
  assert.equal(requestUrl('*'), null);
  assert.equal(requestUrl('healthz'), null);
});

test('paths that leave /admin are answered as the path they normalise to, with or without credentials', async () => {
  for (const credentials of [false, true]) {
    const { port } = await serve({ credentials });
    for (const auth of ['', basic]) {
      const healthz = await raw(port, get('/admin/../healthz', `${auth}Connection: close\r\n`));
      assert.equal(healthz.status, 200, `credentials=${credentials} auth=${!!auth}: ${healthz.head}`);
      assert.equal(healthz.body, 'ok\n');
      const metrics = await raw(port, get('/admin/%2e%2e/metrics', `${auth}Connection: close\r\n`));
      assert.equal(metrics.status, 200, metrics.head);
      assert.match(metrics.head, /content-type: text\/plain; version=0\.0\.4/i);
    }
    // And the other way round: a path that normalises into /admin meets the credentials check.
    const sneaky = await raw(port, get('/healthz/../admin/queues', 'Connection: close\r\n'));
    assert.equal(sneaky.status, credentials ? 401 : 404, sneaky.head);
  }
});

test('300 such requests at once: each answered, and each keep-alive socket closed by the server', async () => {
  const { port, server } = await serve({ credentials: true });
  const paths = ['/admin/../healthz', '/admin/%2e%2e/metrics', '/admin/./../readyz'];
  const results = await Promise.all(Array.from({ length: 300 }, (_, i) => raw(port, get(paths[i % 3]!), 5000)));
  const statuses = results.map((r) => r.status);
  assert.deepEqual([...new Set(statuses)], [200], `statuses: ${JSON.stringify(statuses.filter((s) => s !== 200).slice(0, 5))}`);
  const open = results.filter((r) => r.closedAfterMs === null).length;
  assert.equal(open, 0, `${open} sockets still open after 5 s`);
  // From the answer to the close: the keep-alive timeout (300 ms) plus a loaded machine's delays.
  const idle = Math.max(...results.map((r) => r.closedAfterMs! - r.answeredAfterMs!));
  assert.ok(idle < 2000, `idle keep-alive sockets closed within the keep-alive timeout: slowest ${idle} ms after its answer`);
  const connections = await new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
  assert.equal(connections, 0);
});

test('a socket that sends nothing, or its headers slowly, is closed with 408; a bad target gets 400', async () => {
  const { port } = await serve();
  const idle = await raw(port, '', 3000);
  assert.notEqual(idle.closedAfterMs, null, 'an idle socket is closed');
  assert.ok(idle.closedAfterMs! < 2000, `idle closed after ${idle.closedAfterMs} ms`);

  const slow = await raw(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 3000);
  assert.equal(slow.status, 408, slow.head);
  assert.ok(slow.closedAfterMs !== null && slow.closedAfterMs < 2000, `slow headers closed after ${slow.closedAfterMs} ms`);

  const star = await raw(port, 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert.equal(star.status, 400, star.head);
  const garbage = await raw(port, 'HELLO\r\n\r\n');
  assert.equal(garbage.status, 400, garbage.head);
});

test('a route that never answers: 503 at the response deadline, socket released', async () => {
  const hang: Route = (_req, _res, url) => (url.pathname === '/hang' ? new Promise<boolean>(() => {}) : false);
  const { port } = await serve({ routes: [hang] });
  const r = await raw(port, get('/hang', 'Connection: close\r\n'), 3000);
  assert.equal(r.status, 503, r.head);
  assert.ok(
    r.closedAfterMs !== null && r.closedAfterMs >= LIMITS.responseTimeoutMs - 50 && r.closedAfterMs < 2000,
    `${r.closedAfterMs} ms`,
  );
});

test('security headers on every response, no X-Powered-By; write methods outside /admin are 405', async () => {
  const { port } = await serve({ credentials: true });
  for (const path of ['/healthz', '/metrics', '/readyz', '/nope', '/admin/queues']) {
    const r = await raw(port, get(path, 'Connection: close\r\n'));
    assert.ok(r.status !== null, path);
    const h = r.head.toLowerCase();
    assert.match(h, /\r\nx-content-type-options: nosniff/, path);
    assert.match(h, /\r\nx-frame-options: deny/, path);
    assert.match(h, /\r\nreferrer-policy: no-referrer/, path);
    assert.match(h, /\r\ncontent-security-policy: [^\r]*frame-ancestors 'none'/, path);
    assert.doesNotMatch(h, /x-powered-by/, path);
  }
  const post = await raw(port, 'POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi');
  assert.equal(post.status, 405);
  assert.match(post.head.toLowerCase(), /\r\nallow: get, head/);
});
