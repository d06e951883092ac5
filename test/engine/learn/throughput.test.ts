import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_THROUGHPUT_SETTINGS,
  initialThroughputState,
  judgeThroughput,
  observeBlock,
  readThroughputState,
  type ThroughputSettings,
  type ThroughputState,
  type ThroughputVerdict,
} from '../../../src/engine/learn/throughput';
import { deepFreeze, negBin, poisson, rng, type Rng, T0 } from './sim';

const H = 3_600_000;
const MIN = 60_000;

interface Timeline {
  /** Sampled-block spacing: one new head per poll (ms). */
  everyMs: number;
  hours: number;
  /** txCount of the block sampled at t ms from the start. */
  tx: (r: Rng, t: number) => number;
  settings?: Partial<ThroughputSettings>;
  seed: number;
}

interface Replay {
  state: ThroughputState;
  /** Verdict at every poll, with its time from the start. */
  verdicts: { t: number; v: ThroughputVerdict }[];
}

/** Feeds one sampled block per poll and judges after each, as the integrator would. */
function replay(tl: Timeline, from?: ThroughputState): Replay {
  const r = rng(tl.seed);
  let state = from ?? initialThroughputState();
  const verdicts: Replay['verdicts'] = [];
  let number = 1_000_000;
  for (let t = 0; t < tl.hours * H; t += tl.everyMs) {
    const at = T0 + t;
    // A 250 ms chain polled every second skips blocks: the number jumps, which changes nothing.
    number += 1 + Math.floor(r() * 2);
    state = observeBlock(state, { number, txCount: tl.tx(r, t), gasUsed: 21_000 * 10, at }, tl.settings);
    verdicts.push({ t, v: judgeThroughput(state, at, tl.settings) });
  }
  return { state, verdicts };
}

const firstAfter = (rep: Replay, fromMs: number, kind: string) => rep.verdicts.find((x) => x.t >= fromMs && x.v.kind === kind);
const tally = (verdicts: Replay['verdicts']) => {
  const out: Record<string, number> = {};
  for (const x of verdicts) out[x.v.kind] = (out[x.v.kind] ?? 0) + 1;
  return out;
};
const kindsAfter = (rep: Replay, fromMs: number) => tally(rep.verdicts.filter((x) => x.t >= fromMs));
const kindsBefore = (rep: Replay, untilMs: number) => tally(rep.verdicts.filter((x) => x.t < untilMs));

test('busy chain (Poisson 40 tx/block, 1 s blocks) dropping to 20 %: low within 3 min', (t) => {
  const drop = 2 * H;
  const rep = replay({ everyMs: 1000, hours: 2.25, seed: 21, tx: (r, ms) => poisson(r, ms < drop ? 40 : 8) });
  assert.deepEqual(Object.keys(kindsBefore(rep, drop)).sort(), ['learning', 'normal'], 'nothing before the drop');
  const low = firstAfter(rep, drop, 'low');
  assert.ok(low, 'low detected');
  t.diagnostic(
    `low ${(low.t - drop) / 1000} s after the drop: ratio ${low.v.ratio!.toFixed(2)}, confidence ${low.v.confidence.toFixed(5)}, window ${low.v.windowMs / 1000} s, ${low.v.blocks} blocks`,
  );
  assert.ok(low.t - drop <= 3 * MIN, `${(low.t - drop) / 1000} s`);
  assert.ok(low.v.confidence >= 0.999);
  assert.ok(Math.abs(low.v.usualPerBlock! - 40) < 2, `usual ${low.v.usualPerBlock}`);
  // Once found it stays found, and never reads as empty (8 tx a block is not empty).
  const after = kindsAfter(rep, low.t);
  assert.deepEqual(Object.keys(after), ['low'], JSON.stringify(after));
});

