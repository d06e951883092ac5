import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_TOTAL,
  SKETCH_BUCKETS,
  SKETCH_MAX_MS,
  SKETCH_MIN_MS,
  addObservation,
  bucketLowerMs,
  bucketOf,
  bucketUpperMs,
  count,
  initialIntervalSketch,
  isIntervalSketch,
  quantile,
  quantileInOverflow,
} from '../../../src/engine/learn/interval-sketch';
import { deepFreeze, normal, rng } from './sim';

test('a new sketch is empty, plain JSON, 64 buckets', () => {
  const s = initialIntervalSketch();
  assert.equal(s.counts.length, SKETCH_BUCKETS);
  assert.equal(count(s), 0);
  assert.equal(quantile(s, 0.5), null);
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  assert.ok(isIntervalSketch(JSON.parse(JSON.stringify(s))));
  assert.ok(!isIntervalSketch({ ...s, v: 99 }), 'another layout is not read');
  assert.ok(!isIntervalSketch({ ...s, counts: s.counts.slice(1) }));
});

test('buckets are contiguous, 14.9 % wide, 100 ms to 9 min', () => {
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(SKETCH_MIN_MS - 0.001), 0);
  assert.equal(bucketOf(SKETCH_MIN_MS), 1);
  assert.equal(bucketOf(SKETCH_MAX_MS), SKETCH_BUCKETS - 1);
  assert.equal(bucketOf(3_600_000), SKETCH_BUCKETS - 1);
  assert.ok(Math.abs(SKETCH_MAX_MS - 540_470) < 1, `overflow starts at ${SKETCH_MAX_MS}`);
  for (let i = 1; i < SKETCH_BUCKETS - 1; i++) {
    assert.equal(bucketOf(bucketLowerMs(i)), i, `lower edge of ${i}`);
    assert.equal(bucketOf(bucketUpperMs(i) - 1e-6), i, `just below the upper edge of ${i}`);
    assert.ok(Math.abs(bucketUpperMs(i) / bucketLowerMs(i) - 1.1487) < 1e-4);
    assert.equal(bucketUpperMs(i), bucketLowerMs(i + 1));
  }
});

test('quantiles of a smooth distribution are within 4 % of the truth', () => {
  const r = rng(11);
  let s = initialIntervalSketch();
  // Log-normal, median 2 s, sigma 0.5: the q-quantile is 2000 · exp(0.5 z_q).
  for (let i = 0; i < 50_000; i++) s = addObservation(s, 2000 * Math.exp(normal(r, 0, 0.5)));
  const z = { 0.1: -1.2816, 0.5: 0, 0.9: 1.2816, 0.99: 2.3263 } as const;
  for (const [q, zq] of Object.entries(z)) {
    const truth = 2000 * Math.exp(0.5 * zq);
    const got = quantile(s, Number(q))!;
    assert.ok(Math.abs(got / truth - 1) < 0.04, `q${q}: ${got.toFixed(0)} vs ${truth.toFixed(0)}`);
  }
  let prev = 0;
  for (let q = 0; q <= 1; q += 0.01) {
    const v = quantile(s, q)!;
    assert.ok(v >= prev, `monotone at ${q}`);
    prev = v;
  }
});

test('a point mass is placed inside its own bucket; q = 0 and q = 1 stay inside the data', () => {
  let s = initialIntervalSketch();
  for (let i = 0; i < 100; i++) s = addObservation(s, 1000);
  const i = bucketOf(1000);
  for (const q of [0, 0.5, 0.999, 1]) {
    const v = quantile(s, q)!;
    assert.ok(v >= bucketLowerMs(i) && v <= bucketUpperMs(i), `q${q} = ${v}`);
  }
});

test('counts are halved once the total passes maxTotal: half-life maxTotal / 2 observations', () => {
  let s = initialIntervalSketch();
  for (let i = 0; i < DEFAULT_MAX_TOTAL; i++) s = addObservation(s, 1000);
  assert.equal(count(s), DEFAULT_MAX_TOTAL);
  assert.equal(s.halvings, 0);
  s = addObservation(s, 1000);
  assert.equal(s.halvings, 1);
  assert.equal(count(s), (DEFAULT_MAX_TOTAL + 1) / 2);
  // Old mass (1 s) against new (5 s): after k more halvings the old share is about 2^-k.
  for (let k = 1; k <= 3; k++) {
    for (let i = 0; i < DEFAULT_MAX_TOTAL / 2; i++) s = addObservation(s, 5000);
    const old = s.counts[bucketOf(1000)]! / count(s);
    assert.equal(s.halvings, 1 + k);
    assert.ok(old <= 2 ** -k * 1.01 && old >= 2 ** -k * 0.49, `after ${k} half-lives the old share is ${old}`);
  }
});

test('a million observations: total and JSON stay bounded', () => {
  const r = rng(5);
  let s = initialIntervalSketch();
  // Log-uniform over 20 ms .. 2 h: every bucket gets mass, the worst case for size.
  for (let i = 0; i < 1_000_000; i++) s = addObservation(s, 20 * Math.exp(r() * Math.log(360_000)));
  assert.ok(
    s.counts.every((c) => c > 0),
    'every bucket in use',
  );
  assert.ok(count(s) <= DEFAULT_MAX_TOTAL && count(s) > DEFAULT_MAX_TOTAL / 2);
  const json = JSON.stringify(s);
  assert.ok(json.length <= 1000, `${json.length} bytes`);
  assert.ok(
    s.counts.every((c) => Number.isFinite(c) && (c * 64) % 1 === 0),
    'counts on a 1/64 grid',
  );
});

test('the overflow bucket reports a lower bound and says so', () => {
  let s = initialIntervalSketch();
  for (let i = 0; i < 10; i++) s = addObservation(s, 2 * 3_600_000);
  assert.equal(quantile(s, 0.5), SKETCH_MAX_MS);
  assert.ok(quantileInOverflow(s, 0.5));
  s = addObservation(addObservation(s, 1000), 1000);
  assert.ok(!quantileInOverflow(s, 0.1));
});

test('pure: never mutates its input; ignores nonsense', () => {
  const s = deepFreeze(addObservation(initialIntervalSketch(), 1500));
  const before = JSON.stringify(s);
  const t = addObservation(s, 2500);
  assert.equal(JSON.stringify(s), before);
  assert.equal(count(t), 2);
  assert.equal(addObservation(s, Number.NaN), s);
  assert.equal(addObservation(s, -5), s);
  assert.equal(addObservation(s, Infinity), s);
});
