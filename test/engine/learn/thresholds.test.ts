import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addObservation, count, initialIntervalSketch, type IntervalSketch } from '../../../src/engine/learn/interval-sketch';
import {
  type ChainRhythm,
  defaultMaxSilenceMs,
  initialChainRhythm,
  meanBlockMs,
  observeHead,
  readChainRhythm,
} from '../../../src/engine/learn/rhythm';
import { learnedSlowFactor, learnedStall, stallCeilingMs } from '../../../src/engine/learn/thresholds';
import { type ChainSpec, deepFreeze, normal, pollChain, rng, type Rng, T0, uniform } from './sim';

const H = 3_600_000;
const AUTO = (configuredStallMs: number) => stallCeilingMs({ configuredStallMs, explicit: false });

interface Run {
  rhythm: ChainRhythm;
  /**
   * Gaps during which the halt detector, run at each poll with the stall in force at the time
   * (once learnt), would have seen "no advance for longer than stallMs": false alarms, since
   * every chain simulated here is healthy.
   */
  falseAlarms: number;
  /** Advance gaps longer than 10 s (the built-in stall of a 1-2 s chain). */
  longGaps: number;
  /** The longest advance gap seen. */
  maxGapMs: number;
  /** Learnt stall (with the run's ceiling) at the end of each hour: [0] after the first hour. */
  hourly: number[];
}

/**
 * Polls a chain and feeds every head to the rhythm, the way the integrator would. Before each
 * head is folded, the halt detector's question is asked as it is live (detectHalt runs on
 * every poll, after folding it): has no higher head been seen for longer than the stall?
 */
function simulate(
  spec: ChainSpec,
  hours: number,
  o: { seed: number; blockTimeMs: number; stallMs: number; ceilingMs?: number; from?: ChainRhythm; start?: number },
): Run {
  const r = rng(o.seed);
  let rhythm = o.from ?? initialChainRhythm();
  const settings = { maxSilenceMs: defaultMaxSilenceMs(spec.pollMs) };
  const stall = () =>
    learnedStall({
      sketch: rhythm.gaps,
      blockTimeMs: o.blockTimeMs,
      pollIntervalMs: spec.pollMs,
      configuredStallMs: o.stallMs,
      ceilingMs: o.ceilingMs ?? AUTO(o.stallMs),
    });
  let falseAlarms = 0;
  let longGaps = 0;
  let alarmed = false;
  let maxGapMs = 0;
  const hourly: number[] = [];
  const start = o.start ?? T0;
  for (const h of pollChain(spec, r, hours * H, start, (o.from?.last?.number ?? 999) + 1)) {
    const last = rhythm.last;
    if (last && h.number > last.number) {
      const gap = h.at - last.at;
      maxGapMs = Math.max(maxGapMs, gap);
      if (gap > 10_000) longGaps += 1;
      alarmed = false;
    } else if (last && !alarmed) {
      const s = stall();
      if (s.source === 'learnt' && h.at - last.at > s.stallMs) {
        falseAlarms += 1;
        alarmed = true;
      }
    }
    rhythm = observeHead(rhythm, h, settings);
    if (Math.floor((h.at - start) / H) > hourly.length) hourly.push(stall().stallMs);
  }
  hourly.push(stall().stallMs);
  return { rhythm, falseAlarms, longGaps, maxGapMs, hourly };
}

const regular = (ms: number, sd: number) => (r: Rng) => normal(r, ms, sd);
const gappy = (ms: number, sd: number) => (r: Rng) => (r() < 1 / 200 ? uniform(r, 12_000, 18_000) : normal(r, ms, sd));
const stallOf = (rhythm: ChainRhythm, blockTimeMs: number, pollIntervalMs: number, configuredStallMs: number, ceilingMs?: number) =>
  learnedStall({ sketch: rhythm.gaps, blockTimeMs, pollIntervalMs, configuredStallMs, ceilingMs: ceilingMs ?? configuredStallMs });

