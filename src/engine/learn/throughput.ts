/**
 * low_throughput: blocks keep coming but carry far fewer transactions than this chain
 * usually does (a sequencer that stopped taking transactions, a broken mempool/ingress).
 * Pure: functions of (state, observation, now); never mutates its input, reads no clock.
 *
 * What we see. One block per poll: the head at each poll, so a SAMPLE of blocks (1 in 4 on a
 * 250 ms chain polled every second). Each sampled block's txCount is an unbiased draw from
 * the chain's per-block distribution; we never need the blocks in between. Counts are USER
 * transactions: txCount - systemTxPerBlock (OP-stack and Arbitrum blocks always carry one
 * system transaction, so set it to 1 there; 0 elsewhere), floored at 0.
 *
 * Baseline (slow): exponentially weighted sums over sampled blocks with a time constant of
 * 1 h (baselineTauMs): weight, Σtx, Σtx², Σgas. Mean μ and variance σ² per block give the
 * overdispersion: a negative binomial size r = μ² / (σ² - μ) (Poisson when σ² ≤ 1.05 μ).
 * Why an EWMA and not hour-of-week buckets: a sequencer failure is abrupt (seconds), the
 * daily rhythm of usage is slow (hours); a one-hour memory follows the daily curve with a
 * lag far too short to matter against a factor-of-three band, learns in minutes rather
 * than weeks, and is 6 numbers instead of 168 buckets. What it cannot tell apart is a slow
 * decline over hours from a slow outage; that is not the failure this signal is for.
 * Blocks enter the baseline only when they leave the fast window (~3 min later), and not
 * at all while the verdict is low/empty ("frozen"; the baseline's clock is paused too, so
 * after recovery it is what it was before the drop). A freeze longer than maxFreezeMs
 * (6 h) ends: the chain's new normal is then learnt within about an hour.
 *
 * Fast window: 10 s buckets of (blocks, Σtx, Σtx², Σgas) for the last 3 min: ≤ 19 buckets.
 *
 * Decision, with confidence. Windows of 30 s, 1, 2 and 3 min (ending now), shortest first,
 * each needing ≥ minWindowBlocks sampled blocks. With n blocks and X user transactions in a
 * window, under the null "the rate is lowRatio × μ" (default 0.35 μ) X is negative-binomial
 * with mean n·0.35μ and size n·r (a sum of n independent NB(0.35μ, r)):
 *   P(X ≤ x) < 1 - confidence (0.999)  → low (conclusively below 35 % of usual),
 *   P(X ≥ x) < 1 - confidence           → normal (conclusively above it);
 * the first conclusive window decides, so a busy chain decides within one 30 s window and
 * a recovery shows as soon as the shortest window is conclusively above the band (seconds on
 * a busy chain). Pre-drop blocks still inside a longer window pull it towards "normal": they
 * can delay a verdict, never invent one. When low, a window of ≤ 2 min whose X is
 * conclusively below emptyPerBlock (0.5 user tx per block) under the same test → empty.
 * The 35 % band sits between "a fifth of usual" (must fire) and "half of usual, a quiet
 * hour" (must not): on a chain of 40 tx/block with 1 s blocks (NB size 5), the null for a
 * 1 min window is 840 ± 57 transactions; a true 20 % drop gives ~480 (6σ below), a true
 * 50 % hour ~1200 (6σ above). Small counts can never reach confidence
 * (P(X = 0) under a null mean below ~7 is above 0.001), and a chain whose usual rate is
 * below minUsualPerBlock (5 user tx per block) is never judged at all: on a chain that
 * normally carries 0-3 transactions, a few minutes of nothing is just a quiet spell.
 * Until the baseline holds minBaselineBlocks (100, decayed) over minBaselineMs (15 min):
 * learning.
 *
 * Known limit: the test assumes blocks are independent given the rate. Bursty usage that
 * lasts minutes makes windows vary more than that; the 35 % band (rather than testing
 * against μ itself) is what absorbs it.
 *
 * Size: ≤ 19 buckets × ~80 bytes + ~250 bytes ≈ 1.8 KB of JSON at most.
 */
import { negBinCdf, negBinSf, poissonCdf, poissonSf } from './stats';

export const THROUGHPUT_VERSION = 1;
export const RECENT_BUCKET_MS = 10_000;
/** The fast window's span: the longest judged window. */
export const RECENT_SPAN_MS = 180_000;
const MAX_BUCKETS = RECENT_SPAN_MS / RECENT_BUCKET_MS + 1;

