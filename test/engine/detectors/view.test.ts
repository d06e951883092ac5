import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainView, initialChainState } from '../../../src/engine/detectors';
import { T0, advancingPolls, blockHash, failSample, makeNetwork, okSample, run } from './builders';

test('an empty state shows nothing known', () => {
  const network = makeNetwork();
  assert.deepEqual(chainView(initialChainState(), network, T0), {
    head: null,
    lastAdvanceAt: null,
    blockIntervalMs: null,
    safeLag: null,
    endpoints: [
      { label: 'rpc-a', status: 'unknown', number: null, failures: 0, lastError: null, latencyMs: null, observedAt: null },
      { label: 'rpc-b', status: 'unknown', number: null, failures: 0, lastError: null, latencyMs: null, observedAt: null },
    ],
    // Nothing learnt yet: the configured stall and block time.
    learnt: {
      stallMs: 30_000,
      stallSource: 'default',
      stallSamples: 0,
      stallMinSamples: 300,
      stallMinSamplesToTighten: 3_000,
      expectedBlockMs: 1_000,
      blockSource: 'default',
      throughput: { kind: 'learning', usualPerBlock: null, recentPerBlock: null },
    },
  });
});

test('endpoint statuses: ok, lagging, stuck, down, unknown', () => {
  const network = makeNetwork({
    endpoints: ['ok', 'behind', 'stuck', 'down', 'flaky'],
    thresholds: { endpointLagBlocks: 30, endpointStuckMs: 20_000, endpointDownFailures: 3, safeLagBlocks: 5 },
  });
  const batches = Array.from({ length: 30 }, (_, i) => {
    const now = T0 + i * 1_000;
    return {
      now,
      samples: [
        okSample('ok', 100 + i, now, { safe: 90 + i }),
        okSample('behind', 65 + i, now),
        okSample('stuck', Math.min(100 + i, 105), now),
        failSample('down', now, 'http', { status: 503 }),
        i === 29 ? failSample('flaky', now) : okSample('flaky', 100 + i, now),
      ],
    };
  });
  const { state } = run(network, batches);
  const now = T0 + 29_000;
  const view = chainView(state, network, now);
  assert.deepEqual(view.head, { number: 129, hash: blockHash(129), timestamp: now / 1000, observedAt: now });
  assert.equal(view.lastAdvanceAt, now);
  assert.equal(view.blockIntervalMs, 1_000);
  assert.equal(view.safeLag, 10);
  const byLabel = Object.fromEntries(view.endpoints.map((e) => [e.label, e]));
  assert.equal(byLabel.ok!.status, 'ok');
  assert.equal(byLabel.ok!.latencyMs, 40);
  assert.equal(byLabel.behind!.status, 'lagging');
  assert.equal(byLabel.stuck!.status, 'stuck');
  assert.equal(byLabel.stuck!.number, 105);
  assert.deepEqual(byLabel.down, {
    label: 'down',
    status: 'down',
    number: null,
    failures: 30,
    lastError: 'HTTP 503 (server error)',
    latencyMs: 30,
    observedAt: now,
  });
  assert.equal(byLabel.flaky!.status, 'unknown', 'one failure: not known to be down yet');
  assert.equal(byLabel.flaky!.number, 128);
  // Long after the last answer nothing is known any more.
  const later = chainView(state, network, now + 10 * 60_000);
  assert.ok(later.endpoints.filter((e) => e.label !== 'down').every((e) => e.status === 'unknown'));
  assert.equal(later.safeLag, null);
});

test('the block interval is the mean over the slow-blocks window', () => {
  const network = makeNetwork({ endpoints: ['rpc-a'], thresholds: { slowWindowMs: 10_000 } });
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a'], fromNumber: 1, polls: 30, blockTimeMs: 2_000 }));
  assert.equal(chainView(state, network, T0 + 29_000).blockIntervalMs, 2_000);
});
