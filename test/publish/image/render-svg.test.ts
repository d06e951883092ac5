import assert from 'node:assert/strict';
import { test } from 'node:test';
import { altText, ALT_TEXT_MAX } from '../../../src/publish/image/alt-text';
import { escapeXml, fitText, IMAGE_HEIGHT, IMAGE_WIDTH, renderIncidentSvg } from '../../../src/publish/image/render-svg';
import { chartWindow, columns, intervalScale, timeTicks } from '../../../src/publish/image/scale';
import { haltChart, haltIncident, RECOVERED, RESOLVED, STARTED } from './fixture';

const MIN = 60_000;

test('the chart marks the halt, the alert, the recovery and the resolution, with intervals and reports', () => {
  const svg = renderIncidentSvg(haltChart());
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1200" height="675"/);
  assert.match(svg, /<g id="incident-span">\n<rect [^>]*fill="#fee2e2"/);
  assert.match(svg, />Halted 3 h 12 min</);
  assert.match(svg, /class="marker-alert"/);
  assert.match(svg, />alert 12:03</);
  assert.match(svg, /class="marker-recovering"/);
  assert.match(svg, />recovering 15:15</);
  assert.match(svg, />resolved 15:20</);
  assert.match(svg, /<path class="interval" d="M/);
  assert.match(svg, /<path class="gap" d="M/, 'the halt climbs as time since the last block');
  assert.match(svg, /id="expected-block-time"/);
  assert.ok((svg.match(/class="report"/g) ?? []).length >= 40, 'one bar per minute with reports');
  assert.match(svg, />MegaETH: Block production halted</);
  assert.match(svg, />Resolved · Critical · halted for 3 h 12 min · since 2025-03-07 12:03 UTC</);
  assert.match(svg, />1 s</);
  assert.match(svg, />6 h</);
});

test('every coordinate stays on the 1200×675 canvas, even with data outside the window', () => {
  const chart = haltChart();
  chart.intervals = [{ t: chart.from - 3_600_000, seconds: 99_999 }, ...chart.intervals, { t: chart.to + 3_600_000, seconds: 0.0001 }];
  chart.reports = [...chart.reports, { t: chart.to + 10 * MIN, count: 10_000 }];
  const svg = renderIncidentSvg(chart);
  const xs = [...svg.matchAll(/\b(?:x|x1|x2)="(-?[\d.]+)"/g)].map((m) => Number(m[1]));
  const ys = [...svg.matchAll(/\b(?:y|y1|y2)="(-?[\d.]+)"/g)].map((m) => Number(m[1]));
  const path = [...svg.matchAll(/ d="([^"]+)"/g)].flatMap((m) =>
    [...m[1]!.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])] as const),
  );
  assert.ok(xs.length > 50 && ys.length > 50 && path.length > 100);
  for (const x of [...xs, ...path.map((p) => p[0])]) assert.ok(x >= 0 && x <= IMAGE_WIDTH, `x ${x}`);
  for (const y of [...ys, ...path.map((p) => p[1])]) assert.ok(y >= 0 && y <= IMAGE_HEIGHT, `y ${y}`);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
});

