/**
 * Thresholds learnt from what a chain normally does, in place of thresholds fixed from the
 * configured block time. Pure.
 *
 * Stall (halted). stallMs = quantile_q(advance gaps) × margin, clamped to
 *   floor   = max(2 × blockTimeMs + pollIntervalMs, minStallMs)   (two missed blocks plus one
 *             poll: below that a single late poll on a perfectly regular chain would alarm),
 *   ceiling = ceilingMs (see `stallCeilingMs`); when floor > ceiling the ceiling wins.
 * Until the sketch holds `minSamples` observations the configured stall is used unchanged.
 * Evidence is asymmetric: one long gap seen is proof the chain does that, but "no gap longer
 * than x" needs many observations before it means anything at q = 0.999 (in 300 advances a
 * 1-in-200 rhythm is missed 22 % of the time). So between `minSamples` and
 * `minSamplesToTighten` (default 3 / (1 - q) = 3000) the learnt value may only RAISE the
 * stall above the configured one, never lower it; after that it may do both.
 * The gap distribution is per ADVANCE, so 1 - q is the share of advances allowed above the
 * quantile before the margin: q = 0.999 with margin 1.5 leaves room for gaps half again as
 * long as the longest 0.1 % of normal ones. A real halt is one observation among thousands
 * and does not move q = 0.999; a chain halting for minutes more often than one advance in a
 * thousand would be learnt as its rhythm, which is what the ceiling is for.
 *
 * Slack of one poll: detectHalt runs on each poll, after folding it, so during an advance gap
 * G the longest "no advance for" it ever evaluates is about G - pollIntervalMs; learning G
 * itself therefore leaves one poll interval of slack on top of the margin. (Evaluating the
 * halt between polls, on a timer, would spend that slack.)
 *
 * Slow blocks. The expected interval is the learnt mean per-block interval (timestamps),
 * clamped to [minStretch, maxStretch] × the configured block time, so a 2 s chain that
 * really runs at 2.3 s is judged against 2.3 s, while a chain that stays slow can at most
 * stretch its own baseline by maxStretch (default 1.5×). The caller should freeze the rate
 * (RhythmSettings.learnRate = false) while slow_blocks is open.
 */
import { count, type IntervalSketch, quantile, quantileInOverflow } from './interval-sketch';

export const DEFAULT_STALL_QUANTILE = 0.999;
export const DEFAULT_STALL_MARGIN = 1.5;
export const DEFAULT_MIN_SAMPLES = 300;
/** Built-in ceiling for a stall the user did not set: ten minutes. */
export const DEFAULT_AUTO_CEILING_MS = 600_000;

export interface StallInput {
  /** The advance-gap sketch (ChainRhythm.gaps). */
  sketch: IntervalSketch;
  blockTimeMs: number;
  pollIntervalMs: number;
  /** The stall in force without learning (configured or built-in default). */
  configuredStallMs: number;
  /** Observations before the learnt value is used, to raise the stall only (default 300). */
  minSamples?: number;
  /** Observations before the learnt value may also lower the stall (default ceil(3 / (1 - q))). */
  minSamplesToTighten?: number;
  /** Default 0.999. */
  quantile?: number;
  /** Default 1.5. */
  margin?: number;
  /** Upper bound of the learnt stall; default configuredStallMs. See `stallCeilingMs`. */
  ceilingMs?: number;
  /** An absolute lower bound on top of the block-time floor (e.g. the request timeout). Default 0. */
  minStallMs?: number;
}

export interface LearnedStall {
  stallMs: number;
  source: 'learnt' | 'default';
  basis: {
    samples: number;
    minSamples: number;
    minSamplesToTighten: number;
    /** Whether the learnt value could lower the stall below the configured one. */
    mayTighten: boolean;
    q: number;
    /** The q-quantile of advance gaps (ms), null with no samples. */
    quantileMs: number | null;
    /** The quantile lies beyond the sketch's range (≥ SKETCH_MAX_MS). */
    overflow: boolean;
    margin: number;
    /** quantileMs × margin before clamping (a lower bound when `overflow`). */
    rawMs: number | null;
    floorMs: number;
    ceilingMs: number;
    clampedBy: 'floor' | 'ceiling' | null;
  };
}

/**
 * The ceiling for a learnt stall. A stall the user wrote in the config is a promise ("tell me
 * within this long") and stays the ceiling; the built-in default (max(5 blocks, 10 s)) is only
 * a guess from the block time and may be below what the chain normally does, so it is
 * replaced by `autoCeilingMs` (default 10 min), never below the configured value.
 */
