import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSlowBlocks, initialChainState, observeChain } from '../../../src/engine/detectors';
import { T0, advancingPolls, kinds, makeNetwork, ofKind, okSample, run } from './builders';

// Expected 1 s blocks; slow above 2x over a 60 s window.
const network = makeNetwork({ endpoints: ['rpc-a'], thresholds: { slowFactor: 2, slowWindowMs: 60_000 } });

test('blocks at the expected pace raise nothing', () => {
  const { signals, state } = run(network, advancingPolls({ endpoints: ['rpc-a'], fromNumber: 100, polls: 90 }));
  assert.deepEqual(signals.flat(), []);
  const r = detectSlowBlocks(state, network, T0 + 89_000);
  assert.equal(r.kind, 'normal');
  assert.equal(r.kind === 'normal' && r.meanIntervalMs, 1_000);
});

test('blocks three times slower than expected raise slow_blocks once half the window is seen', () => {
  const { signals } = run(network, advancingPolls({ endpoints: ['rpc-a'], fromNumber: 100, polls: 61, blockTimeMs: 3_000 }));
  assert.deepEqual(signals.slice(0, 30).flat(), [], 'less than half the window observed');
  const first = signals.findIndex((s) => s.length > 0);
  assert.equal(first, 30);
  const s = ofKind(signals[60]!, 'slow_blocks')[0]!;
  assert.equal(s.severity, 'minor');
  assert.deepEqual(s.details, { meanIntervalMs: 3_000, expectedMs: 1_000, blocks: 20 });
  assert.equal(s.summary, 'Blocks take 3 s on average over the last 20 blocks, 3.0x the expected 1 s');
});

test('blocks at least 2 x slowFactor slower are major', () => {
  const { last } = run(network, advancingPolls({ endpoints: ['rpc-a'], fromNumber: 100, polls: 61, blockTimeMs: 5_000 }));
  assert.equal(ofKind(last, 'slow_blocks')[0]?.severity, 'major');
});

test('a 250 ms chain with one-second timestamps raises no false alarm', () => {
  const arb = makeNetwork({ blockTimeMs: 250, endpoints: ['rpc-a'], thresholds: { slowFactor: 2, slowWindowMs: 60_000 } });
  const polls = advancingPolls({ endpoints: ['rpc-a'], fromNumber: 1_000, fromAt: T0 + 700, polls: 300, blockTimeMs: 250 });
  const { signals, state } = run(arb, polls);
  assert.deepEqual(signals.flat(), []);
  const r = detectSlowBlocks(state, arb, T0 + 700 + 299_000);
  assert.equal(r.kind, 'normal');
  assert.ok(r.kind === 'normal' && Math.abs(r.meanIntervalMs - 250) < 10, `mean ${JSON.stringify(r)}`);
});

test('three blocks a second apart on a 250 ms chain are not judged: too short a span', () => {
  const arb = makeNetwork({ blockTimeMs: 250, endpoints: ['rpc-a'] });
  // Timestamps 1 s apart per block look like 4x slow, but only 2 s of observation.
  const batches = [0, 1, 2].map((i) => ({ now: T0 + i * 1_000, samples: [okSample('rpc-a', 100 + i, T0 + i * 1_000)] }));
  const { state, signals } = run(arb, batches);
  assert.deepEqual(signals.flat(), []);
  assert.deepEqual(detectSlowBlocks(state, arb, T0 + 2_000), { kind: 'unknown' });
});

test('a halt is reported as halted, not as slow blocks', () => {
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a'], fromNumber: 100, polls: 61, blockTimeMs: 3_000 }));
  const now = T0 + 60_000 + 31_000;
  const out = observeChain(state, [okSample('rpc-a', 120, now)], network, now);
  assert.deepEqual(kinds(out.signals), ['halted']);
});

test('no data means unknown', () => {
  assert.deepEqual(detectSlowBlocks(initialChainState(), network, T0), { kind: 'unknown' });
});
