/**
 * What a chain normally does, learnt from the heads we happen to see. Pure: returns a new
 * state, never mutates its input, reads no clock (`at` is the observation's own time).
 *
 * Sampling. Polls (1-4 s) are slower than fast chains, so consecutive observed heads can be
 * k = Δnumber blocks apart. Two different quantities are learnt, for two detectors:
 *
 *  - `gaps`: the wall-clock time between observed head ADVANCES (observedAt of the first
 *    sample that showed a higher number, minus the same for the previous advance). That is
 *    exactly what the halt detector measures (now - bestAdvanceAt), so a high quantile of it
 *    is the natural stall threshold. One observation per advance whatever k is: with k > 1
 *    the largest block gap inside is unknown, but it is also invisible to the halt detector,
 *    which only ever sees the advance gap; dividing by k (or adding k copies) would describe
 *    blocks, not what the detector will measure, and would understate the tail on chains
 *    faster than the poll. Poll quantisation and RPC latency jitter are therefore part of
 *    the learnt distribution, as they should be: they are part of what the detector sees.
 *
 *  - `rate`: the mean per-block interval from block timestamps (the chain's own clock, what
 *    slow_blocks compares): decayed sums of Δtimestamp and Δnumber (a ratio estimator). With
 *    1 s timestamps a single Δt/k is coarse (a 250 ms chain polled each second shows 0, 1 or
 *    2 s for 4 blocks), but the sums telescope, so the error of the ratio is at most about
 *    1 s over the whole history. Each step is winsorised at RATE_CAP × the current mean per
 *    block, so a halt (or a wild timestamp) does not drag the mean far.
 *
 * Watcher downtime is not chain behaviour: if no head at all was seen for longer than
 * `maxSilenceMs` (every endpoint failing, or the process down), the next head starts over
 * from itself and the gap is not learnt. Feed every successful poll (advancing or not), so
 * that silence means "we did not look", not "the chain did not move".
 *
 * Freezing is the caller's choice (`learnGaps`, `learnRate`): see thresholds.ts.
 *
 * Size: the gaps sketch (≤ ~900 bytes) plus ~150 bytes.
 */
import { addObservation, count, DEFAULT_MAX_TOTAL, initialIntervalSketch, type IntervalSketch, isIntervalSketch } from './interval-sketch';

export const RHYTHM_VERSION = 1;
/** A timestamp step above this many times the current mean per block is counted as this. */
export const RATE_CAP = 8;
/** Blocks of history before the winsorising cap applies. */
const RATE_CAP_AFTER_BLOCKS = 20;

export interface HeadPoint {
  number: number;
  /** Block timestamp in seconds, as the chain reports it. */
  timestamp: number;
  /** Wall-clock ms when the answer arrived. */
  at: number;
}

export interface ChainRhythm {
  v: number;
  /** The last head that advanced (highest number seen). */
  last: HeadPoint | null;
  /** When any head (advancing or not) was last seen. */
  seenAt: number | null;
  /** Wall-clock ms between observed head advances. */
  gaps: IntervalSketch;
  /** Decayed sums: blocks advanced and timestamp ms they took (winsorised). */
  rate: { blocks: number; ms: number };
  /** Advances learnt since the state was created (not decayed). */
  advances: number;
}

export interface RhythmSettings {
  /** No head seen for longer than this: the watcher was blind; do not learn the gap. */
  maxSilenceMs: number;
  /** Learn advance gaps (default true). */
  learnGaps?: boolean;
  /** Learn the per-block interval (default true). */
  learnRate?: boolean;
  /** Forgetting of the gaps sketch (and of the rate sums, which halve with it). */
  maxTotal?: number;
}

/** Three missed polls, and never less than 10 s. */
export function defaultMaxSilenceMs(pollIntervalMs: number): number {
  return Math.max(3 * pollIntervalMs, 10_000);
}

export function initialChainRhythm(): ChainRhythm {
  return { v: RHYTHM_VERSION, last: null, seenAt: null, gaps: initialIntervalSketch(), rate: { blocks: 0, ms: 0 }, advances: 0 };
}

/** A state this code can read; anything else starts over (see `readChainRhythm`). */
export function readChainRhythm(x: unknown): ChainRhythm {
  if (typeof x !== 'object' || x === null) return initialChainRhythm();
  const s = x as Partial<ChainRhythm>;
  if (s.v !== RHYTHM_VERSION || !isIntervalSketch(s.gaps) || typeof s.rate !== 'object' || s.rate === null) {
    return initialChainRhythm();
  }
  return s as ChainRhythm;
}

/** Mean per-block interval in ms learnt from timestamps, null before any. */
export function meanBlockMs(rhythm: ChainRhythm): number | null {
  return rhythm.rate.blocks > 0 ? rhythm.rate.ms / rhythm.rate.blocks : null;
}

export function observeHead(state: ChainRhythm, head: HeadPoint, settings: RhythmSettings): ChainRhythm {
  if (!Number.isFinite(head.number) || !Number.isFinite(head.at) || !Number.isFinite(head.timestamp)) return state;
  const point = { number: head.number, timestamp: head.timestamp, at: head.at };
  const { last, seenAt } = state;
  // Out of order (a late retry): nothing new.
  if (seenAt !== null && head.at < seenAt) return state;
  const blind = seenAt !== null && head.at - seenAt > settings.maxSilenceMs;
  if (!last || blind) {
    // Start over from this head: what happened while we did not look is unknown.
    return { ...state, last: point, seenAt: head.at };
  }
  if (head.number <= last.number) return { ...state, seenAt: head.at };

  const k = head.number - last.number;
  const gapMs = head.at - last.at;
  const maxTotal = settings.maxTotal ?? DEFAULT_MAX_TOTAL;
  let gaps = state.gaps;
  let rate = state.rate;
  if (settings.learnGaps !== false) {
    const before = gaps.halvings;
    gaps = addObservation(gaps, gapMs, { maxTotal });
    // The rate sums forget at the same pace as the sketch.
    if (gaps.halvings !== before) rate = { blocks: rate.blocks / 2, ms: rate.ms / 2 };
  }
  const dtMs = (head.timestamp - last.timestamp) * 1000;
  if (settings.learnRate !== false && dtMs >= 0) {
    const mean = rate.blocks >= RATE_CAP_AFTER_BLOCKS ? rate.ms / rate.blocks : Infinity;
    const ms = Math.min(dtMs, k * RATE_CAP * mean);
    rate = { blocks: rate.blocks + k, ms: rate.ms + ms };
    // Bounded by the sketch's halving in normal use; bounded on its own when gaps are frozen.
    if (rate.blocks > 8 * maxTotal) rate = { blocks: rate.blocks / 2, ms: rate.ms / 2 };
  }
  return { v: state.v, last: point, seenAt: head.at, gaps, rate, advances: state.advances + 1 };
}

/** Observations in the gaps sketch (decayed). */
export function gapSamples(rhythm: ChainRhythm): number {
  return count(rhythm.gaps);
}
