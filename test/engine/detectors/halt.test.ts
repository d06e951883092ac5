import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectHalt, initialChainState, observeChain } from '../../../src/engine/detectors';
import { T0, advancingPolls, blockHash, failSample, kinds, makeNetwork, ofKind, okSample, run } from './builders';

// stallMs 30 s, endpoints rpc-a and rpc-b, written (no learning period).
const network = makeNetwork();

test('an advancing chain raises no signal', () => {
  const { signals, state } = run(network, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 120 }));
  assert.deepEqual(signals.flat(), []);
  assert.equal(detectHalt(state, network, T0 + 119_000).kind, 'advancing');
});

test('halted only once the head has not advanced for more than stallMs', () => {
  const polls = advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 10 });
  const { state } = run(network, polls);
  const lastAdvance = T0 + 9_000;
  // Both endpoints keep answering with the same head.
  const at = (now: number) => observeChain(state, [okSample('rpc-a', 109, now - 1), okSample('rpc-b', 109, now)], network, now).signals;
  assert.deepEqual(kinds(at(lastAdvance + 29_000)), []);
  assert.deepEqual(kinds(at(lastAdvance + 30_000)), [], 'exactly stallMs is not yet a halt');
  const halted = at(lastAdvance + 30_001);
  assert.deepEqual(kinds(halted), ['halted']);
  const h = halted[0]!;
  assert.equal(h.severity, 'major');
  assert.equal(h.source, 'chain');
  assert.equal(h.network, network.name);
  assert.equal(h.at, lastAdvance + 30_001);
  assert.equal(h.weak, undefined);
  assert.deepEqual(h.details, {
    stalledForMs: 30_001,
    stallMs: 30_000,
    headNumber: 109,
    headHash: blockHash(109),
    lastBlockTimestamp: Math.floor(lastAdvance / 1000),
    healthyEndpoints: 2,
    totalEndpoints: 2,
  });
  assert.deepEqual(h.evidence, [blockHash(109)]);
  assert.equal(h.summary, 'No new block for 30 s; the last was #109 at 12:00:09 UTC (2 of 2 endpoints agree)');
});

test('a halt seen by only one of two endpoints is weak (a quorum of one)', () => {
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 1 }));
  const now = T0 + 40_000;
  const out = observeChain(state, [okSample('rpc-a', 100, now - 5), failSample('rpc-b', now)], network, now);
  assert.deepEqual(kinds(out.signals), ['halted']);
  assert.equal(out.signals[0]!.weak, true);
  assert.equal(out.signals[0]!.details.healthyEndpoints, 1);
  assert.match(out.signals[0]!.summary, /only 1 of 2 endpoints answers/);
});

test('no endpoint answering is not a halt', () => {
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 1 }));
  const now = T0 + 40_000;
  const out = observeChain(state, [failSample('rpc-a', now - 5), failSample('rpc-b', now)], network, now);
  assert.deepEqual(out.signals, []);
  assert.deepEqual(detectHalt(out.state, network, now), { kind: 'unknown', reason: 'no-healthy-endpoint' });
});

test('starting on an already stale head alerts at once, dated from the block timestamp', () => {
  const now = T0 + 600_000;
  const stale = T0 / 1000; // block produced 10 min before we started watching
  const out = observeChain(
    initialChainState(),
    [okSample('rpc-a', 500, now - 3, { timestamp: stale }), okSample('rpc-b', 500, now, { timestamp: stale })],
    network,
    now,
  );
  assert.deepEqual(kinds(out.signals), ['halted']);
  assert.equal(out.signals[0]!.details.stalledForMs, 600_000);
  assert.equal(out.state.bestAdvanceAt, T0);
});

test('a block timestamp in the future never delays the first advance past observedAt', () => {
  const now = T0;
  const out = observeChain(initialChainState(), [okSample('rpc-a', 5, now, { timestamp: now / 1000 + 3600 })], network, now);
  assert.equal(out.state.bestAdvanceAt, now);
  const later = now + 30_001;
  assert.deepEqual(kinds(observeChain(out.state, [okSample('rpc-a', 5, later)], network, later).signals), ['halted']);
});

test('a single-endpoint network is never weak', () => {
  const one = makeNetwork({ endpoints: ['solo'] });
  const { state } = run(one, advancingPolls({ endpoints: ['solo'], fromNumber: 1, polls: 1 }));
  const now = T0 + 31_000;
  const out = observeChain(state, [okSample('solo', 1, now)], one, now);
  assert.equal(ofKind(out.signals, 'halted')[0]?.weak, undefined);
  assert.match(out.signals[0]!.summary, /\(seen by the only endpoint\)/);
});

test('the halt clears as soon as a higher block appears', () => {
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 1 }));
  const now = T0 + 60_000;
  const halted = observeChain(state, [okSample('rpc-a', 100, now)], network, now);
  assert.deepEqual(kinds(halted.signals), ['halted']);
  const resumed = observeChain(halted.state, [okSample('rpc-a', 101, now + 1_000)], network, now + 1_000);
  assert.deepEqual(kinds(resumed.signals), []);
});

test('a guessed stall on a chain whose rhythm is still being learnt: weak (suspected) until twice the stall, then a halt', () => {
  const guessed = makeNetwork({ stallWritten: false }); // 30 s is a guess from the block time
  const polls = advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 20 });
  const { state } = run(guessed, polls);
  const stalledAt = (ms: number) => {
    const at = T0 + 19_000 + ms;
    return ofKind(observeChain(state, [okSample('rpc-a', 119, at), okSample('rpc-b', 119, at)], guessed, at).signals, 'halted');
  };
  const early = stalledAt(35_000);
  assert.equal(early.length, 1);
  assert.equal(early[0]!.weak, true, 'past the guessed stall: weak');
  assert.match(early[0]!.summary, /still being learnt/);
  const late = stalledAt(61_000);
  assert.equal(late[0]!.weak, undefined, 'past twice the stall: a halt');
  const written = { ...guessed, learn: { stallWritten: true } };
  const sure = ofKind(
    observeChain(state, [okSample('rpc-a', 119, T0 + 54_000), okSample('rpc-b', 119, T0 + 54_000)], written, T0 + 54_000).signals,
    'halted',
  );
  assert.equal(sure[0]!.weak, undefined, 'a written stall is never weak');
});
