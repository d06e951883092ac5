/**
 * `metrics.url` with `user:pass@`: sent as HTTP Basic auth, as Prometheus does (fetch refuses a
 * URL carrying credentials, so every such scrape used to fail), never put in a sample's message,
 * and not carried along a redirect.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { scrapeNodeMemory, scrapeRequest } from '../../src/telemetry/scrape';
import { rethText } from './fake-node';

const GiB = 2 ** 30;
const seen: { path: string; authorization: string | undefined }[] = [];
const server = createServer((req, res) => {
  seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
  if (req.url === '/moved') {
    res.writeHead(302, { location: '/metrics' });
    return res.end();
  }
  const expected = `Basic ${Buffer.from('scraper:p@ss:w%rd é').toString('base64')}`;
  if (req.headers.authorization !== expected) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="node"' });
    return res.end('unauthorized');
  }
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(rethText(12 * GiB, 32 * GiB));
});
let base = '';

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

// `@`, `:` and `%` in a password are percent-encoded in a URL, as they must be.
const secretUrl = (path: string, password = 'p%40ss%3Aw%25rd%20%C3%A9') => `http://scraper:${password}@${base}${path}`;

test('credentials in the URL are sent as Basic auth, and the URL fetched carries none', async () => {
  const req = scrapeRequest(secretUrl('/metrics'));
  assert.equal(req.url, `http://${base}/metrics`);
  assert.equal(Buffer.from(req.headers.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8'), 'scraper:p@ss:w%rd é');
  assert.deepEqual(scrapeRequest(`http://${base}/metrics`).headers.authorization, undefined, 'no credentials, no header');

  const s = await scrapeNodeMemory({ endpoint: 'rpc-a', url: secretUrl('/metrics'), timeoutMs: 2000 });
  assert.ok(s.ok, JSON.stringify(s));
  assert.equal(s.residentBytes, 12 * GiB);
  assert.equal(s.limitBytes, 32 * GiB);
});

test('a wrong password is an http 401 failure whose message holds neither the password nor the URL', async () => {
  const s = await scrapeNodeMemory({ endpoint: 'rpc-a', url: secretUrl('/metrics', 'hunter2-wrong'), timeoutMs: 2000 });
  assert.equal(s.ok, false);
  assert.equal(!s.ok && s.kind, 'http');
  assert.equal(!s.ok && s.status, 401);
  assert.doesNotMatch(JSON.stringify(s), /hunter2|scraper|127\.0\.0\.1/);
});

test('with credentials a redirect is not followed (the password stays where it was meant to go)', async () => {
  seen.length = 0;
  const s = await scrapeNodeMemory({ endpoint: 'rpc-a', url: secretUrl('/moved'), timeoutMs: 2000 });
  assert.equal(s.ok, false);
  assert.equal(!s.ok && s.status, 302);
  assert.deepEqual(
    seen.map((r) => r.path),
    ['/moved'],
  );
});