test('a sequencer that stops taking transactions (only the system tx left): empty within 2 min', (t) => {
  const drop = 2 * H;
  const settings = { systemTxPerBlock: 1 } as const;
  const rep = replay({ everyMs: 1000, hours: 2.1, seed: 22, settings, tx: (r, ms) => 1 + (ms < drop ? poisson(r, 40) : 0) });
  assert.deepEqual(Object.keys(kindsBefore(rep, drop)).sort(), ['learning', 'normal'], 'nothing before the drop');
  const empty = firstAfter(rep, drop, 'empty');
  assert.ok(empty, 'empty detected');
  t.diagnostic(
    `empty ${(empty.t - drop) / 1000} s after the drop (window ${empty.v.windowMs / 1000} s, ${empty.v.blocks} blocks, usual ${empty.v.usualPerBlock!.toFixed(1)} user tx)`,
  );
  assert.ok(empty.t - drop <= 2 * MIN);
  assert.equal(empty.v.recentPerBlock, 0);
  // Without the system transaction accounted for, the same chain still reads as low.
  const naive = replay({ everyMs: 1000, hours: 2.1, seed: 22, tx: (r, ms) => 1 + (ms < drop ? poisson(r, 40) : 0) });
  const naiveFirst = naive.verdicts.find((x) => x.t >= drop && x.v.kind !== 'normal');
  assert.equal(naiveFirst?.v.kind, 'low');
});

test('an Ethereum-like chain (12 s blocks, ~150 tx, negative binomial) going empty: low within 3 min', (t) => {
  const drop = 3 * H;
  const rep = replay({ everyMs: 12_000, hours: 3.2, seed: 23, tx: (r, ms) => (ms < drop ? negBin(r, 150, 5) : 0) });
  assert.deepEqual(Object.keys(kindsBefore(rep, drop)).sort(), ['learning', 'normal']);
  const hit = rep.verdicts.find((x) => x.t >= drop && (x.v.kind === 'low' || x.v.kind === 'empty'));
  assert.ok(hit);
  t.diagnostic(`${hit.v.kind} ${(hit.t - drop) / 1000} s after the drop (${hit.v.blocks} sampled blocks)`);
  assert.ok(hit.t - drop <= 3 * MIN);
});

test('recovery: back to normal within a minute of throughput returning; the drop was not learnt', (t) => {
  const drop = 2 * H;
  const back = drop + 20 * MIN;
  const rep = replay({ everyMs: 1000, hours: 2.6, seed: 24, tx: (r, ms) => poisson(r, ms >= drop && ms < back ? 4 : 40) });
  const low = firstAfter(rep, drop, 'low')!;
  assert.ok(low && low.t < drop + 3 * MIN);
  const usualAtDrop = low.v.usualPerBlock!;
  const lastLow = rep.verdicts.filter((x) => x.v.kind === 'low').at(-1)!;
  assert.ok(lastLow.t < back + MIN, `still low ${(lastLow.t - back) / 1000} s after recovery`);
  assert.ok(lastLow.t >= back - 1000, 'low held until throughput returned');
  t.diagnostic(`normal again ${(lastLow.t - back) / 1000 + 1} s after throughput returned; usual ${usualAtDrop.toFixed(2)} at the drop`);
  const normal = rep.verdicts.find((x) => x.t > lastLow.t)!;
  assert.equal(normal.v.kind, 'normal');
  // The baseline was frozen: after 20 min at 4 tx/block, "usual" is still ~40, not ~31.
  assert.ok(Math.abs(normal.v.usualPerBlock! / usualAtDrop - 1) < 0.03, `usual ${normal.v.usualPerBlock} vs ${usualAtDrop}`);
  assert.equal(rep.state.frozenSince, null);
});

test('freezing is what keeps a long drop visible: unfrozen, the baseline would learn it', () => {
  const drop = 2 * H;
  const tx = (r: Rng, ms: number) => poisson(r, ms >= drop ? 6 : 40);
  const rep = replay({ everyMs: 1000, hours: 3, seed: 25, tx });
  assert.equal(rep.verdicts.at(-1)!.v.kind, 'low', 'after an hour at 15 % still low');
  assert.ok(rep.verdicts.at(-1)!.v.usualPerBlock! > 38);
  // maxFreezeMs = 0: never frozen, the EWMA follows the drop within the hour.
  const unfrozen = replay({ everyMs: 1000, hours: 3, seed: 25, tx, settings: { maxFreezeMs: 0 } });
  assert.equal(unfrozen.verdicts.at(-1)!.v.kind, 'normal');
  assert.ok(unfrozen.verdicts.at(-1)!.v.usualPerBlock! < 20);
});

