/**
 * A bounded, JSON-plain sketch of a distribution of durations (ms): a fixed log-spaced
 * histogram. Pure: every function returns a new sketch and never mutates its input.
 *
 * Layout (SKETCH_LAYOUT, fixed; a sketch of another layout version is dropped, not misread):
 *   64 buckets. Bucket 0 is [0, 100 ms); buckets 1..62 are log-spaced with five per octave
 *   (each 2^(1/5) = 14.9 % wider than the last): bucket i is [100·2^((i-1)/5), 100·2^(i/5)) ms,
 *   covering 100 ms to 9 min (540.5 s); bucket 63 is the overflow [9 min, ∞).
 *   Why not 50 ms to 1 h: at 10-15 % per bucket that range needs ~80-100 buckets. What the
 *   sketch feeds is a stall threshold = quantile × margin clamped to a ceiling of at most
 *   ~10 min: any quantile at or above 9 min gives ≥ 13.5 min at the default margin of 1.5,
 *   i.e. the ceiling, so resolution above 9 min buys nothing; below 100 ms nothing is
 *   judged (a 250 ms chain polled every second never shows a head advance that short).
 *
 * Quantiles interpolate log-linearly inside the bucket (linearly in the first), so the
 * estimate of a smooth distribution is far better than the bucket width; a point mass is
 * placed somewhere inside its 14.9 % bucket.
 *
 * Forgetting: when the total passes `maxTotal` (DEFAULT_MAX_TOTAL = 8192) every count is
 * halved (rounded to 1/64; below 1/64 dropped), so the total stays in (maxTotal/2, maxTotal]
 * and an observation's weight halves every maxTotal/2 = 4096 observations: a step-wise
 * half-life of 4096 observations, an effective memory of 4096-8192 observations. (A 1 s chain
 * with one advance a second: half-life 68 min; a 2 s chain: 2.3 h; a 12 s chain: 13.7 h.)
 * A shift towards longer values shows in a high quantile almost at once (it takes only
 * (1-q)·total observations above the old quantile); a shift towards shorter values must wait
 * for the old tail to decay below (1-q) of the mass: log2(oldTailShare / (1-q)) half-lives.
 *
 * Size: 64 counts ≤ 8192 with at most 6 decimals: ≤ ~900 bytes of JSON, typically ~200.
 */

export const SKETCH_LAYOUT = 1;
export const SKETCH_BUCKETS = 64;
/** Lower edge of bucket 1 (upper edge of the underflow bucket 0). */
export const SKETCH_MIN_MS = 100;
/** Buckets per doubling. */
export const SKETCH_PER_OCTAVE = 5;
/** Lower edge of the overflow bucket: 100 ms · 2^(62/5) ≈ 540.5 s. */
export const SKETCH_MAX_MS = SKETCH_MIN_MS * 2 ** ((SKETCH_BUCKETS - 2) / SKETCH_PER_OCTAVE);
export const DEFAULT_MAX_TOTAL = 8192;
/** Halved counts are kept to this resolution; anything smaller is dropped. */
const COUNT_RESOLUTION = 64;

export interface IntervalSketch {
  /** SKETCH_LAYOUT of the writer. */
  v: number;
  /** SKETCH_BUCKETS counts (fractional after a halving). */
  counts: number[];
  /** How many times the counts were halved (diagnostics: the sketch's age in half-lives). */
  halvings: number;
}

export interface SketchOptions {
  /** Halve every count once the total passes this. */
  maxTotal?: number;
}

export function initialIntervalSketch(): IntervalSketch {
  return { v: SKETCH_LAYOUT, counts: new Array<number>(SKETCH_BUCKETS).fill(0), halvings: 0 };
}

/** A sketch this code can read; anything else (older layout, hand-edited, corrupt) starts over. */
export function isIntervalSketch(x: unknown): x is IntervalSketch {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<IntervalSketch>;
  return (
    s.v === SKETCH_LAYOUT &&
    Array.isArray(s.counts) &&
    s.counts.length === SKETCH_BUCKETS &&
    s.counts.every((c) => typeof c === 'number' && Number.isFinite(c) && c >= 0) &&
    typeof s.halvings === 'number'
  );
}

