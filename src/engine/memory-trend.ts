/**
 * A node's resident memory over time, against its limit: when will it run out? Pure: points
 * and settings in, a trend and a decision out; the caller gives the time.
 *
 * The slope is a Theil–Sen fit (the median of the slopes between every pair of points), which
 * a single spike or a few garbage readings cannot move, unlike least squares. A fit counts only
 * when the Mann–Kendall test (the same pairs: how many go up rather than down) says the rise is
 * no accident: z >= 4.5, about a 1-in-300,000 chance for noise on a flat line, so a day of
 * scrapes of a flat noisy node raises nothing. A steady rise after a flat stretch passes about
 * 10 points in (16 points at least in all); a noisy one needs more. Fits are made over the last 16, 32, 64 and 120 points: a short window
 * sees a leak that started a minute ago (over the whole window a recent rise is outvoted by
 * the flat history before it), a long one sees a slow leak under noise. The most alarming fit
 * that counts is the trend.
 */
import type { MemorySettings } from '../config/network';
import type { Severity } from '../model';

/** [ms epoch, bytes]: arrays, not objects, to keep the state key small. */
export type MemoryPoint = [t: number, bytes: number];

/** The window kept per endpoint: 30 minutes, at most 120 points (README "Bounds"). */
export const TREND_WINDOW_MS = 30 * 60_000;
export const TREND_MAX_POINTS = 120;
/** Fewer points than this say nothing about a trend (the test below cannot pass on fewer than 13). */
const TREND_MIN_POINTS = 16;
const FIT_WINDOWS = [16, 32, 64, 120] as const;
/** Mann–Kendall z a rise must reach. */
const SIGNIFICANCE_Z = 4.5;
/** Whether the trend has turned is judged on the last few points. */
const RECENT_POINTS = 6;
/**
 * A rise so slow that it would take longer than this to fill the limit is not pressure, even
 * above the high watermark.
 */
const RISING_HORIZON_MS = 24 * 3_600_000;
/** The rule must hold on this many scrapes in a row before the alarm is raised ... */
const FIRE_AFTER = 2;
/** ... and the trend must have turned on this many in a row before it clears. */
const CALM_AFTER = 3;
/** Major when out of memory within this, or at this share of the limit; else minor. */
const MAJOR_WITHIN_MS = 15 * 60_000;
const MAJOR_RATIO = 0.95;
const HOUR = 3_600_000;

export interface MemoryTrendState {
  points: MemoryPoint[];
  limitBytes: number | null;
  /** The alarm is raised. */
  active: boolean;
  /** Scrapes in a row on which the rule held (while not active). */
  pending: number;
  /** Scrapes in a row on which the trend had turned (while active). */
  calm: number;
  since: number | null;
  /** When the alarm last cleared: raising it again needs points after this. */
  clearedAt: number | null;
}

export function initialMemoryTrend(): MemoryTrendState {
  return { points: [], limitBytes: null, active: false, pending: 0, calm: 0, since: null, clearedAt: null };
}

export interface LineFit {
  /** Bytes per ms. */
  slope: number;
  /** Mann–Kendall z: how unlikely this many rising pairs are on a flat line (positive: rising). */
  z: number;
  points: number;
  spanMs: number;
}

function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Theil–Sen line through the points (oldest first, distinct times) with its Mann–Kendall z. */
export function fitTheilSen(points: readonly MemoryPoint[]): LineFit | null {
  const n = points.length;
  if (n < 2) return null;
  const slopes: number[] = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dt = points[j]![0] - points[i]![0];
      const dy = points[j]![1] - points[i]![1];
      if (dt > 0) slopes.push(dy / dt);
      s += Math.sign(dy);
    }
  }
  if (slopes.length === 0) return null;
  // Variance without the tie correction: ties (a flat, quantised series) only make z smaller.
  const sd = Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const z = s === 0 ? 0 : (s - Math.sign(s)) / sd;
  return { slope: median(slopes), z, points: n, spanMs: points[n - 1]![0] - points[0]![0] };
}

export interface MemoryAssessment {
  /** Median of the last three readings: one spike does not move it. */
  usedBytes: number;
  limitBytes: number;
  ratio: number;
  /** The trend's slope when rising, else the recent slope (bytes per hour). */
  slopePerHour: number;
  /** A significant rise was found. */
  rising: boolean;
  /** Predicted time until usage reaches the limit; null when not rising. */
  oomInMs: number | null;
  /** Slope over the last few points: <= 0 means the trend has turned. */
  recentSlopePerHour: number;
  /** The rule holds: rising, and at the high watermark or out of memory within warnWithin. */
  pressure: boolean;
}

/**
 * Assesses the points (oldest first) against the limit. `trendFrom`: only points after this
 * time may show a rise (after the alarm cleared, a new alarm needs new evidence).
 */
