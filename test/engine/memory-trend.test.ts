/** The memory trend, in simulated time: rising, flat and noisy, a spike, a turn. Pure, fixed clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MEMORY_SETTINGS } from '../../src/config/defaults';
import {
  assessMemory,
  fitTheilSen,
  formatOomIn,
  initialMemoryTrend,
  memorySeverity,
  observeMemory,
  TREND_MAX_POINTS,
  type MemoryAssessment,
  type MemoryTrendState,
} from '../../src/engine/memory-trend';

const GiB = 2 ** 30;
const LIMIT = 32 * GiB;
const T0 = Date.parse('2025-03-07T12:00:00Z');
const EVERY = 15_000;

/** Deterministic noise: a seeded LCG and Box–Muller. */
function noise(seed: number): () => number {
  let x = seed;
  const u = () => ((x = (x * 1664525 + 1013904223) >>> 0), x / 2 ** 32);
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

interface Run {
  state: MemoryTrendState;
  fired: number[];
  cleared: number[];
  at: MemoryAssessment[];
}

/** Feeds `bytes(i)` every 15 s for `n` scrapes; records the scrape index of each fire and clear. */
function run(n: number, bytes: (i: number) => number, settings = DEFAULT_MEMORY_SETTINGS): Run {
  let state = initialMemoryTrend();
  const fired: number[] = [];
  const cleared: number[] = [];
  const at: MemoryAssessment[] = [];
  for (let i = 0; i < n; i++) {
    const out = observeMemory(state, { t: T0 + i * EVERY, bytes: bytes(i), limitBytes: LIMIT }, settings);
    if (out.state.active && !state.active) fired.push(i);
    if (!out.state.active && state.active) cleared.push(i);
    at.push(out.assessment!);
    state = out.state;
  }
  return { state, fired, cleared, at };
}

test('a steady leak fires once out of memory is predicted within an hour, with the right time to OOM', () => {
  // 20 GiB, +6 GiB/h: out of memory in 2 h at the start, within an hour after 60 min (at 26 GiB).
  const perScrape = (6 * GiB * EVERY) / 3_600_000;
  const n = noise(7);
  const r = run(400, (i) => 20 * GiB + i * perScrape + n() * 20 * 2 ** 20);
  assert.equal(r.fired.length, 1, 'fires once and stays up');
  const firedAt = r.fired[0]!;
  const crossing = 240; // scrape at which 60 min remain
  // The most alarming of the fits is taken, so under noise it errs early, never late.
  assert.ok(firedAt >= crossing - 30 && firedAt <= crossing + 3, `fired at scrape ${firedAt}, the hour-left mark is ${crossing}`);
  const a = r.at[firedAt]!;
  const truthMs = ((LIMIT - (20 * GiB + firedAt * perScrape)) / (6 * GiB)) * 3_600_000;
  assert.ok(Math.abs(a.oomInMs! - truthMs) < 0.15 * truthMs, `predicted ${a.oomInMs} ms, truth ${truthMs} ms`);
  // Later, with more points in the fit, the prediction tightens.
  const later = r.at[300]!;
  const truthLater = ((LIMIT - (20 * GiB + 300 * perScrape)) / (6 * GiB)) * 3_600_000;
  assert.ok(Math.abs(later.oomInMs! - truthLater) < 0.1 * truthLater, `predicted ${later.oomInMs} ms, truth ${truthLater} ms`);
  assert.ok(Math.abs(later.slopePerHour - 6 * GiB) < 0.1 * 6 * GiB, `slope ${later.slopePerHour / GiB} GiB/h`);
  assert.equal(memorySeverity(a), 'minor');
});

test('a leak that starts after a flat half hour is seen within a dozen scrapes', () => {
  // Flat at 50 %, then +1 % of the limit per scrape: out of memory 50 scrapes (12.5 min) after it starts.
  const r = run(200, (i) => LIMIT * (i < 120 ? 0.5 : Math.min(1, 0.5 + 0.01 * (i - 120))));
  const firedAt = r.fired[0]!;
  assert.ok(firedAt - 120 <= 12, `fired ${firedAt - 120} scrapes into the rise`);
  const a = r.at[firedAt]!;
  const truthMs = ((LIMIT - a.usedBytes) / (0.01 * LIMIT)) * EVERY;
  assert.ok(Math.abs(a.oomInMs! - truthMs) <= EVERY, `predicted ${a.oomInMs}, truth ${truthMs}`);
  assert.equal(memorySeverity(a), 'major', 'out of memory within 15 min');
});

test('flat and noisy nodes raise nothing over a simulated half day, at any level and scatter', () => {
  for (const level of [0.5, 0.85, 0.93]) {
    for (const sd of [0.003, 0.03]) {
      const n = noise(Math.round(level * 1000 + sd * 10_000));
      const r = run(2880, () => LIMIT * (level + sd * n()));
      assert.deepEqual(r.fired, [], `level ${level}, sd ${sd}`);
    }
  }
});

test('a single spike to 99 % raises nothing', () => {
  const r = run(200, (i) => (i === 150 ? 0.99 * LIMIT : 0.7 * LIMIT));
  assert.deepEqual(r.fired, []);
  assert.equal(r.at[150]!.ratio, 0.7, 'the level is the median of the last three readings');
  const fit = fitTheilSen(Array.from({ length: 20 }, (_, i) => [T0 + i * EVERY, i === 10 ? 0.99 * LIMIT : 0.7 * LIMIT]));
  assert.equal(fit?.slope, 0);
});

test('above the high watermark a slow rise is enough; a rise too slow to matter in a day is not', () => {
  const slow = run(200, (i) => LIMIT * (0.9 + i * 0.00005)); // 0.02 %/min: full in ~7 h
  assert.equal(slow.fired.length, 1);
  assert.ok(slow.at[slow.fired[0]!]!.oomInMs! > 3_600_000, 'fired by the watermark, not the clock');
  const creep = run(200, (i) => LIMIT * 0.91 + i * 1000); // 1 KB a scrape: years
  assert.deepEqual(creep.fired, []);
});

test('the alarm clears when the trend turns: a plateau after a few scrapes, a drop at once', () => {
  // Rises to 92 % then stays flat.
  const plateau = run(160, (i) => LIMIT * Math.min(0.92, 0.5 + 0.01 * i));
  assert.equal(plateau.fired.length, 1);
  assert.equal(plateau.cleared.length, 1);
  const flatFrom = 42;
  assert.ok(plateau.cleared[0]! - flatFrom <= 8, `cleared ${plateau.cleared[0]! - flatFrom} scrapes into the plateau`);
  assert.equal(plateau.state.active, false);
  assert.equal(plateau.fired.length, 1, 'and stays clear on the plateau: a new alarm needs a new rise');
  // Falls back to 40 % (a restart) from 94 %: cleared within three scrapes of the drop.
  const drop = run(80, (i) => LIMIT * (i < 40 ? 0.55 + 0.01 * i : 0.4));
  assert.equal(drop.fired.length, 1);
  assert.equal(drop.cleared.length, 1);
  assert.ok(drop.cleared[0]! - 40 <= 3, `cleared ${drop.cleared[0]! - 40} scrapes after the drop`);
});

test('the window is bounded: at most 120 points, none older than 30 minutes', () => {
  const r = run(500, (i) => LIMIT * 0.5 + i);
  assert.equal(r.state.points.length, TREND_MAX_POINTS);
  const slow = observeMemory(r.state, { t: T0 + 500 * EVERY + 31 * 60_000, bytes: LIMIT / 2, limitBytes: LIMIT }, DEFAULT_MEMORY_SETTINGS);
  assert.equal(slow.state.points.length, 1);
});

test('no limit, no assessment; out-of-order readings are ignored', () => {
  assert.equal(assessMemory([[T0, 1]], 0, DEFAULT_MEMORY_SETTINGS), null);
  const s = observeMemory(initialMemoryTrend(), { t: T0, bytes: GiB, limitBytes: null }, DEFAULT_MEMORY_SETTINGS);
  assert.equal(s.assessment, null);
  const again = observeMemory(s.state, { t: T0 - 1000, bytes: 2 * GiB, limitBytes: LIMIT }, DEFAULT_MEMORY_SETTINGS);
  assert.deepEqual(again.state.points, [[T0, GiB]]);
});

test('time to OOM in words', () => {
  assert.equal(formatOomIn(30_000), 'under a minute');
  assert.equal(formatOomIn(40 * 60_000), 'about 40 min');
  assert.equal(formatOomIn(3.2 * 3_600_000), 'about 3 h');
  assert.equal(formatOomIn(72 * 3_600_000), 'about 3 days');
});