export interface RecentBucket {
  /** Bucket start (ms, a multiple of RECENT_BUCKET_MS). */
  t: number;
  /** Sampled blocks. */
  n: number;
  /** Σ user tx, Σ user tx². */
  tx: number;
  tx2: number;
  /** Σ gasUsed over the `gn` blocks that reported it. */
  gas: number;
  gn: number;
}

export interface ThroughputBaseline {
  /** Decayed block weight. */
  w: number;
  tx: number;
  tx2: number;
  gas: number;
  gw: number;
  /** Time the sums were last decayed to (ms). */
  at: number;
  /** When the first block entered the baseline. */
  since: number;
}

export interface ThroughputState {
  v: number;
  lastNumber: number | null;
  recent: RecentBucket[];
  base: ThroughputBaseline | null;
  /** When the verdict turned low/empty (the baseline is frozen since), else null. */
  frozenSince: number | null;
}

export interface BlockObservation {
  number: number;
  txCount: number;
  gasUsed?: number;
  /** Wall-clock ms of the observation. */
  at: number;
}

export interface ThroughputSettings {
  /** Transactions every block carries whatever the load (1 on OP-stack and Arbitrum). */
  systemTxPerBlock: 0 | 1;
  /** Usual user tx per block below which the chain is never judged. */
  minUsualPerBlock: number;
  /** low: conclusively below this share of the usual rate. */
  lowRatio: number;
  /** empty: conclusively below this many user tx per block. */
  emptyPerBlock: number;
  /** 1 - significance level of every test. */
  confidence: number;
  /** Judged windows (ms, each ≤ RECENT_SPAN_MS); shortest first. */
  windowsMs: number[];
  /** Longest window judged for empty. */
  emptyMaxWindowMs: number;
  /** Sampled blocks a window needs before it can decide. */
  minWindowBlocks: number;
  /** Baseline weight (decayed blocks) before judging. */
  minBaselineBlocks: number;
  /** Baseline age before judging. */
  minBaselineMs: number;
  /** EWMA time constant of the baseline. */
  baselineTauMs: number;
  /** A freeze longer than this ends, and the baseline learns the new level. */
  maxFreezeMs: number;
}

export const DEFAULT_THROUGHPUT_SETTINGS: ThroughputSettings = {
  systemTxPerBlock: 0,
  minUsualPerBlock: 5,
  lowRatio: 0.35,
  emptyPerBlock: 0.5,
  confidence: 0.999,
  windowsMs: [30_000, 60_000, 120_000, 180_000],
  emptyMaxWindowMs: 120_000,
  minWindowBlocks: 8,
  minBaselineBlocks: 100,
  minBaselineMs: 900_000,
  baselineTauMs: 3_600_000,
  maxFreezeMs: 6 * 3_600_000,
};

export type ThroughputKind = 'normal' | 'low' | 'empty' | 'learning';

export interface ThroughputVerdict {
  kind: ThroughputKind;
  /** User tx per sampled block in the deciding window; null with no blocks in it. */
  recentPerBlock: number | null;
  /** Usual user tx per block (the baseline); null while there is none. */
  usualPerBlock: number | null;
  /** recentPerBlock / usualPerBlock. */
  ratio: number | null;
  /** Confidence in `kind` from the deciding test (0 when nothing was decided). */
  confidence: number;
  /** Span of the deciding window (ms). */
  windowMs: number;
  /** Sampled blocks in it. */
  blocks: number;
  /** Why the verdict is what it is, for logs and status pages. */
  reason: 'baseline-learning' | 'quiet-chain' | 'no-recent-blocks' | 'inconclusive' | 'conclusive';
  gas: { recentPerBlock: number | null; usualPerBlock: number | null; ratio: number | null };
}

export function initialThroughputState(): ThroughputState {
  return { v: THROUGHPUT_VERSION, lastNumber: null, recent: [], base: null, frozenSince: null };
}

/** A state this code can read; anything else starts over. */
export function readThroughputState(x: unknown): ThroughputState {
  if (typeof x !== 'object' || x === null) return initialThroughputState();
  const s = x as Partial<ThroughputState>;
  if (s.v !== THROUGHPUT_VERSION || !Array.isArray(s.recent)) return initialThroughputState();
  return s as ThroughputState;
}

