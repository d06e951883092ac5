import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CANON_MAX,
  type ChainState,
  initialChainState,
  observeChain,
  ORPHANS_MAX,
  planAncestry,
  TIMING_MAX,
} from '../../../src/engine/detectors';
import type { BlockRef, HeadOk, HeadSample, Signal } from '../../../src/model';
import { T0, advancingPolls, ancestorsOf, blockHash, failSample, kinds, makeNetwork, okSample, run } from './builders';

const network = makeNetwork();

test('samples are folded in observedAt order whatever order they arrive in', () => {
  const samples = [okSample('rpc-a', 102, T0 + 2_000), okSample('rpc-a', 100, T0), okSample('rpc-a', 101, T0 + 1_000)];
  const out = observeChain(initialChainState(), samples, network, T0 + 2_000);
  assert.equal(out.state.endpoints[0]!.head!.number, 102);
  assert.equal(out.state.bestAdvanceAt, T0 + 2_000);
});

test('a sample older than the last folded one for its endpoint is ignored', () => {
  const first = observeChain(initialChainState(), [okSample('rpc-a', 105, T0 + 5_000)], network, T0 + 5_000);
  // A late job: an older poll that saw an older head and a failure.
  const late = observeChain(first.state, [okSample('rpc-a', 103, T0 + 3_000), failSample('rpc-a', T0 + 4_000)], network, T0 + 5_100);
  assert.deepEqual(late.state, first.state);
  // The same sample delivered twice (a retried job) is folded once.
  const fail = failSample('rpc-b', T0 + 6_000);
  const once = observeChain(first.state, [fail], network, T0 + 6_000);
  const twice = observeChain(once.state, [fail], network, T0 + 6_000);
  assert.equal(twice.state.endpoints.find((e) => e.label === 'rpc-b')!.failures, 1);
});

test('endpoints outside network.endpoints and other networks are ignored', () => {
  const out = observeChain(
    initialChainState(),
    [okSample('rpc-x', 500, T0), okSample('rpc-a', 600, T0, { network: 'other' }), okSample('rpc-a', 100, T0 + 1)],
    network,
    T0 + 1,
  );
  assert.deepEqual(
    out.state.endpoints.map((e) => e.label),
    ['rpc-a'],
  );
  assert.equal(out.state.best!.number, 100);
});

test('an endpoint removed from the config is forgotten', () => {
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 1, polls: 2 }));
  const smaller = makeNetwork({ endpoints: ['rpc-a'] });
  const out = observeChain(state, [], smaller, T0 + 2_000);
  assert.deepEqual(
    out.state.endpoints.map((e) => e.label),
    ['rpc-a'],
  );
});

test('observeChain never mutates the state it is given', () => {
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 5 }));
  const frozen = JSON.stringify(state);
  observeChain(state, [okSample('rpc-a', 105, T0 + 5_000, { branch: 'z', ancestors: ancestorsOf(105, 3, 'z') })], network, T0 + 5_000);
  observeChain(state, [failSample('rpc-b', T0 + 5_000)], network, T0 + 5_000);
  assert.equal(JSON.stringify(state), frozen);
});

test('state survives a JSON round trip (as through Redis) with identical results', () => {
  const polls = advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 60 });
  const straight = run(network, polls);
  let state: ChainState = initialChainState();
  const signals = [];
  for (const b of polls) {
    const out = observeChain(JSON.parse(JSON.stringify(state)) as ChainState, b.samples, network, b.now);
    state = out.state;
    signals.push(out.signals);
  }
  assert.deepEqual(state, straight.state);
  assert.deepEqual(signals, straight.signals);
});

test('signals come from several detectors in one evaluation', () => {
  const net = makeNetwork({ thresholds: { safeLagBlocks: 10, endpointDownFailures: 1 } });
  const out = observeChain(initialChainState(), [okSample('rpc-a', 100, T0, { safe: 50 }), failSample('rpc-b', T0)], net, T0);
  assert.deepEqual(kinds(out.signals), ['endpoint_down', 'safe_lag']);
});

