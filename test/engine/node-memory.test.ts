/** Node telemetry through the correlator, pure and in simulated time, as the live job and replay run it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Network } from '../../src/config/network';
import { step, initialNetworkState, type NetworkState } from '../../src/engine';
import type { IncidentEvent, NodeSample } from '../../src/model';
import { dueEndpoints } from '../../src/engine/node-memory';
import { testNetwork } from '../support/network';

const GiB = 2 ** 30;
const LIMIT = 32 * GiB;
const T0 = Date.parse('2025-03-07T12:00:00Z');
const EVERY = 15_000;

const metrics = {
  url: 'http://127.0.0.1:1/metrics',
  scrapeEveryMs: EVERY,
  process: 'op-reth',
  warnWithinMs: 3_600_000,
  highWatermark: 0.9,
  lowWatermark: 0.8,
  memoryLimitBytes: LIMIT,
};
const network: Network = testNetwork({
  name: 'megaeth',
  endpoints: [
    { label: 'rpc-a', url: 'http://127.0.0.1:1/a', metrics },
    { label: 'rpc-b', url: 'http://127.0.0.1:1/b' },
  ],
  thresholds: { resolveAfterMs: 60_000 },
});

const ok = (t: number, bytes: number): NodeSample => ({
  ok: true,
  endpoint: 'rpc-a',
  observedAt: t,
  latencyMs: 5,
  residentBytes: bytes,
  residentMetric: 'reth_process_resident_memory_bytes',
  limitBytes: LIMIT,
  limitSource: 'config',
});
const failed = (t: number): NodeSample => ({
  ok: false,
  endpoint: 'rpc-a',
  observedAt: t,
  latencyMs: 1000,
  kind: 'timeout',
  message: 'scrape timed out',
});

function feed(
  state: NetworkState,
  from: number,
  to: number,
  sample: (i: number, t: number) => NodeSample | null,
  events: IncidentEvent[],
): NetworkState {
  for (let i = from; i < to; i++) {
    const t = T0 + i * EVERY;
    const s = sample(i, t);
    const result = step(state, { type: 'node', samples: s ? [s] : [] }, network, t);
    events.push(...result.events);
    state = result.state;
  }
  return state;
}

test('a leak opens "Node rpc-a running out of memory" with the numbers, and a restart resolves it', () => {
  const events: IncidentEvent[] = [];
  // 89 % of 32 GiB, +1.4 GiB/h: rising past the 90 % watermark, full in about 2 h.
  let state = feed(initialNetworkState(), 0, 70, (i, t) => ok(t, 0.89 * LIMIT + (i * 1.4 * GiB) / 240), events);
  const opened = events.find((e) => e.type === 'opened');
  assert.ok(opened, 'opened');
  assert.equal(opened.kind, 'memory_pressure');
  assert.equal(opened.title, 'Node rpc-a running out of memory');
  assert.equal(opened.text, 'Node rpc-a running out of memory. op-reth on rpc-a: 90% of 32 GiB, +1.4 GiB/h, out of memory in about 2 h.');
  assert.equal(opened.severity, 'minor');
  assert.equal(opened.details?.endpoint, 'rpc-a');
  assert.equal(opened.details?.limitSource, 'config');
  // A chain poll says nothing about node conditions.
  const poll = step(state, { type: 'poll', samples: [] }, network, T0 + 70 * EVERY);
  assert.ok(poll.state.corr.conditions['memory_pressure:rpc-a']);
  // Restart: back to 30 %.
  state = feed(state, 70, 90, (_i, t) => ok(t, 0.3 * LIMIT), events);
  assert.deepEqual(
    events.map((e) => e.type),
    ['opened', 'recovered', 'resolved'],
  );
  assert.equal(state.node?.endpoints['rpc-a']?.active, false);
});

test('a fast leak is major: out of memory within 15 minutes', () => {
  const events: IncidentEvent[] = [];
  feed(initialNetworkState(), 0, 40, (i, t) => ok(t, LIMIT * (0.5 + 0.01 * i)), events);
  const opened = events.find((e) => e.type === 'opened');
  assert.equal(opened?.severity, 'major');
  assert.match(opened?.text ?? '', /out of memory in about \d+ min\.$/);
});

test('a node that stops answering keeps its alarm for five minutes, then chain polls let it go', () => {
  const events: IncidentEvent[] = [];
  let state = feed(initialNetworkState(), 0, 40, (i, t) => ok(t, LIMIT * (0.8 + 0.003 * i)), events);
  assert.ok(state.node?.endpoints['rpc-a']?.active);
  // The node crashed: scrapes time out. The alarm holds (and says so) for 5 min.
  state = feed(state, 40, 45, (_i, t) => failed(t), events);
  assert.match(state.corr.conditions['memory_pressure:rpc-a']!.summary, /metrics not answering for \d+ s/);
  assert.equal(state.node?.endpoints['rpc-a']?.failures, 5);
  // Only chain polls from here on (a dead telemetry job): the alarm still expires.
  const lastOk = T0 + 39 * EVERY;
  const result = step(state, { type: 'poll', samples: [] }, network, lastOk + 5 * 60_000 + 1000);
  assert.equal(result.state.node?.endpoints['rpc-a']?.active, false);
  assert.equal(result.state.corr.conditions['memory_pressure:rpc-a'], undefined);
});

test('metrics dropped from the config: the node state and its alarm go with it', () => {
  const events: IncidentEvent[] = [];
  const state = feed(initialNetworkState(), 0, 40, (i, t) => ok(t, LIMIT * (0.8 + 0.003 * i)), events);
  assert.ok(state.corr.conditions['memory_pressure:rpc-a']);
  const without = testNetwork({ name: 'megaeth', endpoints: network.endpoints.map(({ metrics: _m, ...ep }) => ep) });
  const result = step(state, { type: 'poll', samples: [] }, without, T0 + 41 * EVERY);
  assert.deepEqual(result.state.node?.endpoints, {});
  assert.equal(result.state.corr.conditions['memory_pressure:rpc-a'], undefined);
});

test('flat memory at 70 % for a day: nothing; endpoints come due by their own scrapeEvery', () => {
  const events: IncidentEvent[] = [];
  const state = feed(initialNetworkState(), 0, 400, (i, t) => ok(t, LIMIT * 0.7 + (i % 7) * 2 ** 20), events);
  assert.deepEqual(events, []);
  assert.ok(JSON.stringify(state.node).length < 8000, `node state ${JSON.stringify(state.node).length} bytes`);
  const last = T0 + 399 * EVERY;
  assert.deepEqual(
    dueEndpoints(state.node, network, last + 5000).map((e) => e.label),
    [],
  );
  assert.deepEqual(
    dueEndpoints(state.node, network, last + EVERY - 1000).map((e) => e.label),
    ['rpc-a'],
  );
  assert.deepEqual(
    dueEndpoints(undefined, network, last).map((e) => e.label),
    ['rpc-a'],
  );
});
