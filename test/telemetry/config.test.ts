/** `endpoints[].metrics` and `minClientVersion`: defaults, strict keys, clear errors, no URL in any message. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config';
import { formatBytes, parseBytes } from '../../src/util/bytes';

function issuesOf(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return assert.fail('expected a ConfigError');
}

const withEndpoint = (endpoint: string, network = '') => `
networks:
  - name: megaeth
    chainId: 6342
    blockTime: 1s
    endpoints:
      - ${endpoint}
${network}`;

test('metrics: defaults, sizes and shares as people write them', () => {
  const config = parseConfig(
    withEndpoint(
      '{ label: rpc-a, url: "http://127.0.0.1:8545", metrics: { url: "http://127.0.0.1:9001/metrics", memoryLimit: 32GiB, process: op-reth } }',
      '    minClientVersion: { op-reth: "1.3", Geth: v1.14.8 }',
    ),
    {},
  );
  const [net] = config.networks;
  assert.deepEqual(net!.endpoints[0]!.metrics, {
    url: 'http://127.0.0.1:9001/metrics',
    memoryLimitBytes: 32 * 2 ** 30,
    scrapeEveryMs: 15_000,
    process: 'op-reth',
    warnWithinMs: 3_600_000,
    highWatermark: 0.9,
    lowWatermark: 0.8,
  });
  assert.deepEqual(net!.minClientVersion, { 'op-reth': '1.3.0', geth: '1.14.8' });

  const custom = parseConfig(
    withEndpoint(
      '{ label: rpc-a, url: "http://127.0.0.1:8545", metrics: { url: "https://node/metrics", memoryLimit: 17179869184, scrapeEvery: 5s, warnWithin: 2h, highWatermark: "85%", lowWatermark: 0.7 }, minClientVersion: "1.7.0" }',
    ),
    {},
  ).networks[0]!.endpoints[0]!;
  assert.equal(custom.metrics?.memoryLimitBytes, 16 * 2 ** 30);
  assert.equal(custom.metrics?.scrapeEveryMs, 5000);
  assert.equal(custom.metrics?.warnWithinMs, 7_200_000);
  assert.equal(custom.metrics?.highWatermark, 0.85);
  assert.equal(custom.metrics?.lowWatermark, 0.7);
  assert.deepEqual(custom.minClientVersion, { '*': '1.7.0' });
});

test('metrics: unknown keys and bad values are named by key path', () => {
  assert.deepEqual(
    issuesOf(
      withEndpoint(
        '{ label: rpc-a, url: "http://127.0.0.1:8545", metrics: { url: "ftp://x/metrics", memoryLimit: 32 parsecs, scrapeEvery: 10ms, proces: reth, highWatermark: 1.5, warnWithin: 5s } }',
      ),
    ),
    [
      'networks[0].endpoints[0].metrics.url: protocol must be http(s)',
      'networks[0].endpoints[0].metrics.memoryLimit: not a memory size: bytes, or e.g. "32GiB", "512MiB"',
      'networks[0].endpoints[0].metrics.scrapeEvery: must be at least 1s',
      'networks[0].endpoints[0].metrics.proces: unknown key (did you mean "process"?)',
      'networks[0].endpoints[0].metrics.highWatermark: must be a share of the limit above 0 and below 1, e.g. 0.9 or "90%"',
      'networks[0].endpoints[0].metrics.warnWithin: must be at least 1m',
    ],
  );
  assert.deepEqual(issuesOf(withEndpoint('{ label: rpc-a, url: "http://127.0.0.1:8545", metrics: { memoryLimit: 1GiB } }')), [
    'networks[0].endpoints[0].metrics.url: required',
  ]);
  assert.deepEqual(
    issuesOf(
      withEndpoint('{ label: rpc-a, url: "http://127.0.0.1:8545", metrics: { url: "http://n/m", highWatermark: 0.7, lowWatermark: 0.8 } }'),
    ),
    ['networks[0].endpoints[0].metrics.lowWatermark: must be below highWatermark'],
  );
  assert.deepEqual(issuesOf(withEndpoint('{ label: rpc-a, url: "http://127.0.0.1:8545" }', '    minClientVersion: latest')), [
    'networks[0].minClientVersion: not a version ("latest"): write e.g. "1.3.0"',
  ]);
});

test('a metrics URL from the environment never appears in an error', () => {
  const secret = 'http://user:hunter2@node.internal:9001/metrics?key=sk_live_123';
  const issues = issuesOf(
    withEndpoint('{ label: rpc-a, url: "http://127.0.0.1:8545", metrics: { url: "${METRICS_URL}", memoryLimit: lots } }'),
    { METRICS_URL: secret },
  );
  assert.equal(issues.length, 1);
  for (const i of issues) assert.ok(!i.includes('hunter2') && !i.includes('sk_live'), i);
});

test('sizes: parse and format', () => {
  assert.equal(parseBytes('32GiB'), 32 * 2 ** 30);
  assert.equal(parseBytes('32 Gi'), 32 * 2 ** 30);
  assert.equal(parseBytes('512MB'), 512e6);
  assert.equal(parseBytes(1024), 1024);
  assert.equal(parseBytes('1.5 GiB'), 1.5 * 2 ** 30);
  for (const bad of ['', 'GiB', '-1GiB', '32 parsecs', 0, -5, null, '1e9']) assert.equal(parseBytes(bad), undefined, String(bad));
  assert.equal(formatBytes(32 * 2 ** 30), '32 GiB');
  assert.equal(formatBytes(1.4 * 2 ** 30), '1.4 GiB');
  assert.equal(formatBytes(300 * 2 ** 20), '300 MiB');
  assert.equal(formatBytes(512), '512 B');
});
