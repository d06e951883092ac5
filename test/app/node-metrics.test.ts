/** The node-telemetry gauges on /metrics, fed as the scrape job would feed them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from '../../src/http/metrics';
import { nodeMetrics } from '../../src/app/node-metrics';
import type { NodeState } from '../../src/engine/node-memory';
import { testNetwork } from '../support/network';

test('resident and limit bytes, predicted seconds to OOM, scrapes by result', async () => {
  const metrics = new Metrics({ networks: async () => [], queues: async () => [] });
  const feed = nodeMetrics(metrics);
  const network = testNetwork({ name: 'megaeth' });
  const state = { endpoints: { 'rpc-a': { last: { oomInMs: 2_400_000 } } } } as unknown as NodeState;
  feed(
    network,
    [
      {
        ok: true,
        endpoint: 'rpc-a',
        observedAt: 0,
        latencyMs: 3,
        residentBytes: 29e9,
        residentMetric: 'process_resident_memory_bytes',
        limitBytes: 32e9,
        limitSource: 'config',
      },
      { ok: false, endpoint: 'rpc-b', observedAt: 0, latencyMs: 1000, kind: 'timeout', message: 'scrape timed out' },
    ],
    state,
  );
  const text = await metrics.registry.metrics();
  assert.match(text, /chainwatch_node_memory_bytes\{network="megaeth",endpoint="rpc-a",kind="resident"\} 29000000000/);
  assert.match(text, /chainwatch_node_memory_bytes\{network="megaeth",endpoint="rpc-a",kind="limit"\} 32000000000/);
  assert.match(text, /chainwatch_node_oom_predicted_seconds\{network="megaeth",endpoint="rpc-a"\} 2400/);
  assert.match(text, /chainwatch_node_scrapes_total\{network="megaeth",endpoint="rpc-b",result="timeout"\} 1/);
  feed(
    network,
    [
      {
        ok: true,
        endpoint: 'rpc-a',
        observedAt: 1,
        latencyMs: 3,
        residentBytes: 10e9,
        residentMetric: 'x',
        limitBytes: 32e9,
        limitSource: 'config',
      },
    ],
    { endpoints: {} },
  );
  assert.doesNotMatch(await metrics.registry.metrics(), /chainwatch_node_oom_predicted_seconds\{/, 'no prediction once not rising');
});