export function assessMemory(
  points: readonly MemoryPoint[],
  limitBytes: number,
  settings: MemorySettings,
  trendFrom: number | null = null,
): MemoryAssessment | null {
  if (points.length === 0 || limitBytes <= 0) return null;
  const usedBytes = median(points.slice(-3).map((p) => p[1]));
  const ratio = usedBytes / limitBytes;
  const recent = fitTheilSen(points.slice(-RECENT_POINTS));
  const eligible = trendFrom === null ? points : points.filter((p) => p[0] > trendFrom);
  const fits: LineFit[] = [];
  if (eligible.length >= TREND_MIN_POINTS) {
    for (const size of new Set(FIT_WINDOWS.map((w) => Math.min(w, eligible.length)))) {
      const fit = fitTheilSen(eligible.slice(-size));
      if (fit && fit.slope > 0 && fit.z >= SIGNIFICANCE_Z) fits.push(fit);
    }
  }
  const oomIn = (f: LineFit) => Math.max(0, (limitBytes - usedBytes) / f.slope);
  const best = fits
    .map((f) => ({ slope: f.slope, oomInMs: oomIn(f) }))
    .filter((f) => f.oomInMs <= RISING_HORIZON_MS)
    .reduce<{ slope: number; oomInMs: number } | null>((a, b) => (a === null || b.oomInMs < a.oomInMs ? b : a), null);
  const recentSlopePerHour = (recent?.slope ?? 0) * HOUR;
  const pressure = best !== null && (ratio >= settings.highWatermark || best.oomInMs <= settings.warnWithinMs);
  return {
    usedBytes,
    limitBytes,
    ratio,
    slopePerHour: best ? best.slope * HOUR : recentSlopePerHour,
    rising: best !== null,
    oomInMs: best ? best.oomInMs : null,
    recentSlopePerHour,
    pressure,
  };
}

/**
 * One scrape's reading into the window, and the alarm's hysteresis:
 * - raised when the rule holds on FIRE_AFTER scrapes in a row;
 * - cleared at once when usage falls below the low watermark while out of memory is predicted
 *   no sooner than 2 x warnWithin (or not at all), or when the trend has turned (slope over the
 *   last 6 points <= 0, or that same 2 x warnWithin while under the high watermark) on
 *   CALM_AFTER scrapes in a row.
 */
export function observeMemory(
  prev: MemoryTrendState,
  reading: { t: number; bytes: number; limitBytes: number | null },
  settings: MemorySettings,
): { state: MemoryTrendState; assessment: MemoryAssessment | null } {
  const last = prev.points.at(-1);
  const points = last && reading.t <= last[0] ? [...prev.points] : [...prev.points, [reading.t, reading.bytes] as MemoryPoint];
  const kept = points.filter((p) => p[0] > reading.t - TREND_WINDOW_MS).slice(-TREND_MAX_POINTS);
  const state: MemoryTrendState = { ...prev, points: kept, limitBytes: reading.limitBytes };
  const a = reading.limitBytes === null ? null : assessMemory(kept, reading.limitBytes, settings, state.active ? null : state.clearedAt);
  if (!a) return { state: state.active ? clearAlarm(state, reading.t) : { ...state, pending: 0 }, assessment: null };
  if (!state.active) {
    const pending = a.pressure ? state.pending + 1 : 0;
    if (pending < FIRE_AFTER) return { state: { ...state, pending }, assessment: a };
    return { state: { ...state, active: true, pending: 0, calm: 0, since: reading.t }, assessment: a };
  }
  // Hysteresis on time as on usage: raised within warnWithin, cleared beyond twice that.
  const timeEnough = a.oomInMs === null || a.oomInMs > 2 * settings.warnWithinMs;
  if (a.ratio < settings.lowWatermark && timeEnough) return { state: clearAlarm(state, reading.t), assessment: a };
  const turned = a.recentSlopePerHour <= 0 || (a.ratio < settings.highWatermark && timeEnough);
  const calm = turned ? state.calm + 1 : 0;
  return { state: calm >= CALM_AFTER ? clearAlarm(state, reading.t) : { ...state, calm }, assessment: a };
}

/** Clears the alarm at `t` (a new one needs points after it). */
export function clearAlarm<S extends MemoryTrendState>(state: S, t: number): S {
  return { ...state, active: false, pending: 0, calm: 0, since: null, clearedAt: t };
}

/** Major when out of memory within 15 min or at 95 % of the limit; otherwise minor. */
export function memorySeverity(a: MemoryAssessment): Severity {
  return a.ratio >= MAJOR_RATIO || (a.oomInMs !== null && a.oomInMs < MAJOR_WITHIN_MS) ? 'major' : 'minor';
}

/** 40 min -> "about 40 min", 3.2 h -> "about 3 h", 30 s -> "under a minute". */
export function formatOomIn(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  if (ms < 90 * 60_000) return `about ${Math.round(ms / 60_000)} min`;
  if (ms < 48 * HOUR) return `about ${Math.round(ms / HOUR)} h`;
  return `about ${Math.round(ms / (24 * HOUR))} days`;
}
