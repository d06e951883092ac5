/**
 * Incident picture render time: SVG build (pure) and PNG (resvg) for a three-hour halt drawn
 * from 10,800 block intervals, the incident window of the 2025-03-07 outage.
 * `npx tsx bench/image.ts [--out FILE.png]`: one JSON line per figure on stdout, a table on stderr.
 */
import { writeFileSync } from 'node:fs';
import { renderPng } from '../src/publish/image/render-png';
import { renderIncidentSvg } from '../src/publish/image/render-svg';
import { haltChart } from '../test/publish/image/fixture';

const RUNS = 20;
const chart = haltChart({ intervals: 10_800 });
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : null;

const svgMs: number[] = [];
const pngMs: number[] = [];
let svg = '';
let png: Buffer = Buffer.alloc(0);
for (let i = 0; i < RUNS + 2; i++) {
  const t0 = performance.now();
  svg = renderIncidentSvg(chart);
  const t1 = performance.now();
  png = await renderPng(svg);
  const t2 = performance.now();
  if (i >= 2) {
    svgMs.push(t1 - t0);
    pngMs.push(t2 - t1);
  }
}
if (out) writeFileSync(out, png);

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const total = svgMs.map((s, i) => s + pngMs[i]!);
const r = (x: number) => Math.round(x * 100) / 100;
const figures = [
  { figure: 'image_svg_ms', median: r(q(svgMs, 0.5)), p95: r(q(svgMs, 0.95)) },
  { figure: 'image_png_ms', median: r(q(pngMs, 0.5)), p95: r(q(pngMs, 0.95)) },
  { figure: 'image_total_ms', median: r(q(total, 0.5)), p95: r(q(total, 0.95)) },
];
for (const f of figures)
  console.log(JSON.stringify({ ...f, intervals: chart.intervals.length, runs: RUNS, svgBytes: svg.length, pngBytes: png.length }));
console.error(`incident picture, ${chart.intervals.length} intervals, ${RUNS} runs: svg ${svg.length} B, png ${png.length} B`);
for (const f of figures) console.error(`  ${f.figure.padEnd(16)} median ${f.median.toFixed(1)} ms  p95 ${f.p95.toFixed(1)} ms`);