test('(a) a very regular 1 s chain polled every second: stall 3-4 s (floor 3 s)', (t) => {
  const run = simulate({ pollMs: 1000, nextIntervalMs: regular(1000, 30) }, 3, { seed: 1, blockTimeMs: 1000, stallMs: 10_000 });
  const s = stallOf(run.rhythm, 1000, 1000, 10_000);
  assert.equal(s.source, 'learnt');
  assert.ok(s.stallMs >= 3000 && s.stallMs <= 4000, `stall ${s.stallMs}`);
  t.diagnostic(
    `stall ${s.stallMs} ms, q0.999 ${s.basis.quantileMs!.toFixed(0)} ms, ${s.basis.samples} samples, false alarms ${run.falseAlarms}`,
  );
  assert.equal(s.basis.floorMs, 3000);
  assert.ok(s.basis.quantileMs! > 1500 && s.basis.quantileMs! < 2500, `q0.999 ${s.basis.quantileMs}: a missed poll, 2 s`);
  assert.equal(run.falseAlarms, 0);
  // Same with the auto ceiling: the learnt value is far below either ceiling.
  assert.equal(stallOf(run.rhythm, 1000, 1000, 10_000, AUTO(10_000)).stallMs, s.stallMs);
});

test('(b) a 2 s chain whose blocks take 12-18 s one time in 200: learnt above every normal gap', (t) => {
  const run = simulate({ pollMs: 2000, nextIntervalMs: gappy(2000, 50) }, 24, { seed: 2, blockTimeMs: 2000, stallMs: 10_000 });
  // With the built-in ceiling (stall not set by the user), the learnt stall covers the rhythm.
  const auto = stallOf(run.rhythm, 2000, 2000, 10_000, AUTO(10_000));
  assert.equal(auto.source, 'learnt');
  assert.equal(auto.basis.clampedBy, null);
  t.diagnostic(
    `auto ceiling: stall ${auto.stallMs} ms (q0.999 ${auto.basis.quantileMs!.toFixed(0)}), longest gap ${run.maxGapMs}, false alarms in 24 h ${run.falseAlarms}, hourly ${run.hourly.join(' ')}`,
  );
  assert.ok(run.maxGapMs > 17_000 && run.maxGapMs <= 20_500, `longest gap ${run.maxGapMs}`);
  assert.ok(auto.stallMs > run.maxGapMs * 1.25, `stall ${auto.stallMs} vs longest gap ${run.maxGapMs}`);
  assert.ok(auto.stallMs < 30_000, `stall ${auto.stallMs}`);
  assert.equal(run.falseAlarms, 0, 'no normal gap exceeded the stall in force after learning');
  // Stable hour to hour once learnt.
  for (const [hour, v] of run.hourly.entries()) if (hour >= 2) assert.ok(v > 21_000 && v < 30_000, `hour ${hour}: ${v}`);
  // With the user's 10 s as ceiling, the ceiling wins: those normal gaps alarm, as they do today.
  const explicit = stallOf(run.rhythm, 2000, 2000, 10_000, stallCeilingMs({ configuredStallMs: 10_000, explicit: true }));
  assert.equal(explicit.stallMs, 10_000);
  assert.equal(explicit.basis.clampedBy, 'ceiling');
  const capped = simulate({ pollMs: 2000, nextIntervalMs: gappy(2000, 50) }, 6, {
    seed: 2,
    blockTimeMs: 2000,
    stallMs: 10_000,
    ceilingMs: 10_000,
  });
  assert.ok(capped.longGaps > 30, `${capped.longGaps} long gaps in 6 h`);
  // All but those in the first ~10 min (300 advances, before anything is learnt) alarm.
  t.diagnostic(`explicit 10 s ceiling: ${capped.falseAlarms} alarms from ${capped.longGaps} long gaps in 6 h`);
  assert.ok(capped.falseAlarms >= capped.longGaps - 6, `${capped.falseAlarms} of ${capped.longGaps} long gaps alarm under a 10 s ceiling`);
});

test('a regular 12 s chain (Ethereum-like, 1 % missed slots) polled every 4 s: stall between the floor and 60 s', (t) => {
  const eth = (r: Rng) => {
    const u = r();
    return (u < 0.0005 ? 36_000 : u < 0.01 ? 24_000 : 12_000) + uniform(r, 0, 30);
  };
  const run = simulate({ pollMs: 4000, nextIntervalMs: eth }, 48, { seed: 3, blockTimeMs: 12_000, stallMs: 60_000 });
  const s = stallOf(run.rhythm, 12_000, 4000, 60_000);
  assert.equal(s.source, 'learnt');
  t.diagnostic(
    `stall ${s.stallMs} ms, q0.999 ${s.basis.quantileMs!.toFixed(0)}, longest gap ${run.maxGapMs}, false alarms in 48 h ${run.falseAlarms}`,
  );
  assert.equal(s.basis.floorMs, 28_000);
  assert.ok(s.stallMs > 36_000 && s.stallMs < 45_000, `stall ${s.stallMs}`);
  assert.ok(s.basis.quantileMs! > 24_000 && s.basis.quantileMs! < 29_000, `q0.999 ${s.basis.quantileMs}: one missed slot`);
  assert.equal(run.falseAlarms, 0);
});

