/**
 * Axis arithmetic for the incident chart: the time window, UTC time ticks, the log scale of
 * block intervals and the per-pixel reduction of many thousands of intervals. Pure.
 */
import { type BlockInterval, HISTORY_BOUNDS, type Incident } from '../../model';

const MINUTE = 60_000;

/**
 * What the chart shows: a margin before the incident began and after it ended (or up to now).
 * Never longer than the history keeps (6 h), and never in the future.
 */
export function chartWindow(incident: Pick<Incident, 'startedAt' | 'resolvedAt'>, now: number): { from: number; to: number } {
  const end = Math.min(incident.resolvedAt ?? now, now);
  const span = Math.max(0, end - incident.startedAt);
  // Half the incident on each side, between one minute and half an hour: a 20 s blip is not
  // a sliver at the edge of an hour, and a three-hour halt keeps most of the width.
  const margin = Math.min(30 * MINUTE, Math.max(MINUTE, span / 2));
  const to = Math.min(now, end + margin);
  const from = Math.max(incident.startedAt - margin, to - HISTORY_BOUNDS.retentionMs);
  return { from, to: Math.max(to, from + MINUTE) };
}

const TIME_STEPS_S = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** UTC tick times on round seconds or minutes, at most `max` of them; `step` in ms. */
export function timeTicks(from: number, to: number, max = 8): { ticks: number[]; step: number } {
  const span = Math.max(to - from, 1);
  const step = (TIME_STEPS_S.find((s) => span / (s * 1000) <= max) ?? 86_400) * 1000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { ticks, step };
}

/** Seconds at which the interval axis may have a tick, with their labels. */
export const INTERVAL_TICKS: readonly { s: number; label: string }[] = [
  { s: 0.01, label: '10 ms' },
  { s: 0.1, label: '100 ms' },
  { s: 1, label: '1 s' },
  { s: 10, label: '10 s' },
  { s: 60, label: '1 min' },
  { s: 600, label: '10 min' },
  { s: 3600, label: '1 h' },
  { s: 21_600, label: '6 h' },
  { s: 86_400, label: '1 day' },
];

export interface LogScale {
  lo: number;
  hi: number;
  ticks: { s: number; label: string }[];
}

/**
 * A log scale from the tick at or below the smallest interval (or the expected block time) to
 * the tick at or above the largest (the halt), at least one decade tall.
 */
export function intervalScale(min: number, max: number, blockTimeS: number | null): LogScale {
  const ticks = INTERVAL_TICKS;
  const low = Math.min(Number.isFinite(min) && min > 0 ? min : 1, blockTimeS ?? Infinity);
  const loIdx = Math.max(
    0,
    ticks.findLastIndex((t) => t.s <= low),
  );
  let hiIdx = ticks.findIndex((t) => t.s >= (Number.isFinite(max) ? max : 0));
  if (hiIdx < 0) hiIdx = ticks.length - 1;
  hiIdx = Math.min(ticks.length - 1, Math.max(hiIdx, loIdx + 2));
  return { lo: ticks[loIdx]!.s, hi: ticks[hiIdx]!.s, ticks: ticks.slice(loIdx, hiIdx + 1) };
}

/** 0 at the bottom (lo), 1 at the top (hi); values outside are clamped. */
export function logPosition(scale: LogScale, s: number): number {
  const v = Math.min(Math.max(s, scale.lo), scale.hi);
  return (Math.log10(v) - Math.log10(scale.lo)) / (Math.log10(scale.hi) - Math.log10(scale.lo));
}

export interface Column {
  /** Largest interval among blocks first seen in this column, seconds; null when none. */
  interval: number | null;
  /** No block in this column: seconds since the last block at the column's end; null otherwise. */
  gap: number | null;
}

/** What an interval says about the usual pace: a span's mean, else its own seconds. */
export const typicalSeconds = (iv: BlockInterval): number => iv.span?.mean ?? iv.seconds;

/**
 * The largest span value per column: a span (older history, summarised per minute) stands for
 * blocks all through [since, t], so every column it touches has blocks, not only the one at `t`.
 */
function spanColumns(intervals: readonly BlockInterval[], from: number, dt: number, n: number): (number | null)[] {
  const out: (number | null)[] = Array.from({ length: n }, () => null);
  for (const iv of intervals) {
    if (!iv.span) continue;
    const c0 = Math.max(0, Math.floor((iv.span.since - from) / dt));
    const c1 = Math.min(n - 1, Math.floor((iv.t - from) / dt));
    for (let c = c0; c <= c1; c++) out[c] = Math.max(out[c] ?? 0, iv.seconds);
  }
  return out;
}

/**
 * Reduces intervals to one value per pixel column (the largest, so a spike is never averaged
 * away). A column without a new block shows the time since the last one once that exceeds
 * `gapAfterS` (twice the block time), so a halt climbs while it lasts instead of appearing only
 * when blocks return; below that (columns narrower than a block) the last interval holds.
 * `dataEnd`: up to when the absence of blocks is known (now for an open incident).
 */
export function columns(
  intervals: readonly BlockInterval[],
  from: number,
  to: number,
  n: number,
  dataEnd: number,
  gapAfterS = 0,
): Column[] {
  const dt = (to - from) / n;
  const out: Column[] = Array.from({ length: n }, () => ({ interval: null, gap: null }));
  const spans = spanColumns(intervals, from, dt, n);
  let i = 0;
  let lastT: number | null = null;
  let lastS: number | null = null;
  while (i < intervals.length && intervals[i]!.t < from) {
    lastS = intervals[i]!.seconds;
    lastT = intervals[i++]!.t;
  }
  for (let c = 0; c < n; c++) {
    const end = from + (c + 1) * dt;
    let best: number | null = spans[c] ?? null;
    while (i < intervals.length && intervals[i]!.t < end) {
      const iv = intervals[i++]!;
      if (iv.t > to) break;
      best = best === null ? iv.seconds : Math.max(best, iv.seconds);
      lastT = iv.t;
      lastS = iv.seconds;
    }
    if (best !== null) out[c]!.interval = Math.max(best, 0);
    else if (lastT !== null && end - dt < dataEnd) {
      const age = (Math.min(end, dataEnd) - lastT) / 1000;
      if (age > gapAfterS) out[c]!.gap = age;
      else out[c]!.interval = Math.max(lastS ?? 0, 0);
    }
  }
  return out;
}

/** The median of a list of numbers (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
