import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockIntervals, type HeadPoint } from '../../../src/model';
import { chartColumns, renderChart, SPARK } from '../../../src/http/status/chart';
import { BUCKET_MS, IntervalWindow } from '../../../src/http/status/intervals';

const NOW = Date.UTC(2025, 2, 7, 12, 0, 0);
const base = { expectedMs: 1000, slowFactor: 3, now: NOW };
const bucket = (t: number, maxS: number, count = 1) => ({ t: Math.floor(t / BUCKET_MS) * BUCKET_MS, maxS, count });

test('columns keep the longest interval of their minute; slow ones are marked', () => {
  const buckets = [bucket(NOW - 3590_000, 1), bucket(NOW - 3570_000, 5), bucket(NOW - 30_000, 1.2)];
  const cols = chartColumns({ ...base, buckets, lastHeadAt: NOW - 1000 }, 60);
  assert.deepEqual(cols[0], { maxS: 5, kind: 'slow' });
  assert.deepEqual(cols[59], { maxS: 1.2, kind: 'ok' });
  assert.equal(cols.filter((c) => c === null).length, 58, 'minutes without blocks stay empty');
});

test('a halt in progress shows as a growing gap from the last head to now', () => {
  const cols = chartColumns({ ...base, buckets: [bucket(NOW - 600_000, 1)], lastHeadAt: NOW - 600_000 }, 60);
  assert.deepEqual(
    cols.slice(50).map((c) => c?.kind),
    Array(10).fill('gap'),
  );
  assert.equal(cols[59]!.maxS, 600);
  assert.equal(cols[50]!.maxS, 60);
  assert.equal(
    chartColumns({ ...base, buckets: [], lastHeadAt: NOW - 2000 }, 60).every((c) => c === null),
    true,
    'a short gap is no halt',
  );
});

test('SVG: accessible summary, escaped label, one path per kind, no script', () => {
  const svg = renderChart(
    { ...base, buckets: [bucket(NOW - 1000, 1, 3), bucket(NOW - 120_000, 4)], lastHeadAt: NOW - 1000 },
    SPARK,
    'Block intervals of <x>',
  ).value;
  assert.match(
    svg,
    /^<svg class="chart" viewBox="0 0 300 44" preserveAspectRatio="none" role="img" aria-label="Block intervals of &lt;x&gt;: 4 intervals in the last hour, longest 4 s, expected 1 s"><title>/,
  );
  assert.match(svg, /<path class="c-ok" d="M295 44V\d+(\.\d)?h4.4V44z"\/>/);
  assert.match(svg, /<path class="c-slow" d="M290 44V2h4.4V44z"/);
  assert.doesNotMatch(svg, /<script|<x>/);
  const empty = renderChart({ ...base, buckets: [], lastHeadAt: null }, SPARK, 'c').value;
  assert.match(empty, /aria-label="c: no blocks seen in the last hour"/);
});

test('the interval window folds new points as blockIntervals would, and stays an hour long', () => {
  const points: HeadPoint[] = [];
  let n = 100;
  for (let t = NOW - 3600_000; t <= NOW; t += 1000) {
    if (t % 7000 === 0) continue; // a missed poll: two blocks in one interval
    n += t % 7000 === 1000 ? 2 : 1;
    points.push({ t, n, ts: Math.floor(t / 1000) - (t > NOW - 600_000 && t < NOW - 590_000 ? 5 : 0) });
  }
  points.splice(100, 0, { t: NOW - 3000_000, n: 50, ts: 1 }); // a lagging endpoint's old head: no progress
  const w = new IntervalWindow();
  // In three reads with overlap, as the status source reads them.
  w.add(points.slice(0, 1200));
  w.add(points.slice(1100, 2500));
  w.add(points.slice(2400));
  const want = new Map<number, { maxS: number; count: number }>();
  for (const iv of blockIntervals(points)) {
    const t = Math.floor(iv.t / BUCKET_MS) * BUCKET_MS;
    const b = want.get(t) ?? { maxS: 0, count: 0 };
    want.set(t, { maxS: Math.max(b.maxS, iv.seconds), count: b.count + 1 });
  }
  assert.deepEqual(
    w.list(),
    [...want].map(([t, b]) => ({ t, ...b })).sort((a, b) => a.t - b.t),
  );
  assert.equal(w.lastHeadAt(), points.at(-1)!.t);
  w.trim(NOW - 600_000);
  assert.equal(w.list().length, 31);
  assert.ok(w.list().every((b) => b.t + BUCKET_MS > NOW - 600_000));
});