test('hostile titles and names are escaped and cut; characters XML forbids are dropped', () => {
  const chart = haltChart({
    incident: haltIncident({ title: '<script>alert("x")</script> & \'more\'\u0000\u0007\uFFFE', id: 'id-"><svg onload=1>' }),
  });
  chart.networkName = 'Mega<b>ETH</b>\uD800';
  const svg = renderIncidentSvg(chart);
  assert.doesNotMatch(svg, /<script|<b>|onload=1>|[\u0000-\u0008\uFFFE\uD800]/);
  assert.match(svg, /Mega&lt;b&gt;ETH&lt;\/b&gt;: &lt;script&gt;alert\(&quot;x&quot;\)/);
  assert.match(svg, /incident id-&quot;&gt;&lt;svg onload=1&gt;/);
  assert.equal(escapeXml(`a&b<c>"d"'e'`), 'a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  assert.equal(fitText('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  assert.equal(fitText('🙂'.repeat(20), 5), '🙂🙂🙂🙂…', 'never half an emoji');
});

test('an ongoing halt is shaded up to now and its gap climbs to now', () => {
  const now = STARTED + 40 * MIN;
  const incident = haltIncident({ status: 'investigating', recoveredAt: null, resolvedAt: null });
  const svg = renderIncidentSvg(haltChart({ incident, now }));
  assert.match(svg, />Halted 40 min</);
  assert.match(svg, />Investigating · Critical · 40 min so far · since 2025-03-07 12:03 UTC</);
  assert.doesNotMatch(svg, /marker-recovering|marker-resolved/);
  assert.match(svg, /<path class="gap"/);
});

test('no data at all still draws a readable chart', () => {
  const chart = haltChart();
  chart.intervals = [];
  chart.reports = [];
  const svg = renderIncidentSvg(chart);
  assert.match(svg, />No block data recorded for this window</);
  assert.match(svg, />No community reports in this window</);
});

test('alt text says what the chart shows, within X limits', () => {
  const alt = altText(haltChart());
  assert.match(alt, /^Chart of MegaETH block intervals and community outage reports per minute, 2025-03-07 11:3\d to 15:20 UTC\./);
  assert.match(alt, /Halted from 12:03 for 3 h 12 min, recovering at 15:15\. Resolved at 15:20\./);
  assert.match(alt, /Before, a block about every 1 s\. Longest gap between blocks: 3 h 12 min, ending 15:15\./);
  assert.match(alt, /Community reports: \d+ in all, peaking at 40 a minute at 12:07\./);
  const long = haltChart();
  long.networkName = 'N'.repeat(2000);
  assert.equal(Array.from(altText(long)).length, ALT_TEXT_MAX);
});

test('the window has a margin on both sides, never reaches past now, and fits the history', () => {
  const incident = haltIncident();
  assert.deepEqual(chartWindow(incident, RESOLVED), { from: STARTED - 30 * MIN, to: RESOLVED });
  assert.deepEqual(chartWindow(incident, RESOLVED + 3_600_000), { from: STARTED - 30 * MIN, to: RESOLVED + 30 * MIN });
  const short = haltIncident({ recoveredAt: STARTED + 60_000, resolvedAt: STARTED + 6 * MIN });
  assert.deepEqual(chartWindow(short, STARTED + 60 * MIN), { from: STARTED - 3 * MIN, to: STARTED + 9 * MIN });
  const blip = haltIncident({ recoveredAt: STARTED + 7_000, resolvedAt: STARTED + 9_000 });
  assert.deepEqual(chartWindow(blip, STARTED + 60 * MIN), { from: STARTED - MIN, to: STARTED + 9_000 + MIN });
  const long = chartWindow(haltIncident({ resolvedAt: null, recoveredAt: null }), STARTED + 10 * 3_600_000);
  assert.equal(long.to - long.from, 6 * 3_600_000);
});

test('scales: log ticks span the data and at least two decades; time ticks are round', () => {
  assert.deepEqual(
    intervalScale(0.9, 11_520, 1).ticks.map((t) => t.label),
    ['100 ms', '1 s', '10 s', '1 min', '10 min', '1 h', '6 h'],
  );
  assert.deepEqual(
    intervalScale(1, 1.4, 1).ticks.map((t) => t.label),
    ['1 s', '10 s', '1 min'],
  );
  assert.deepEqual(
    intervalScale(0.25, 0.3, 0.25).ticks.map((t) => t.label),
    ['100 ms', '1 s', '10 s'],
  );
  assert.deepEqual(
    timeTicks(STARTED - 30 * MIN, RESOLVED).ticks.map((t) => new Date(t).toISOString().slice(11, 16)),
    ['12:00', '12:30', '13:00', '13:30', '14:00', '14:30', '15:00'],
  );
  const short = timeTicks(STARTED, STARTED + 2 * MIN);
  assert.equal(short.step, 15_000);
  assert.equal(short.ticks.length, 9);
});

test('a short incident: times to the second, labels of close events never overlap, no red below twice the block time', () => {
  const incident = haltIncident({
    openedAt: STARTED + 3_000,
    recoveredAt: STARTED + 7_000,
    resolvedAt: STARTED + 9_000,
    updatedAt: STARTED + 9_000,
  });
  const chart = haltChart({ incident, now: STARTED + 9_000, intervals: 120 });
  const svg = renderIncidentSvg(chart);
  const labels = [
    ...svg.matchAll(
      /<text x="([\d.]+)" y="([\d.]+)" font-size="14" fill="#(?:ea580c|16a34a|374151)" text-anchor="(start|end)">([^<]+)<\/text>/g,
    ),
  ].map((m) => ({ x: Number(m[1]), y: Number(m[2]), end: m[3] === 'end', text: m[4]! }));
  assert.deepEqual(labels.map((l) => l.text).sort(), ['alert 12:03:03', 'recovering 12:03:07', 'resolved 12:03:09']);
  const boxes = labels.map((l) => ({ y: l.y, a: l.end ? l.x - l.text.length * 8 : l.x, b: l.end ? l.x : l.x + l.text.length * 8 }));
  for (const p of boxes) for (const q of boxes) if (p !== q && p.y === q.y) assert.ok(p.b < q.a || p.a > q.b, 'overlapping labels');
  assert.match(svg, />12:03:00</, 'ticks to the second');
  // 1 s blocks in columns of ~0.1 s: the line holds between blocks instead of flickering red.
  assert.equal((svg.match(/<path class="gap"/g) ?? []).length, 1, 'one red climb: the halt');
});

test('columns keep the largest interval and climb through a gap until the data ends', () => {
  const cols = columns(
    [
      { t: 500, seconds: 1 },
      { t: 600, seconds: 3 },
      { t: 5_500, seconds: 5 },
    ],
    0,
    10_000,
    10,
    8_000,
  );
  assert.equal(cols[0]!.interval, 3);
  assert.equal(cols[1]!.gap, (2000 - 600) / 1000);
  assert.equal(cols[4]!.gap, (5000 - 600) / 1000);
  assert.equal(cols[5]!.interval, 5);
  assert.equal(cols[7]!.gap, (8000 - 5500) / 1000);
  assert.equal(cols[8]!.gap, null, 'nothing is known after the data ends');
});

test('a span (older history, summarised per minute) has blocks in every column it covers, and the gap climbs after it', () => {
  const cols = columns(
    [
      { t: 3_500, seconds: 1.4, span: { since: 200, count: 30, mean: 1 } },
      { t: 9_500, seconds: 6 },
    ],
    0,
    10_000,
    10,
    10_000,
    2,
  );
  assert.deepEqual(
    cols.slice(0, 4).map((c) => c.interval),
    [1.4, 1.4, 1.4, 1.4],
    'from since to t, not only the column of t',
  );
  assert.equal(cols[4]!.gap, null, 'under twice the block time since the span ended: the line holds');
  assert.equal(cols[5]!.gap, (6000 - 3500) / 1000, 'the time since the last block of the span');
  assert.equal(cols[9]!.interval, 6);
});

test('the alt text tells the usual pace from the mean of a span, not its longest interval', () => {
  const chart = haltChart({ intervals: 0 });
  const before = { t: chart.from + 10 * MIN, seconds: 4, span: { since: chart.from, count: 600, mean: 1 } };
  const alt = altText({ ...chart, intervals: [before, ...chart.intervals] });
  assert.match(alt, /Before, a block about every 1 s\./);
});