test('warming up: configured until minSamples, then only raised until minSamplesToTighten', () => {
  let rhythm = initialChainRhythm();
  const r = rng(4);
  const steps: { samples: number; stallMs: number; source: string }[] = [];
  for (const h of pollChain({ pollMs: 1000, nextIntervalMs: regular(1000, 30) }, r, 3500_000)) {
    rhythm = observeHead(rhythm, h, { maxSilenceMs: 10_000 });
    const s = stallOf(rhythm, 1000, 1000, 10_000);
    steps.push({ samples: s.basis.samples, stallMs: s.stallMs, source: s.source });
  }
  const at = (n: number) => steps.find((x) => x.samples >= n)!;
  assert.deepEqual({ ...at(299), samples: 0 }, { samples: 0, stallMs: 10_000, source: 'default' });
  assert.equal(at(300).source, 'learnt');
  assert.equal(at(2999).stallMs, 10_000, 'a regular chain cannot lower the stall on 5-50 min of evidence');
  assert.ok(at(3000).stallMs <= 4000, `${at(3000).stallMs} once 3000 advances are in`);
  // A chain whose long gaps show early raises it at once (with the auto ceiling).
  let sk: IntervalSketch = initialIntervalSketch();
  for (let i = 0; i < 299; i++) sk = addObservation(sk, 2000);
  sk = addObservation(sk, 16_000);
  const raised = learnedStall({ sketch: sk, blockTimeMs: 2000, pollIntervalMs: 2000, configuredStallMs: 10_000, ceilingMs: AUTO(10_000) });
  assert.equal(raised.basis.mayTighten, false);
  assert.ok(raised.stallMs > 16_000, `${raised.stallMs}`);
});

test('adapts: a 1 s chain that turns gappy raises its stall within 45 min; the reverse takes hours', (t) => {
  const switchAt = T0 + 3 * H;
  const before = simulate({ pollMs: 1000, nextIntervalMs: regular(1000, 30) }, 3, { seed: 5, blockTimeMs: 1000, stallMs: 10_000 });
  assert.ok(stallOf(before.rhythm, 1000, 1000, 10_000, AUTO(10_000)).stallMs <= 4000);
  // Follow the learnt stall minute by minute after the switch.
  let rhythm = before.rhythm;
  const r = rng(6);
  let raisedAfterMs: number | null = null;
  for (const h of pollChain({ pollMs: 1000, nextIntervalMs: gappy(1000, 30) }, r, H, switchAt, rhythm.last!.number + 1)) {
    rhythm = observeHead(rhythm, h, { maxSilenceMs: 10_000 });
    if (raisedAfterMs === null && stallOf(rhythm, 1000, 1000, 10_000, AUTO(10_000)).stallMs > 20_000) raisedAfterMs = h.at - switchAt;
  }
  assert.ok(raisedAfterMs !== null && raisedAfterMs < 45 * 60_000, `raised above 20 s after ${raisedAfterMs} ms`);

  // Reverse: a gappy 2 s chain turns regular; the learnt stall comes down within 8 h, not within 2 h.
  const gappyRun = simulate({ pollMs: 2000, nextIntervalMs: gappy(2000, 50) }, 12, { seed: 7, blockTimeMs: 2000, stallMs: 10_000 });
  const down = simulate({ pollMs: 2000, nextIntervalMs: regular(2000, 50) }, 8, {
    seed: 8,
    blockTimeMs: 2000,
    stallMs: 10_000,
    from: gappyRun.rhythm,
    start: T0 + 12 * H,
  });
  t.diagnostic(
    `raised above 20 s ${(raisedAfterMs! / 60_000).toFixed(1)} min after turning gappy; coming down, hourly: ${down.hourly.join(' ')}`,
  );
  assert.ok(down.hourly[1]! > 20_000, `after 2 h still ${down.hourly[1]}: tightening needs evidence`);
  assert.ok(down.hourly[7]! < 8000, `after 8 h ${down.hourly[7]}`);
  assert.equal(down.falseAlarms, 0);
});

