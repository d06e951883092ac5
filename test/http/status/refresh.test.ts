/**
 * `?refresh=<seconds>` is bounded (5 s to 10 min, clamped): a shared link with
 * `?refresh=3000000` used to make every visitor's tab fetch about 40 times a second, because
 * `setTimeout` past 2^31 ms fires at once. Checked in the page the server renders and in the
 * inline script itself, run here against a stub document.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { Metrics } from '../../../src/http/metrics';
import { startHttpServer } from '../../../src/http/server';
import { statusSite } from '../../../src/http/status/routes';
import type { StatusSource } from '../../../src/http/status/source';
import { page, REFRESH_SECONDS, refreshSeconds } from '../../../src/http/status/layout';
import { overviewPage } from '../../../src/http/status/pages';
import { overview } from './fixtures';

const site = { title: 'Chains', base: '' };

test('refreshSeconds: clamped into 5 s – 10 min; garbage is the default', () => {
  assert.deepEqual(REFRESH_SECONDS, { default: 15, min: 5, max: 600 });
  const cases: [string | null, number][] = [
    [null, 15],
    ['', 15],
    ['abc', 15],
    ['30', 30],
    ['1', 5],
    ['0', 5],
    ['-20', 5],
    ['3000000', 600],
    ['1e400', 600],
    ['Infinity', 600],
    ['12.5', 12.5],
  ];
  for (const [raw, expected] of cases) assert.equal(refreshSeconds(raw), expected, String(raw));
});

test('the page carries the clamped period and says it', () => {
  for (const [given, shown] of [
    [3_000_000, 600],
    [1, 5],
    [undefined, 15],
  ] as const) {
    const html = page({ ...overviewPage(overview(), site), ...(given !== undefined ? { refreshSeconds: given } : {}) });
    assert.match(html, new RegExp(`<main data-refresh="${shown}">`));
    assert.match(html, new RegExp(`refreshes itself every ${shown} s`));
  }
});

/** Runs the page's own inline script against a stub DOM; returns the delays it asked setTimeout for. */
function refreshDelays(html: string, dataRefresh: string | undefined): number[] {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  const delays: number[] = [];
  const main = {
    dataset: dataRefresh === undefined ? {} : { refresh: dataRefresh },
    querySelector: () => null,
    querySelectorAll: () => [],
  };
  runInNewContext(script, {
    document: { querySelector: (s: string) => (s === 'main' ? main : null) },
    location: { search: '?refresh=3000000', href: 'http://localhost/?refresh=3000000' },
    URLSearchParams,
    setTimeout: (_fn: unknown, ms: number) => delays.push(ms),
    setInterval: () => 0,
    Date,
  });
  return delays;
}

test('the inline script clamps whatever it finds, whatever the URL says', () => {
  const html = page(overviewPage(overview(), site));
  assert.deepEqual(refreshDelays(html, '3000000'), [600_000]);
  assert.deepEqual(refreshDelays(html, '0.001'), [5_000]);
  assert.deepEqual(refreshDelays(html, 'x'), [15_000]);
  assert.deepEqual(refreshDelays(html, undefined), [15_000], 'the ?refresh in the URL is read by the server, never raw by the script');
  assert.deepEqual(refreshDelays(html, '60'), [60_000]);
});

test('over HTTP: /?refresh=3000000 is served with the clamped period', async () => {
  const source = { overview: async () => overview(), findNetwork: () => undefined, now: () => overview().now } as unknown as StatusSource;
  const log = pino({ level: 'silent' });
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics: new Metrics({ networks: async () => [], queues: async () => [] }),
    ready: async () => ({ ok: true, checks: {} }),
    log,
    routes: [statusSite({ source, title: 'Chains', log })],
  });
  try {
    const res = await fetch(`${server.url}/?refresh=3000000`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<main data-refresh="600">/);
    assert.match(await (await fetch(`${server.url}/?refresh=1`)).text(), /<main data-refresh="5">/);
  } finally {
    await server.stop();
  }
});