/** Lower edge of bucket i in ms. */
export function bucketLowerMs(i: number): number {
  if (i <= 0) return 0;
  return SKETCH_MIN_MS * 2 ** ((i - 1) / SKETCH_PER_OCTAVE);
}

/** Upper edge of bucket i in ms (Infinity for the overflow bucket). */
export function bucketUpperMs(i: number): number {
  if (i >= SKETCH_BUCKETS - 1) return Infinity;
  return SKETCH_MIN_MS * 2 ** (i / SKETCH_PER_OCTAVE);
}

export function bucketOf(ms: number): number {
  if (!(ms >= SKETCH_MIN_MS)) return 0; // also NaN and negatives
  if (ms >= SKETCH_MAX_MS) return SKETCH_BUCKETS - 1;
  let i = 1 + Math.floor(Math.log2(ms / SKETCH_MIN_MS) * SKETCH_PER_OCTAVE);
  // Floating point at the edges: make sure lower(i) <= ms < upper(i).
  if (ms < bucketLowerMs(i)) i -= 1;
  else if (ms >= bucketUpperMs(i)) i += 1;
  return Math.min(Math.max(i, 1), SKETCH_BUCKETS - 2);
}

export function count(sketch: IntervalSketch): number {
  let total = 0;
  for (const c of sketch.counts) total += c;
  return total;
}

/** Add one observed duration (ms). Non-finite or negative durations are ignored. */
export function addObservation(sketch: IntervalSketch, ms: number, options: SketchOptions = {}): IntervalSketch {
  if (!Number.isFinite(ms) || ms < 0) return sketch;
  const maxTotal = options.maxTotal ?? DEFAULT_MAX_TOTAL;
  const counts = [...sketch.counts];
  const i = bucketOf(ms);
  counts[i] = (counts[i] ?? 0) + 1;
  let total = 0;
  for (const c of counts) total += c;
  if (total <= maxTotal) return { v: sketch.v, counts, halvings: sketch.halvings };
  return { v: sketch.v, counts: counts.map(halve), halvings: sketch.halvings + 1 };
}

function halve(c: number): number {
  const h = Math.round((c / 2) * COUNT_RESOLUTION) / COUNT_RESOLUTION;
  return h < 1 / COUNT_RESOLUTION ? 0 : h;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) in ms, null for an empty sketch. A quantile that falls in the
 * overflow bucket is reported as SKETCH_MAX_MS: a lower bound (use `quantileInOverflow`).
 */
export function quantile(sketch: IntervalSketch, q: number): number | null {
  const total = count(sketch);
  if (total <= 0) return null;
  const target = Math.min(Math.max(q, 0), 1) * total;
  let below = 0;
  // The last non-empty bucket: q = 1 must land inside it, not past it.
  let last = 0;
  sketch.counts.forEach((c, i) => {
    if (c > 0) last = i;
  });
  for (let i = 0; i <= last; i++) {
    const c = sketch.counts[i] ?? 0;
    if (c <= 0) continue;
    if (below + c >= target || i === last) {
      const frac = Math.min(Math.max((target - below) / c, 0), 1);
      if (i === SKETCH_BUCKETS - 1) return SKETCH_MAX_MS;
      const lo = bucketLowerMs(i);
      const hi = bucketUpperMs(i);
      if (i === 0) return lo + frac * (hi - lo);
      return lo * (hi / lo) ** frac;
    }
    below += c;
  }
  return null; // unreachable: total > 0
}

/** True when the q-quantile lies in the overflow bucket (the value is then only a lower bound). */
export function quantileInOverflow(sketch: IntervalSketch, q: number): boolean {
  const total = count(sketch);
  if (total <= 0) return false;
  const overflow = sketch.counts[SKETCH_BUCKETS - 1] ?? 0;
  return overflow > 0 && total - overflow < Math.min(Math.max(q, 0), 1) * total;
}