export function stallCeilingMs(input: { configuredStallMs: number; explicit: boolean; autoCeilingMs?: number }): number {
  if (input.explicit) return input.configuredStallMs;
  return Math.max(input.configuredStallMs, input.autoCeilingMs ?? DEFAULT_AUTO_CEILING_MS);
}

export function learnedStall(input: StallInput): LearnedStall {
  const minSamples = input.minSamples ?? DEFAULT_MIN_SAMPLES;
  const q = input.quantile ?? DEFAULT_STALL_QUANTILE;
  const margin = input.margin ?? DEFAULT_STALL_MARGIN;
  const ceilingMs = input.ceilingMs ?? input.configuredStallMs;
  const minSamplesToTighten = input.minSamplesToTighten ?? Math.ceil(3 / Math.max(1 - q, 1e-6));
  const samples = count(input.sketch);
  const mayTighten = samples >= minSamplesToTighten;
  const blockFloorMs = Math.max(2 * input.blockTimeMs + input.pollIntervalMs, input.minStallMs ?? 0);
  // Not yet allowed to tighten: the configured value is the floor (unless above the ceiling).
  const floorMs = Math.min(mayTighten ? blockFloorMs : Math.max(blockFloorMs, input.configuredStallMs), ceilingMs);
  const quantileMs = quantile(input.sketch, q);
  const overflow = quantileInOverflow(input.sketch, q);
  // In overflow, quantileMs is only a lower bound: rawMs is too, and the ceiling applies.
  const rawMs = quantileMs === null ? null : quantileMs * margin;
  const basis = { samples, minSamples, minSamplesToTighten, mayTighten, q, quantileMs, overflow, margin, rawMs, floorMs, ceilingMs };
  if (rawMs === null || samples < minSamples) {
    return { stallMs: input.configuredStallMs, source: 'default', basis: { ...basis, clampedBy: null } };
  }
  const clampedBy = overflow || rawMs > ceilingMs ? 'ceiling' : rawMs < floorMs ? 'floor' : null;
  const stallMs = clampedBy === 'floor' ? floorMs : clampedBy === 'ceiling' ? ceilingMs : Math.ceil(rawMs);
  return { stallMs, source: 'learnt', basis: { ...basis, clampedBy } };
}

export interface SlowInput {
  /** ChainRhythm.rate: decayed blocks and the timestamp ms they took. */
  rate: { blocks: number; ms: number };
  /** Configured block time. */
  blockTimeMs: number;
  /** Configured slow factor (mean interval above factor × expected is slow). */
  slowFactor: number;
  /** Blocks of history before the learnt interval is used (default 300). */
  minBlocks?: number;
  /** Learnt expected interval at least this × blockTimeMs (default 0.5). */
  minStretch?: number;
  /** Learnt expected interval at most this × blockTimeMs (default 1.5). */
  maxStretch?: number;
}

export interface LearnedSlow {
  /** The interval a normal block takes on this chain. */
  expectedMs: number;
  /**
   * The factor to use against the CONFIGURED block time, so `mean > slowFactor × blockTimeMs`
   * equals `mean > configured factor × expectedMs` (for callers that keep comparing to blockTimeMs).
   */
  slowFactor: number;
  /** Mean interval above which blocks are slow: configured factor × expectedMs. */
  thresholdMs: number;
  source: 'learnt' | 'default';
  basis: { blocks: number; minBlocks: number; meanMs: number | null; lowMs: number; highMs: number; clampedBy: 'low' | 'high' | null };
}

export function learnedSlowFactor(input: SlowInput): LearnedSlow {
  const minBlocks = input.minBlocks ?? DEFAULT_MIN_SAMPLES;
  const lowMs = (input.minStretch ?? 0.5) * input.blockTimeMs;
  const highMs = (input.maxStretch ?? 1.5) * input.blockTimeMs;
  const { blocks } = input.rate;
  const meanMs = blocks > 0 ? input.rate.ms / blocks : null;
  const basis = { blocks, minBlocks, meanMs, lowMs, highMs };
  const out = (expectedMs: number, source: LearnedSlow['source'], clampedBy: LearnedSlow['basis']['clampedBy']): LearnedSlow => ({
    expectedMs,
    slowFactor: (input.slowFactor * expectedMs) / input.blockTimeMs,
    thresholdMs: input.slowFactor * expectedMs,
    source,
    basis: { ...basis, clampedBy },
  });
  if (meanMs === null || blocks < minBlocks) return out(input.blockTimeMs, 'default', null);
  if (meanMs < lowMs) return out(lowMs, 'learnt', 'low');
  if (meanMs > highMs) return out(highMs, 'learnt', 'high');
  return out(meanMs, 'learnt', null);
}