test('a chain that slows down for good (1 s -> 3 s blocks) moves its stall without alarming', (t) => {
  const before = simulate({ pollMs: 1000, nextIntervalMs: regular(1000, 30) }, 3, { seed: 9, blockTimeMs: 1000, stallMs: 10_000 });
  const after = simulate({ pollMs: 1000, nextIntervalMs: regular(3000, 60) }, 2, {
    seed: 10,
    blockTimeMs: 1000,
    stallMs: 10_000,
    from: before.rhythm,
    start: T0 + 3 * H,
  });
  const s = stallOf(after.rhythm, 1000, 1000, 10_000);
  t.diagnostic(
    `before ${stallOf(before.rhythm, 1000, 1000, 10_000).stallMs}; hourly after: ${after.hourly.join(' ')}; false alarms ${after.falseAlarms}`,
  );
  assert.ok(s.stallMs > 4500 && s.stallMs < 8000, `stall ${s.stallMs}`);
  assert.equal(after.falseAlarms, 0);
  assert.ok(after.hourly[0]! > 4500, `within the first hour ${after.hourly[0]}`);
});

test('a real halt (5 min) is one observation: it does not move the learnt stall', () => {
  const base = simulate({ pollMs: 1000, nextIntervalMs: regular(1000, 30) }, 3, { seed: 11, blockTimeMs: 1000, stallMs: 10_000 });
  const before = stallOf(base.rhythm, 1000, 1000, 10_000, AUTO(10_000)).stallMs;
  let rhythm = base.rhythm;
  const last = rhythm.last!;
  // The endpoints keep answering with the same head for 5 minutes, then the chain resumes.
  for (let t = 1000; t <= 300_000; t += 1000) rhythm = observeHead(rhythm, { ...last, at: last.at + t }, { maxSilenceMs: 10_000 });
  rhythm = observeHead(
    rhythm,
    { number: last.number + 1, timestamp: last.timestamp + 301, at: last.at + 301_000 },
    { maxSilenceMs: 10_000 },
  );
  assert.equal(count(rhythm.gaps), count(base.rhythm.gaps) + 1, 'the halt was learnt as one gap');
  const afterHalt = stallOf(rhythm, 1000, 1000, 10_000, AUTO(10_000)).stallMs;
  assert.ok(Math.abs(afterHalt / before - 1) < 0.01, `${before} -> ${afterHalt}`);
  // ... and the winsorised rate barely moves: 1 s mean, a 300 s block counted as 8 s.
  assert.ok(meanBlockMs(rhythm)! < 1.01 * meanBlockMs(base.rhythm)!, `${meanBlockMs(rhythm)} vs ${meanBlockMs(base.rhythm)}`);
});

test('watcher blind (no head seen for longer than maxSilenceMs): the gap is not learnt', () => {
  const base = simulate({ pollMs: 1000, nextIntervalMs: regular(1000, 30) }, 1, { seed: 12, blockTimeMs: 1000, stallMs: 10_000 });
  const last = base.rhythm.last!;
  const after = observeHead(
    base.rhythm,
    { number: last.number + 3600, timestamp: last.timestamp + 3600, at: last.at + 3_600_000 },
    { maxSilenceMs: 10_000 },
  );
  assert.deepEqual(after.gaps, base.rhythm.gaps);
  assert.deepEqual(after.rate, base.rhythm.rate);
  assert.equal(after.last!.number, last.number + 3600);
  // The same gap while we kept seeing the old head is a halt and is learnt.
  let seen = base.rhythm;
  for (let t = 5000; t < 3_600_000; t += 5000) seen = observeHead(seen, { ...last, at: last.at + t }, { maxSilenceMs: 10_000 });
  seen = observeHead(
    seen,
    { number: last.number + 1, timestamp: last.timestamp + 3600, at: last.at + 3_600_000 },
    { maxSilenceMs: 10_000 },
  );
  assert.equal(count(seen.gaps), count(base.rhythm.gaps) + 1);
});

test('rhythm: repeated, older and out-of-order heads are not advances; pure', () => {
  let rhythm = initialChainRhythm();
  const s = { maxSilenceMs: 10_000 };
  rhythm = observeHead(rhythm, { number: 10, timestamp: 100, at: 100_000 }, s);
  rhythm = deepFreeze(observeHead(rhythm, { number: 11, timestamp: 101, at: 101_000 }, s));
  const frozen = JSON.stringify(rhythm);
  const same = observeHead(rhythm, { number: 11, timestamp: 101, at: 102_000 }, s);
  const older = observeHead(same, { number: 9, timestamp: 99, at: 103_000 }, s);
  const late = observeHead(older, { number: 12, timestamp: 102, at: 50_000 }, s);
  assert.equal(JSON.stringify(rhythm), frozen, 'input untouched');
  assert.equal(count(late.gaps), 1);
  assert.equal(late.advances, 1);
  assert.equal(late.seenAt, 103_000);
  const next = observeHead(late, { number: 13, timestamp: 104, at: 104_000 }, s);
  assert.equal(count(next.gaps), 2);
  assert.deepEqual(next.rate, { blocks: 3, ms: 4000 });
  assert.deepEqual(readChainRhythm(JSON.parse(JSON.stringify(next))), next);
  assert.deepEqual(readChainRhythm({ v: 0 }), initialChainRhythm());
});