function resolve(settings: Partial<ThroughputSettings> | undefined): ThroughputSettings {
  return { ...DEFAULT_THROUGHPUT_SETTINGS, ...settings };
}

const bucketStart = (at: number) => Math.floor(at / RECENT_BUCKET_MS) * RECENT_BUCKET_MS;

export function observeBlock(state: ThroughputState, block: BlockObservation, settings?: Partial<ThroughputSettings>): ThroughputState {
  const s = resolve(settings);
  if (!Number.isFinite(block.number) || !Number.isFinite(block.at)) return state;
  if (!Number.isFinite(block.txCount) || block.txCount < 0) return state;
  // Repeated heads (same number) and older ones (a reorg, a lagging endpoint) are not new blocks.
  if (state.lastNumber !== null && block.number <= state.lastNumber) return state;

  const user = Math.max(0, Math.floor(block.txCount) - s.systemTxPerBlock);
  const gasKnown = block.gasUsed !== undefined && Number.isFinite(block.gasUsed) && block.gasUsed >= 0;
  const newest = state.recent[state.recent.length - 1];
  // A clock that steps back puts the block in the newest bucket rather than reorder buckets.
  const t = newest ? Math.max(bucketStart(block.at), newest.t) : bucketStart(block.at);
  const now = Math.max(block.at, newest?.t ?? -Infinity);
  const recent = state.recent.map((b) => ({ ...b }));
  let bucket = recent[recent.length - 1];
  if (!bucket || bucket.t !== t) {
    bucket = { t, n: 0, tx: 0, tx2: 0, gas: 0, gn: 0 };
    recent.push(bucket);
  }
  bucket.n += 1;
  bucket.tx += user;
  bucket.tx2 += user * user;
  if (gasKnown) {
    bucket.gas += block.gasUsed!;
    bucket.gn += 1;
  }

  const keepFrom = t - (MAX_BUCKETS - 1) * RECENT_BUCKET_MS;
  const expiring = recent.filter((b) => b.t < keepFrom);
  const kept = recent.filter((b) => b.t >= keepFrom);
  const next: ThroughputState = {
    v: THROUGHPUT_VERSION,
    lastNumber: block.number,
    recent: kept,
    base: state.base,
    frozenSince: state.frozenSince,
  };
  if (expiring.length === 0) return next;

  // A bucket leaves the fast window: decide whether the baseline may learn from it. The
  // verdict is taken on the window as it stood before this block (the block itself is not
  // old enough to matter).
  const verdict = judgeThroughput(state, now, s);
  const frozenSince = verdict.kind === 'low' || verdict.kind === 'empty' ? (state.frozenSince ?? now) : null;
  const frozen = frozenSince !== null && now - frozenSince < s.maxFreezeMs;
  let base = state.base;
  for (const b of expiring) base = frozen ? pause(base, b) : fold(base, b, s.baselineTauMs);
  return { ...next, base, frozenSince };
}

function fold(base: ThroughputBaseline | null, b: RecentBucket, tauMs: number): ThroughputBaseline {
  const at = b.t + RECENT_BUCKET_MS / 2;
  if (!base) return { w: b.n, tx: b.tx, tx2: b.tx2, gas: b.gas, gw: b.gn, at, since: b.t };
  const f = at > base.at ? Math.exp(-(at - base.at) / tauMs) : 1;
  return {
    w: base.w * f + b.n,
    tx: base.tx * f + b.tx,
    tx2: base.tx2 * f + b.tx2,
    gas: base.gas * f + b.gas,
    gw: base.gw * f + b.gn,
    at: Math.max(at, base.at),
    since: base.since,
  };
}

/** Frozen: the bucket is dropped and the baseline's clock moves with it (no decay). */
function pause(base: ThroughputBaseline | null, b: RecentBucket): ThroughputBaseline | null {
  if (!base) return base;
  return { ...base, at: Math.max(base.at, b.t + RECENT_BUCKET_MS / 2) };
}

interface WindowSum {
  n: number;
  tx: number;
  gas: number;
  gn: number;
  spanMs: number;
}

function windowSum(recent: RecentBucket[], now: number, windowMs: number): WindowSum {
  const out = { n: 0, tx: 0, gas: 0, gn: 0, spanMs: 0 };
  let first = Infinity;
  for (const b of recent) {
    if (b.t < now - windowMs || b.t > now) continue;
    out.n += b.n;
    out.tx += b.tx;
    out.gas += b.gas;
    out.gn += b.gn;
    first = Math.min(first, b.t);
  }
  out.spanMs = out.n > 0 ? Math.max(0, now - first) : 0;
  return out;
}

