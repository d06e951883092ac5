import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartColumns, renderChart, SPARK } from '../../../src/http/status/chart';

const NOW = Date.UTC(2025, 2, 7, 12, 0, 0);
const base = { expectedMs: 1000, slowFactor: 3, now: NOW };

test('columns keep the longest interval of their minute; slow ones are marked', () => {
  const intervals = [
    { t: NOW - 3599_000, seconds: 1 },
    { t: NOW - 3598_000, seconds: 5 },
    { t: NOW - 30_000, seconds: 1.2 },
  ];
  const cols = chartColumns({ ...base, intervals, lastHeadAt: NOW - 1000 }, 60);
  assert.deepEqual(cols[0], { maxS: 5, kind: 'slow' });
  assert.deepEqual(cols[59], { maxS: 1.2, kind: 'ok' });
  assert.equal(cols.filter((c) => c === null).length, 58, 'minutes without blocks stay empty');
});

test('a halt in progress shows as a growing gap from the last head to now', () => {
  const cols = chartColumns({ ...base, intervals: [{ t: NOW - 600_000, seconds: 1 }], lastHeadAt: NOW - 600_000 }, 60);
  assert.deepEqual(cols.slice(50).map((c) => c?.kind), Array(10).fill('gap'));
  assert.equal(cols[59]!.maxS, 600);
  assert.equal(cols[50]!.maxS, 60);
  assert.equal(chartColumns({ ...base, intervals: [], lastHeadAt: NOW - 2000 }, 60).every((c) => c === null), true, 'a short gap is no halt');
});

test('SVG: accessible summary, escaped label, no script', () => {
  const svg = renderChart({ ...base, intervals: [{ t: NOW - 1000, seconds: 1 }], lastHeadAt: NOW - 1000 }, SPARK, 'Block intervals of <x>').value;
  assert.match(svg, /^<svg class="chart" viewBox="0 0 300 44" preserveAspectRatio="none" role="img" aria-label="Block intervals of &lt;x&gt;: 1 intervals in the last hour, longest 1 s, expected 1 s"><title>/);
  assert.match(svg, /<rect class="c-ok" x="295.0"/);
  assert.doesNotMatch(svg, /<script|<x>/);
  const empty = renderChart({ ...base, intervals: [], lastHeadAt: null }, SPARK, 'c').value;
  assert.match(empty, /aria-label="c: no blocks seen in the last hour"/);
});