test('rhythm state after a million heads stays under 1.2 KB of JSON', () => {
  const r = rng(13);
  let rhythm = initialChainRhythm();
  let number = 0;
  let at = T0;
  for (let i = 0; i < 1_000_000; i++) {
    const k = 1 + Math.floor(r() * 5);
    number += k;
    at += Math.round(20 * Math.exp(r() * Math.log(30_000)));
    rhythm = observeHead(rhythm, { number, timestamp: Math.floor(at / 1000), at }, { maxSilenceMs: Infinity });
  }
  const json = JSON.stringify(rhythm);
  assert.ok(json.length < 1200, `${json.length} bytes`);
  assert.ok(rhythm.rate.blocks < 8 * 8192 + 10, `rate sums bounded: ${rhythm.rate.blocks}`);
});

test('slow blocks: a 2 s chain that runs at 2.3 s is judged against 2.3 s; clamped to 1.5x', () => {
  const at23 = simulate({ pollMs: 2000, nextIntervalMs: regular(2300, 100) }, 2, { seed: 14, blockTimeMs: 2000, stallMs: 10_000 });
  const s = learnedSlowFactor({ rate: at23.rhythm.rate, blockTimeMs: 2000, slowFactor: 3 });
  assert.equal(s.source, 'learnt');
  assert.ok(Math.abs(s.expectedMs - 2300) < 25, `expected ${s.expectedMs}`);
  assert.ok(Math.abs(s.slowFactor - 3.45) < 0.04, `factor ${s.slowFactor}`);
  assert.ok(Math.abs(s.thresholdMs - 6900) < 80);
  const at5 = simulate({ pollMs: 2000, nextIntervalMs: regular(5000, 100) }, 2, { seed: 15, blockTimeMs: 2000, stallMs: 10_000 });
  const c = learnedSlowFactor({ rate: at5.rhythm.rate, blockTimeMs: 2000, slowFactor: 3 });
  assert.equal(c.expectedMs, 3000);
  assert.equal(c.basis.clampedBy, 'high');
  const early = learnedSlowFactor({ rate: { blocks: 100, ms: 230_000 }, blockTimeMs: 2000, slowFactor: 3 });
  assert.deepEqual([early.source, early.expectedMs, early.slowFactor], ['default', 2000, 3]);
});

test('slow blocks: a 250 ms chain polled every second (1 s timestamps) still learns 250 ms', () => {
  const run = simulate({ pollMs: 1000, nextIntervalMs: regular(250, 10) }, 1, { seed: 16, blockTimeMs: 250, stallMs: 10_000 });
  const s = learnedSlowFactor({ rate: run.rhythm.rate, blockTimeMs: 250, slowFactor: 3 });
  assert.ok(Math.abs(s.expectedMs / 250 - 1) < 0.01, `expected ${s.expectedMs}`);
  assert.equal(s.basis.clampedBy, null);
});

test('the ceiling: explicit stall stays the ceiling; the built-in one gives way to 10 min; overflow hits it', () => {
  assert.equal(stallCeilingMs({ configuredStallMs: 10_000, explicit: true }), 10_000);
  assert.equal(stallCeilingMs({ configuredStallMs: 10_000, explicit: false }), 600_000);
  assert.equal(stallCeilingMs({ configuredStallMs: 900_000, explicit: false }), 900_000);
  assert.equal(stallCeilingMs({ configuredStallMs: 10_000, explicit: false, autoCeilingMs: 120_000 }), 120_000);
  let sk = initialIntervalSketch();
  for (let i = 0; i < 3000; i++) sk = addObservation(sk, i % 100 === 0 ? 3 * H : 2000);
  const s = learnedStall({ sketch: sk, blockTimeMs: 2000, pollIntervalMs: 2000, configuredStallMs: 10_000, ceilingMs: 3 * H });
  assert.equal(s.basis.overflow, true);
  assert.deepEqual([s.stallMs, s.basis.clampedBy], [3 * H, 'ceiling']);
  // A floor above the ceiling: the user's explicit stall wins.
  const tight = learnedStall({ sketch: sk, blockTimeMs: 2000, pollIntervalMs: 2000, configuredStallMs: 5000, ceilingMs: 5000 });
  assert.ok(tight.stallMs <= 5000);
});