/** P(X ≤ x) and P(X ≥ x) for the sum of n blocks at per-block mean m, NB size r (Infinity: Poisson). */
function tails(x: number, n: number, m: number, r: number): { lower: number; upper: number } {
  const mean = n * m;
  if (!Number.isFinite(r)) return { lower: poissonCdf(x, mean), upper: poissonSf(x, mean) };
  return { lower: negBinCdf(x, mean, n * r), upper: negBinSf(x, mean, n * r) };
}

export function judgeThroughput(state: ThroughputState, now: number, settings?: Partial<ThroughputSettings>): ThroughputVerdict {
  const s = resolve(settings);
  const windows = [...s.windowsMs].map((w) => Math.min(w, RECENT_SPAN_MS)).sort((a, b) => a - b);
  const longest = windows[windows.length - 1] ?? RECENT_SPAN_MS;
  const base = state.base;
  const mu = base && base.w > 0 ? base.tx / base.w : null;
  const gasMu = base && base.gw > 0 ? base.gas / base.gw : null;

  const describe = (w: WindowSum) => {
    const recentPerBlock = w.n > 0 ? w.tx / w.n : null;
    const gasRecent = w.gn > 0 ? w.gas / w.gn : null;
    return {
      recentPerBlock,
      usualPerBlock: mu,
      ratio: recentPerBlock !== null && mu !== null && mu > 0 ? recentPerBlock / mu : null,
      windowMs: w.spanMs,
      blocks: w.n,
      gas: {
        recentPerBlock: gasRecent,
        usualPerBlock: gasMu,
        ratio: gasRecent !== null && gasMu !== null && gasMu > 0 ? gasRecent / gasMu : null,
      },
    };
  };

  if (!base || mu === null || base.w < s.minBaselineBlocks || now - base.since < s.minBaselineMs) {
    return { kind: 'learning', confidence: 0, reason: 'baseline-learning', ...describe(windowSum(state.recent, now, longest)) };
  }
  if (mu < s.minUsualPerBlock) {
    return { kind: 'normal', confidence: 0, reason: 'quiet-chain', ...describe(windowSum(state.recent, now, longest)) };
  }
  const variance = Math.max(0, base.tx2 / base.w - mu * mu);
  const size = variance > 1.05 * mu ? (mu * mu) / (variance - mu) : Infinity;
  const alpha = 1 - s.confidence;
  const nullMean = s.lowRatio * mu;

  let decided: { kind: 'low' | 'normal'; p: number; w: WindowSum } | null = null;
  let bestNormal: { p: number; w: WindowSum } | null = null;
  for (const windowMs of windows) {
    const w = windowSum(state.recent, now, windowMs);
    if (w.n < s.minWindowBlocks) continue;
    const { lower, upper } = tails(w.tx, w.n, nullMean, size);
    if (lower < alpha) {
      decided = { kind: 'low', p: lower, w };
      break;
    }
    if (upper < alpha) {
      decided = { kind: 'normal', p: upper, w };
      break;
    }
    if (!bestNormal || upper < bestNormal.p) bestNormal = { p: upper, w };
  }

  if (!decided) {
    const w = bestNormal?.w ?? windowSum(state.recent, now, longest);
    const reason = w.n === 0 ? 'no-recent-blocks' : 'inconclusive';
    return { kind: 'normal', confidence: bestNormal ? 1 - bestNormal.p : 0, reason, ...describe(w) };
  }
  if (decided.kind === 'normal') {
    return { kind: 'normal', confidence: 1 - decided.p, reason: 'conclusive', ...describe(decided.w) };
  }
  // Low: is it near-empty (only system transactions)?
  for (const windowMs of windows) {
    if (windowMs > s.emptyMaxWindowMs) break;
    const w = windowSum(state.recent, now, windowMs);
    if (w.n < s.minWindowBlocks) continue;
    const { lower } = tails(w.tx, w.n, s.emptyPerBlock, size);
    if (lower < alpha) return { kind: 'empty', confidence: 1 - lower, reason: 'conclusive', ...describe(w) };
  }
  return { kind: 'low', confidence: 1 - decided.p, reason: 'conclusive', ...describe(decided.w) };
}