/**
 * A 250 ms chain polled every second (4 blocks per poll) by two endpoints, rpc-b one poll
 * behind rpc-a and failing now and then. Every fifth poll the last 6 blocks are replaced
 * by a new branch. The adapter is emulated: planAncestry decides which ancestors to fetch,
 * walking parents down until a block the ring holds.
 */
class SimChain {
  /** Fork points and branch names, oldest first (fork points only grow). */
  private forks: { forkPoint: number; name: string }[] = [];
  reorgs = 0;

  hash(n: number): string {
    for (let k = this.forks.length - 1; k >= 0; k--) {
      const f = this.forks[k]!;
      if (n > f.forkPoint) return blockHash(n, f.name);
    }
    return blockHash(n, 'a');
  }

  block(n: number): BlockRef {
    return { number: n, hash: this.hash(n), parentHash: this.hash(n - 1), timestamp: Math.floor(T0 / 1000) + Math.floor(n / 4) };
  }

  reorgBelow(head: number, depth: number): void {
    this.forks.push({ forkPoint: head - depth, name: `r${this.forks.length}` });
    this.reorgs += 1;
  }

  head(ep: string, n: number, now: number, state: ChainState): HeadOk {
    const sample: HeadOk = { ...okSample(ep, n, now, { safe: n - 10 }), ...this.block(n) };
    const plan = planAncestry(state, sample);
    if (!plan) return sample;
    const ring = new Map(state.canon.blocks.map((b) => [b.number, b.hash]));
    const ancestors: BlockRef[] = [];
    for (let k = n - 1; k >= plan.downTo; k--) {
      ancestors.push(this.block(k));
      if (ring.get(k) === this.hash(k)) break;
    }
    return { ...sample, ancestors };
  }
}

test('state stays bounded after 10,000 samples, and each reorg is reported once with its depth', () => {
  const net = makeNetwork({ blockTimeMs: 250, thresholds: { slowWindowMs: 600_000, safeLagBlocks: 100 } });
  const sim = new SimChain();
  let state = initialChainState();
  const reorgs: Signal[] = [];
  let folded = 0;
  let prevA: HeadOk | null = null;
  for (let i = 1; folded < 10_000; i++) {
    const now = T0 + i * 1_000;
    const number = 1_000 + i * 4;
    if (i % 5 === 0) sim.reorgBelow(number - 4, 2); // replaces the 2 newest blocks seen
    const a = sim.head('rpc-a', number, now, state);
    // rpc-b still serves what rpc-a served a poll ago: after a reorg, an orphaned head.
    const lagged: HeadSample = prevA ? { ...prevA, endpoint: 'rpc-b', observedAt: now + 1, ancestors: [] } : failSample('rpc-b', now + 1);
    const b = i % 97 < 5 ? failSample('rpc-b', now + 1, 'http', { status: 502 }) : lagged;
    const out = observeChain(state, [a, b], net, now + 1);
    state = out.state;
    prevA = a;
    folded += 2;
    reorgs.push(...out.signals.filter((s) => s.kind === 'reorg'));
  }
  assert.equal(reorgs.length, sim.reorgs);
  assert.ok(reorgs.every((r) => r.details.depth === 2 && r.details.endpoint === 'rpc-a'));
  assert.equal(state.canon.blocks.length, CANON_MAX);
  assert.equal(state.canon.orphans.length, ORPHANS_MAX);
  assert.ok(state.timing.length <= TIMING_MAX, `timing ${state.timing.length}`);
  assert.equal(state.endpoints.length, 2);
  const size = JSON.stringify(state).length;
  assert.ok(size < 64 * 1024, `state is ${size} bytes of JSON`);
  const tip = state.canon.blocks.at(-1)!;
  assert.equal(tip.hash, sim.hash(tip.number));
});

test('a state of another version (an older deploy) is started afresh', () => {
  const { state } = run(network, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 3 }));
  const old = { ...state, version: 0 } as unknown as ChainState;
  const out = observeChain(old, [okSample('rpc-a', 500, T0 + 5_000)], network, T0 + 5_000);
  assert.equal(out.state.version, 1);
  assert.deepEqual(
    out.state.endpoints.map((e) => e.label),
    ['rpc-a'],
  );
  assert.equal(out.state.canon.blocks.length, 1);
});
