import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialChainState, learntThresholds, observeChain, readLearntState } from '../../../src/engine/detectors';
import type { Network } from '../../../src/config/network';
import type { ChainState } from '../../../src/engine/detectors';
import { T0, advancingPolls, kinds, makeNetwork, okSample, run } from './builders';

/** One endpoint polled every second on a 1 s chain, answering 100-190 ms after each block. */
function regular(network: Network, polls: number, state: ChainState = initialChainState(), from = 0) {
  let s = state;
  for (let i = from; i < from + polls; i++) {
    const now = T0 + i * 1_000 + 100 + ((i * 37) % 10) * 10;
    s = observeChain(s, [okSample('rpc-a', 100 + i, now, { timestamp: Math.floor(T0 / 1000) + i })], network, now).state;
  }
  return s;
}

const single = (over: Partial<Network> = {}) => ({ ...makeNetwork({ endpoints: ['rpc-a'], thresholds: { stallMs: 10_000 } }), ...over });

/** The same head polled until `until` (ms after the last advance); the first halted signal's time, or null. */
function haltAfter(state: ChainState, network: Network, last: { number: number; at: number }, until: number): number | null {
  let s = state;
  for (let t = last.at + 1_000; t <= last.at + until; t += 1_000) {
    const out = observeChain(s, [okSample('rpc-a', last.number, t, { timestamp: Math.floor(last.at / 1000) })], network, t);
    s = out.state;
    if (kinds(out.signals).includes('halted')) return t - last.at;
  }
  return null;
}

test('a regular 1 s chain: after 3,000 advances the stall is the floor (2 blocks + 1 poll = 3 s), and a halt is seen within 4 s', () => {
  const network = single();
  const early = regular(network, 400);
  assert.equal(learntThresholds(early, network).stall.stallMs, 10_000, 'too few advances to lower the configured stall');
  const state = regular(network, 3_100);
  const { stall } = learntThresholds(state, network);
  assert.deepEqual([stall.stallMs, stall.source, stall.basis.clampedBy], [3_000, 'learnt', 'floor']);
  const lastAt = T0 + 3_099 * 1_000 + 100 + ((3_099 * 37) % 10) * 10;
  const after = haltAfter(state, network, { number: 100 + 3_099, at: lastAt }, 12_000);
  assert.ok(after !== null && after > 3_000 && after <= 4_000, `halted ${after} ms after the last advance`);
});

test('learning can be switched off: the configured stall then applies whatever the history', () => {
  const network = single({ learn: { thresholds: false } });
  const state = regular(network, 3_100);
  assert.equal(learntThresholds(state, network).stall.stallMs, 10_000);
});

test('a chain whose normal rhythm has 40 s gaps raises the stall above the configured 30 s; a stall written in the config stays the ceiling', () => {
  const polls = (network: Network) => {
    let s = initialChainState();
    let n = 100;
    let t = T0;
    for (let i = 0; i < 600; i++) {
      // Every hundredth block takes 40 s; we keep polling (the same head) meanwhile.
      const gap = i % 100 === 50 ? 40_000 : 1_000;
      for (let w = 1_000; w < gap; w += 1_000)
        s = observeChain(s, [okSample('rpc-a', n, t + w, { timestamp: Math.floor(t / 1000) })], network, t + w).state;
      t += gap;
      n += 1;
      s = observeChain(s, [okSample('rpc-a', n, t)], network, t).state;
    }
    return { s, last: { number: n, at: t } };
  };
  const auto = makeNetwork({ endpoints: ['rpc-a'], stallWritten: false });
  const a = polls(auto);
  const learnt = learntThresholds(a.s, auto).stall;
  assert.equal(learnt.source, 'learnt');
  assert.ok(learnt.stallMs > 55_000 && learnt.stallMs < 70_000, `${learnt.stallMs}`);
  assert.equal(haltAfter(a.s, auto, a.last, 45_000), null, 'a 45 s gap is this chain being itself');

  const written = { ...auto, learn: { stallWritten: true } };
  const w = polls(written);
  assert.equal(learntThresholds(w.s, written).stall.stallMs, 30_000);
  assert.equal(haltAfter(w.s, written, w.last, 45_000), 31_000);
});

test('slow blocks are judged against the interval this chain really keeps (clamped to 1.5x the configured block time)', () => {
  const network = makeNetwork({ endpoints: ['rpc-a'], thresholds: { slowFactor: 2, slowWindowMs: 60_000 } });
  // A chain configured at 1 s that really runs at 1.25 s.
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a'], fromNumber: 100, polls: 500, everyMs: 1_250, blockTimeMs: 1_250 }));
  const { slow } = learntThresholds(state, network);
  assert.equal(slow.source, 'learnt');
  assert.ok(Math.abs(slow.expectedMs - 1_250) < 30, `${slow.expectedMs}`);
  // 2.2 s blocks: 2.2x the configured 1 s would be slow, but only 1.76x this chain's 1.25 s.
  const next = run(
    network,
    advancingPolls({ endpoints: ['rpc-a'], fromNumber: 500, fromAt: T0 + 700_000, polls: 60, everyMs: 2_200, blockTimeMs: 2_200 }),
    state,
  );
  assert.ok(!next.signals.flat().some((s) => s.kind === 'slow_blocks'));
  // The same slowdown without the learnt history is slow.
  const fresh = run(
    network,
    advancingPolls({ endpoints: ['rpc-a'], fromNumber: 500, fromAt: T0 + 700_000, polls: 60, everyMs: 2_200, blockTimeMs: 2_200 }),
  );
  assert.ok(fresh.signals.flat().some((s) => s.kind === 'slow_blocks'));
});

test('per-network state stays far below 64 KB with the learnt history (two endpoints, two hours of 1 s blocks with transactions)', () => {
  const network = makeNetwork();
  let s = initialChainState();
  for (let i = 0; i < 7_200; i++) {
    const now = T0 + i * 1_000 + 150;
    const samples = ['rpc-a', 'rpc-b'].map((ep) => ({
      ...okSample(ep, 100 + i, now, { timestamp: Math.floor(T0 / 1000) + i }),
      txCount: 30 + (i % 17),
      gasUsed: 2_000_000 + i,
    }));
    s = observeChain(s, samples, network, now).state;
  }
  const total = JSON.stringify(s).length;
  const learnt = JSON.stringify(s.learnt).length;
  assert.ok(total < 64 * 1024, `${total} bytes`);
  assert.ok(learnt < 4_096, `learnt part ${learnt} bytes`);
});

test('a stored learnt state of another shape starts over instead of being misread', () => {
  const fresh = readLearntState({ rhythm: { v: 99 }, throughput: 'x', minTx: -3 });
  assert.equal(fresh.rhythm.advances, 0);
  assert.deepEqual(fresh.throughput.recent, []);
  assert.equal(fresh.minTx, null);
  const network = single();
  const state = { ...regular(network, 5), learnt: { junk: true } as never };
  assert.doesNotThrow(() => observeChain(state, [okSample('rpc-a', 200, T0 + 10_000)], network, T0 + 10_000));
});