test('a freeze ends after maxFreezeMs: a lasting new level is learnt, and the verdict clears', (t) => {
  const drop = 2 * H;
  const settings = { maxFreezeMs: H };
  const rep = replay({ everyMs: 1000, hours: 5, seed: 26, settings, tx: (r, ms) => poisson(r, ms >= drop ? 6 : 40) });
  const lastLow = rep.verdicts.filter((x) => x.v.kind === 'low').at(-1)!;
  t.diagnostic(`low for ${((lastLow.t - drop) / H).toFixed(2)} h with maxFreezeMs 1 h`);
  assert.ok(lastLow.t > drop + H, 'low for at least the freeze');
  assert.ok(lastLow.t < drop + 2.5 * H, `low until ${(lastLow.t - drop) / H} h`);
  assert.equal(rep.verdicts.at(-1)!.v.kind, 'normal');
});

test('a quiet chain (0-3 tx a block, with lulls of nothing) never fires in 24 h', (t) => {
  // Lulls: for 10 minutes in every 3 hours nobody transacts at all.
  const tx = (r: Rng, ms: number) => (ms % (3 * H) < 10 * MIN ? 0 : Math.floor(r() * 4));
  const rep = replay({ everyMs: 1000, hours: 24, seed: 27, tx });
  const kinds = kindsAfter(rep, 0);
  t.diagnostic(JSON.stringify(kinds));
  assert.deepEqual(Object.keys(kinds).sort(), ['learning', 'normal']);
  assert.equal(rep.verdicts.at(-1)!.v.reason, 'quiet-chain');
  // The minimum usual rate is what protects it: without it, those lulls would read as empty.
  const unguarded = replay({ everyMs: 1000, hours: 24, seed: 27, tx, settings: { minUsualPerBlock: 0 } });
  assert.ok((kindsAfter(unguarded, 0).empty ?? 0) > 0, JSON.stringify(kindsAfter(unguarded, 0)));
});

test('small counts never reach confidence: 2-3 empty blocks against a usual 6 are not evidence, 5 are', (t) => {
  // Ethereum-like sampling (one block every 12 s), usual 6 tx/block, then nothing at all for
  // 20 min. The block minimum is lowered to 2 so that only the count test stands between
  // "0 transactions" and "low". A 30 s window holds 2-3 blocks: null mean ≤ 0.35 × 6 × 3 = 6.3,
  // P(X = 0) ≥ 0.0018 > 0.001, never conclusive, although the ratio is 0 all along.
  const drop = 4 * H;
  const tx = (r: Rng, ms: number) => (ms < drop ? poisson(r, 6) : 0);
  const short = replay({ everyMs: 12_000, hours: 4 + 1 / 3, seed: 28, tx, settings: { minWindowBlocks: 2, windowsMs: [30_000] } });
  const after = short.verdicts.filter((x) => x.t >= drop + 30_000);
  assert.ok(after.length > 90);
  for (const x of after) {
    assert.equal(x.v.kind, 'normal', `${(x.t - drop) / 1000} s: ${JSON.stringify(x.v)}`);
    assert.equal(x.v.ratio, 0);
    assert.ok(x.v.blocks >= 2 && x.v.blocks <= 3);
  }
  // A 1 min window holds 5 blocks: null mean 10.5, P(X = 0) = 3e-5.
  const longer = replay({ everyMs: 12_000, hours: 4.1, seed: 28, tx, settings: { minWindowBlocks: 2, windowsMs: [30_000, 60_000] } });
  const hit = firstAfter(longer, drop, 'low')!;
  t.diagnostic(
    `30 s windows only: never low in 20 min; with 1 min windows low ${(hit.t - drop) / 1000} s after the drop (${hit.v.blocks} blocks)`,
  );
  assert.ok(hit.t - drop <= 60_000 && hit.v.blocks === 5, `${hit.t - drop} ms, ${hit.v.blocks} blocks`);
});

test('half the usual rate for an hour (a quiet hour) never fires', (t) => {
  const tx = (r: Rng, ms: number) => negBin(r, ms >= 2 * H && ms < 3 * H ? 20 : 40, 4);
  const rep = replay({ everyMs: 1000, hours: 4, seed: 29, tx });
  const kinds = kindsAfter(rep, 0);
  const quiet = rep.verdicts.filter((x) => x.t >= 2 * H && x.t < 3 * H && x.v.ratio !== null);
  const minRatio = Math.min(...quiet.map((x) => x.v.ratio!));
  t.diagnostic(`${JSON.stringify(kinds)}; lowest ratio in the quiet hour ${minRatio.toFixed(2)}`);
  assert.deepEqual(Object.keys(kinds).sort(), ['learning', 'normal']);
  assert.ok(minRatio < 0.6, 'the quiet hour really was quiet');
});

