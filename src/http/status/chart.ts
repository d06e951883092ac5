import { BUCKET_MS, type Bucket } from './intervals';
import { formatSeconds } from '../../util/format';
import { html, raw, type Html } from './html';

/**
 * The block-interval chart of the last hour, as inline SVG (no script, no external asset).
 * The hour is cut into columns; each column's bar is the longest interval in it, so one slow
 * block is never averaged away; the scale is logarithmic. A halt has no interval until blocks
 * return, so the gap since the last head is drawn too, in red, growing with every refresh. Pure.
 */

export const CHART_WINDOW_MS = 3600_000;

const r1 = (v: number) => Math.round(v * 10) / 10;

export interface ChartInput {
  /** Longest interval per 20 s bucket (src/http/status/intervals.ts). */
  buckets: readonly Bucket[];
  /** When the newest head was first seen (ms), for the current gap; null without one. */
  lastHeadAt: number | null;
  expectedMs: number;
  /** Intervals above expected × slowFactor are drawn as slow. */
  slowFactor: number;
  now: number;
}

export interface ChartSize {
  width: number;
  height: number;
  columns: number;
  /** Axis labels and the expected-block-time line (the detail page). */
  axes: boolean;
}

export const SPARK: ChartSize = { width: 300, height: 44, columns: 60, axes: false };
export const DETAIL: ChartSize = { width: 720, height: 180, columns: 180, axes: true };

interface Column {
  maxS: number;
  kind: 'ok' | 'slow' | 'gap';
}

export function chartColumns(input: ChartInput, columns: number): (Column | null)[] {
  const from = input.now - CHART_WINDOW_MS;
  const width = CHART_WINDOW_MS / columns;
  const cols: (Column | null)[] = Array.from({ length: columns }, () => null);
  const slowS = (input.expectedMs * input.slowFactor) / 1000;
  for (const b of input.buckets) {
    const mid = b.t + BUCKET_MS / 2;
    if (mid < from || b.t > input.now) continue;
    const i = Math.min(columns - 1, Math.floor((mid - from) / width));
    const c = cols[i];
    if (!c || b.maxS > c.maxS) cols[i] = { maxS: b.maxS, kind: b.maxS > slowS ? 'slow' : 'ok' };
  }
  // The gap since the last head, once it is longer than a slow block: a halt in progress.
  if (input.lastHeadAt !== null) {
    const gapS = (input.now - input.lastHeadAt) / 1000;
    if (gapS > slowS) {
      // Each column from the last head's on shows the gap as it stood at the column's end.
      for (let i = Math.max(0, Math.floor((input.lastHeadAt - from) / width)); i < columns; i++) {
        const atEnd = Math.min(input.now, from + (i + 1) * width);
        const s = (atEnd - input.lastHeadAt) / 1000;
        const c = cols[i];
        if (s > slowS && (!c || s > c.maxS)) cols[i] = { maxS: s, kind: 'gap' };
      }
    }
  }
  return cols;
}

/** A scale that shows ordinary blocks, and stretches (up to a cap) to show the slow ones. */
function yMax(cols: readonly (Column | null)[], expectedS: number): number {
  const top = Math.max(expectedS * 3, ...cols.map((c) => c?.maxS ?? 0));
  return Math.min(top, Math.max(expectedS * 60, 60));
}

export function renderChart(input: ChartInput, size: ChartSize, label: string): Html {
  const cols = chartColumns(input, size.columns);
  const expectedS = input.expectedMs / 1000;
  const top = yMax(cols, expectedS);
  const padL = size.axes ? 40 : 0;
  const padB = size.axes ? 16 : 0;
  const w = size.width - padL;
  const h = size.height - padB;
  const colW = w / size.columns;
  // Log scale in units of the expected block time: ordinary blocks stay visible beside a halt.
  const scale = (s: number) => Math.log1p(Math.min(s, top) / expectedS);
  const y = (s: number) => h - (scale(s) / scale(top)) * (h - 2);
  // One path per kind, a sub-path per column: a tenth of the bytes of a rect per column.
  const paths = (['ok', 'slow', 'gap'] as const).map((kind) => {
    const d = cols
      .map((c, i) => {
        if (c?.kind !== kind) return '';
        const top = Math.min(y(Math.max(c.maxS, 0)), h - 1);
        return `M${r1(padL + i * colW)} ${h}V${r1(top)}h${r1(Math.max(1, colW - 0.6))}V${h}z`;
      })
      .join('');
    return d ? `<path class="c-${kind}" d="${d}"/>` : '';
  });
  const seen = input.buckets.filter((b) => b.t + BUCKET_MS > input.now - CHART_WINDOW_MS).reduce((n, b) => n + b.count, 0);
  const longest = Math.max(0, ...cols.map((c) => c?.maxS ?? 0));
  const summary =
    seen === 0 && longest === 0
      ? `${label}: no blocks seen in the last hour`
      : `${label}: ${seen} intervals in the last hour, longest ${formatSeconds(longest * 1000)}, expected ${formatSeconds(input.expectedMs)}`;
  const axes = size.axes
    ? [
        `<line class="c-exp" x1="${padL}" x2="${size.width}" y1="${y(expectedS).toFixed(1)}" y2="${y(expectedS).toFixed(1)}"/>`,
        `<text class="c-lbl" x="${padL - 4}" y="${(y(top) + 9).toFixed(1)}" text-anchor="end">${formatSeconds(top * 1000)}</text>`,
        `<text class="c-lbl" x="${padL - 4}" y="${y(expectedS).toFixed(1)}" text-anchor="end" dominant-baseline="middle">${formatSeconds(input.expectedMs)}</text>`,
        `<text class="c-lbl" x="${padL}" y="${size.height - 3}">60 min ago</text>`,
        `<text class="c-lbl" x="${size.width}" y="${size.height - 3}" text-anchor="end">now</text>`,
        `<line class="c-axis" x1="${padL}" x2="${size.width}" y1="${h}" y2="${h}"/>`,
      ].join('')
    : `<line class="c-axis" x1="0" x2="${size.width}" y1="${h}" y2="${h}"/>`;
  return html`<svg class="chart${size.axes ? ' chart-detail' : ''}" viewBox="0 0 ${size.width} ${size.height}"${raw(size.axes ? '' : ' preserveAspectRatio="none"')} role="img" aria-label="${summary}"><title>${summary}</title>${raw(axes + paths.join(''))}</svg>`;
}
