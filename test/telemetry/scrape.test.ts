/** scrapeNodeMemory against a local metrics endpoint: Reth and Geth text, limits, and every way a scrape fails. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LIMIT_METRICS, readMemory, RESIDENT_METRICS } from '../../src/telemetry/memory-metrics';
import { scrapeNodeMemory } from '../../src/telemetry/scrape';
import { startFakeNode, type FakeNode } from './fake-node';

const GiB = 2 ** 30;
let node: FakeNode;

before(async () => {
  node = await startFakeNode();
});
after(async () => {
  await node.stop();
});

const scrape = (path: string, extra: { memoryLimitBytes?: number; timeoutMs?: number; maxBytes?: number } = {}) =>
  scrapeNodeMemory({ endpoint: 'rpc-a', url: `${node.base}${path}?key=sk_secret`, timeoutMs: 1000, ...extra });

test('Reth text: resident memory rises scrape by scrape; the container limit is read, -1 is not a limit', async () => {
  let bytes = 10 * GiB;
  node.setMemory(() => (bytes += 0.5 * GiB));
  node.limit = 32 * GiB;
  const seen: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await scrape('/metrics');
    assert.ok(s.ok, JSON.stringify(s));
    assert.equal(s.residentMetric, 'reth_process_resident_memory_bytes');
    assert.equal(s.limitBytes, 32 * GiB);
    assert.equal(s.limitSource, 'container_spec_memory_limit_bytes');
    seen.push(s.residentBytes);
  }
  assert.deepEqual(seen, [10.5 * GiB, 11 * GiB, 11.5 * GiB]);
  node.limit = null;
  const noLimit = await scrape('/metrics');
  assert.ok(noLimit.ok);
  assert.equal(noLimit.limitBytes, null, 'process_virtual_memory_max_bytes -1 means unlimited');
  const configured = await scrape('/metrics', { memoryLimitBytes: 16 * GiB });
  assert.ok(configured.ok);
  assert.equal(configured.limitBytes, 16 * GiB);
  assert.equal(configured.limitSource, 'config');
});

test('Geth text: system_memory_used', async () => {
  node.setMemory(() => 6 * GiB);
  const s = await scrape('/debug/metrics/prometheus', { memoryLimitBytes: 16 * GiB });
  assert.ok(s.ok, JSON.stringify(s));
  assert.equal(s.residentMetric, 'system_memory_used');
  assert.equal(s.residentBytes, 6 * GiB);
});

test('failures are samples, not throws, and never quote the URL', async (t) => {
  const cases: [string, () => Promise<unknown>, string][] = [
    ['404', async () => void (node.mode = '404'), 'http'],
    ['html', async () => void (node.mode = 'html'), 'malformed'],
    ['hang', async () => void (node.mode = 'hang'), 'timeout'],
    ['huge', async () => void (node.mode = 'huge'), 'too_large'],
  ];
  for (const [name, arrange, kind] of cases) {
    await t.test(name, async () => {
      await arrange();
      const started = Date.now();
      const s = await scrape('/metrics', { timeoutMs: 500, maxBytes: 1024 * 1024 });
      assert.equal(s.ok, false);
      assert.equal(!s.ok && s.kind, kind, JSON.stringify(s));
      assert.ok(Date.now() - started < 3000);
      assert.ok(!JSON.stringify(s).includes('sk_secret') && !JSON.stringify(s).includes('127.0.0.1'), JSON.stringify(s));
    });
  }
  node.mode = 'ok';
  const closed = await scrapeNodeMemory({ endpoint: 'rpc-a', url: 'http://127.0.0.1:1/metrics?key=sk_secret', timeoutMs: 1000 });
  assert.equal(!closed.ok && closed.kind, 'unreachable');
  assert.ok(!JSON.stringify(closed).includes('sk_secret'));
});

test('readMemory: names read, garbage and hostile text', () => {
  assert.deepEqual(
    [...RESIDENT_METRICS],
    ['reth_process_resident_memory_bytes', 'process_resident_memory_bytes', 'reth_jemalloc_resident', 'system_memory_used'],
  );
  assert.deepEqual(
    [...LIMIT_METRICS],
    ['container_spec_memory_limit_bytes', 'node_memory_MemTotal_bytes', 'process_virtual_memory_max_bytes'],
  );
  const go = readMemory(
    '# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 1.5e+09\nnode_memory_MemTotal_bytes 6.4e+10\n',
  );
  assert.deepEqual(go, {
    ok: true,
    residentBytes: 1.5e9,
    residentMetric: 'process_resident_memory_bytes',
    limitBytes: 6.4e10,
    limitSource: 'node_memory_MemTotal_bytes',
  });
  // cgroup v1 "no limit" is 2^63 rounded down to a page; v2 exporters say 0.
  assert.equal(
    (
      readMemory('process_resident_memory_bytes 1e9\ncontainer_spec_memory_limit_bytes 9.223372036854772e+18\n') as {
        limitBytes: number | null;
      }
    ).limitBytes,
    null,
  );
  assert.equal(
    (readMemory('process_resident_memory_bytes 1e9\ncontainer_spec_memory_limit_bytes 0\n') as { limitBytes: number | null }).limitBytes,
    null,
  );
  for (const garbage of [
    '',
    '\u0000\u0001binary',
    '<html>502 Bad Gateway</html>',
    'process_resident_memory_bytes NaN',
    'process_resident_memory_bytes -5',
    '{{{{',
    'process_resident_memory_bytes{a="b} 1',
    'x'.repeat(100_000),
  ]) {
    const r = readMemory(garbage);
    assert.equal(r.ok, false, garbage.slice(0, 40));
  }
});