test('24 h of a busy chain with natural variance (negative binomial, daily cycle ±40 %): no false positive', (t) => {
  const tx = (r: Rng, ms: number) => negBin(r, 40 * (1 + 0.4 * Math.sin((2 * Math.PI * ms) / (24 * H))), 1.5);
  const rep = replay({ everyMs: 1000, hours: 24, seed: 30, tx });
  const kinds = kindsAfter(rep, 0);
  const judged = rep.verdicts.filter((x) => x.v.kind === 'normal' && x.v.ratio !== null);
  const minRatio = Math.min(...judged.map((x) => x.v.ratio!));
  t.diagnostic(`${JSON.stringify(kinds)}; lowest ratio ${minRatio.toFixed(2)}`);
  assert.deepEqual(Object.keys(kinds).sort(), ['learning', 'normal']);
  assert.ok(kinds.normal! > 80_000);
  assert.ok(minRatio < 0.75, 'the window really does wander');
});

test('learning until the baseline spans 15 min and holds 100 blocks', () => {
  const rep = replay({ everyMs: 1000, hours: 0.5, seed: 31, tx: (r) => poisson(r, 40) });
  const firstJudged = rep.verdicts.find((x) => x.v.kind !== 'learning')!;
  // The baseline's age counts from its first block (which entered it 3 min later).
  assert.equal(firstJudged.t, 15 * MIN);
  // On a 12 s chain the 100 (decayed) blocks take longer than the 15 min.
  const slow = replay({ everyMs: 12_000, hours: 1, seed: 31, tx: (r) => poisson(r, 40) });
  const slowFirst = slow.verdicts.find((x) => x.v.kind !== 'learning')!;
  assert.ok(slowFirst.t > 20 * MIN && slowFirst.t < 30 * MIN, `${slowFirst.t / MIN} min`);
  assert.equal(rep.verdicts[0]!.v.reason, 'baseline-learning');
});

test('repeated heads are ignored; inputs are never mutated; JSON round-trips', () => {
  let s = initialThroughputState();
  s = observeBlock(s, { number: 10, txCount: 5, at: T0 });
  const frozen = deepFreeze(s);
  const snapshot = JSON.stringify(frozen);
  const again = observeBlock(frozen, { number: 10, txCount: 500, at: T0 + 1000 });
  const older = observeBlock(frozen, { number: 9, txCount: 500, at: T0 + 1000 });
  assert.equal(again, frozen);
  assert.equal(older, frozen);
  const next = observeBlock(frozen, { number: 11, txCount: 7, gasUsed: 100, at: T0 + 1000 });
  assert.equal(JSON.stringify(frozen), snapshot);
  assert.deepEqual(next.recent, [{ t: T0, n: 2, tx: 12, tx2: 74, gas: 100, gn: 1 }]);
  assert.deepEqual(readThroughputState(JSON.parse(JSON.stringify(next))), next);
  assert.deepEqual(readThroughputState({ v: 0 }), initialThroughputState());
  assert.equal(observeBlock(frozen, { number: 12, txCount: Number.NaN, at: T0 + 2000 }), frozen);
  // judge reads the state only.
  judgeThroughput(frozen, T0 + 5000);
});

test('state after a million sampled blocks stays under 2 KB of JSON', () => {
  const r = rng(32);
  let s = initialThroughputState();
  let at = T0;
  for (let i = 0; i < 1_000_000; i++) {
    at += 250 + Math.floor(r() * 3000);
    s = observeBlock(s, { number: i + 1, txCount: Math.floor(r() * 5000), gasUsed: Math.floor(r() * 2e9), at });
  }
  const json = JSON.stringify(s);
  assert.ok(json.length < 2048, `${json.length} bytes`);
  assert.ok(s.recent.length <= 19);
  assert.ok(judgeThroughput(s, at).kind === 'normal');
});

test('defaults are as documented', () => {
  assert.deepEqual(
    { ...DEFAULT_THROUGHPUT_SETTINGS },
    {
      systemTxPerBlock: 0,
      minUsualPerBlock: 5,
      lowRatio: 0.35,
      emptyPerBlock: 0.5,
      confidence: 0.999,
      windowsMs: [30_000, 60_000, 120_000, 180_000],
      emptyMaxWindowMs: 120_000,
      minWindowBlocks: 8,
      minBaselineBlocks: 100,
      minBaselineMs: 900_000,
      baselineTauMs: 3_600_000,
      maxFreezeMs: 21_600_000,
    },
  );
});
