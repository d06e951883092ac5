import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLowThroughput, initialChainState, observeChain, type ChainState } from '../../../src/engine/detectors';
import type { Network } from '../../../src/config/network';
import type { Signal } from '../../../src/model';
import { T0, makeNetwork, okSample } from './builders';

// Baseline after 5 min (the built-in 15 min keeps these tests long for nothing).
const network: Network = { ...makeNetwork({ endpoints: ['rpc-a'] }), learn: { throughputBaselineMs: 300_000 } };

/** A seeded stream of per-block user counts around `mean` (Poisson by inversion), deterministic. */
function counts(seed: number) {
  let a = seed;
  const u = () => {
    a = (a * 1_103_515_245 + 12_345) % 2 ** 31;
    return a / 2 ** 31;
  };
  return (mean: number) => {
    if (mean <= 0) return 0;
    let k = 0;
    let p = Math.exp(-mean);
    let c = p;
    const x = u();
    while (x > c && k < 1000) c += p *= mean / ++k;
    return k;
  };
}

/** A 1 s chain polled every second; `meanAt(second)` user transactions a block, `system` more in every block. */
function runChain(
  seconds: number,
  meanAt: (s: number) => number,
  opts: { system?: number; state?: ChainState; from?: number; net?: Network } = {},
) {
  const draw = counts(7);
  let state = opts.state ?? initialChainState();
  const signals: { at: number; s: Signal }[] = [];
  const from = opts.from ?? 0;
  for (let i = from; i < from + seconds; i++) {
    const now = T0 + i * 1_000 + 120;
    const txCount = (opts.system ?? 0) + draw(meanAt(i));
    const sample = { ...okSample('rpc-a', 1_000 + i, now, { timestamp: Math.floor(T0 / 1000) + i }), txCount, gasUsed: 21_000 * txCount };
    const out = observeChain(state, [sample], opts.net ?? network, now);
    state = out.state;
    for (const s of out.signals) signals.push({ at: i, s });
  }
  return { state, signals };
}

const first = (signals: { at: number; s: Signal }[], kind = 'low_throughput') => signals.find((x) => x.s.kind === kind);

test('learning first: no verdict before the baseline holds enough history', () => {
  const { state, signals } = runChain(200, () => 20);
  assert.equal(detectLowThroughput(state, network, T0 + 200_000).kind, 'learning');
  assert.equal(signals.length, 0);
});

test('a drop to a fifth of the usual rate raises low_throughput (minor) within a minute and a half; throughput back clears it', () => {
  const { state, signals } = runChain(900, (s) => (s < 600 ? 20 : 4));
  const hit = first(signals);
  assert.ok(hit, 'no low_throughput');
  assert.ok(hit.at - 600 <= 90, `after ${hit.at - 600} s`);
  assert.equal(hit.s.severity, 'minor');
  assert.equal(hit.s.details.mode, 'low');
  assert.match(
    hit.s.summary,
    /Blocks keep coming but carry \d\.\d transactions a block over the last \d+ sampled blocks \(\d+ s\), \d+% of the usual (19|20)/,
  );
  const back = runChain(120, () => 20, { state, from: 900 });
  const last = back.signals.filter((x) => x.s.kind === 'low_throughput').at(-1);
  assert.ok(!last || last.at < 900 + 60, `still low at ${last?.at}`);
});

test('near-empty blocks (only the system transaction) are major within two minutes, and say so', () => {
  const { signals } = runChain(800, (s) => (s < 600 ? 20 : 0), { system: 1 });
  const empty = signals.find((x) => x.s.kind === 'low_throughput' && x.s.details.mode === 'empty');
  assert.ok(empty, 'never empty');
  assert.ok(empty.at - 600 <= 120, `after ${empty.at - 600} s`);
  assert.equal(empty.s.severity, 'major');
  assert.equal(empty.s.details.systemTxPerBlock, 1);
  assert.match(empty.s.summary, /nearly empty: 0\.0 transactions a block besides the system transaction every block carries/);
});

test('a quiet hour at half the usual rate is not an outage', () => {
  const { signals } = runChain(1_500, (s) => (s < 600 ? 20 : 10));
  assert.equal(first(signals), undefined);
});

test('a quiet chain (0-3 transactions a block) never alarms, not even when blocks go empty', () => {
  const { state, signals } = runChain(1_200, (s) => (s < 700 ? 1.2 : 0));
  assert.equal(first(signals), undefined);
  assert.equal(detectLowThroughput(state, network, T0 + 1_200_000).verdict?.reason, 'quiet-chain');
});

test('a halt is reported as a halt: blocks that stopped coming are not read as empty blocks', () => {
  const { state } = runChain(700, () => 20);
  let s = state;
  const kinds = new Set<string>();
  for (let t = 1; t <= 60; t++) {
    const now = T0 + 699_120 + t * 1_000;
    const out = observeChain(
      s,
      [{ ...okSample('rpc-a', 1_699, now, { timestamp: Math.floor(T0 / 1000) + 699 }), txCount: 20 }],
      network,
      now,
    );
    s = out.state;
    for (const x of out.signals) kinds.add(x.kind);
  }
  assert.deepEqual([...kinds], ['halted']);
});
