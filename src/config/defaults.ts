/** Built-in defaults, and how the layers of thresholds combine. Pure. */
import type { MemorySettings, SocialSettings, Thresholds } from './network';
import { formatConfigDuration } from './duration';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_REDIS_PREFIX = 'chainwatch';
export const DEFAULT_LOG_LEVEL = 'info';
export const DEFAULT_WORKER_CONCURRENCY = 8;

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/**
 * Thresholds that fit a chain from its block time alone. Worked values:
 * Ethereum 12 s -> poll 4 s, stall 60 s, lag 3 blocks; Base/OP 2 s -> poll 2 s, stall 10 s,
 * lag 8; MegaETH 1 s -> poll 1 s, stall 10 s, lag 15; Arbitrum 250 ms -> poll 1 s, stall 10 s, lag 60.
 */
export function defaultThresholds(blockTimeMs: number): Thresholds {
  // Polling faster than once a second buys nothing against a 10 s stall bound and multiplies
  // RPC cost on fast chains; slower than 4 s makes a 12 s chain's halt visible too late.
  const pollIntervalMs = clamp(blockTimeMs, 1000, 4000);
  // Two poll intervals: a timed-out poll must not overlap the next one by much.
  const requestTimeoutMs = clamp(2 * pollIntervalMs, 2000, 10000);
  // Five missed blocks. Ethereum misses slots now and then, so 24-36 s gaps are normal and
  // 60 s is not; sub-second chains get a 10 s floor so a slow poll or two never looks like a halt.
  const stallMs = Math.max(5 * blockTimeMs, 10000);
  // 15 s (or three blocks, if longer) worth of blocks behind: endpoints of a healthy chain drift by a
  // block or two, so fewer than 3 blocks would flap on Ethereum; 250 ms chains need 60 blocks.
  const endpointLagBlocks = Math.max(3, Math.ceil(Math.max(15000, 3 * blockTimeMs) / blockTimeMs));
  return {
    pollIntervalMs,
    requestTimeoutMs,
    stallMs,
    // Three in a row: one timeout is noise on any public endpoint.
    endpointDownFailures: 3,
    endpointLagBlocks,
    // A single endpoint frozen for as long as a network halt would take is stuck.
    endpointStuckMs: stallMs,
    reorgMinDepth: 1,
    reorgMajorDepth: 3,
    // Mean interval over 30 blocks (at least a minute) three times the target: a missed slot
    // or two does not move a 30-block mean that far.
    slowFactor: 3,
    slowWindowMs: Math.max(30 * blockTimeMs, 60000),
    // Thirty minutes of blocks between latest and safe: Ethereum's safe (justified) head trails
    // by one to two epochs (6-13 min); rollups' safe head follows L1 batch posting, normally minutes behind.
    safeLagBlocks: Math.ceil(1800000 / blockTimeMs),
    // Alerting and recovery windows are about people, not chains: the same everywhere.
    confirmMs: 30000,
    resolveAfterMs: 300000,
    reopenWindowMs: 1800000,
    criticalAfterMs: 600000,
  };
}

/** Thresholds fields that are durations; in the file they drop the `Ms` suffix. */
export const DURATION_FIELDS = [
  'pollIntervalMs',
  'requestTimeoutMs',
  'stallMs',
  'endpointStuckMs',
  'slowWindowMs',
  'confirmMs',
  'resolveAfterMs',
  'reopenWindowMs',
  'criticalAfterMs',
] as const satisfies readonly (keyof Thresholds)[];

/** "stallMs" -> "stall", "reorgMinDepth" -> "reorgMinDepth": the key as written in the file. */
export function fileKey(field: keyof Thresholds): string {
  return field.endsWith('Ms') ? field.slice(0, -2) : field;
}

export type ThresholdLayer<Src> = { source: Src; values: Partial<Thresholds> };

/** Later layers win. `origin` names the layer each field came from (undefined: built in). */
export function mergeThresholds<Src>(
  base: Thresholds,
  layers: ThresholdLayer<Src>[],
): { thresholds: Thresholds; origin: Partial<Record<keyof Thresholds, Src>> } {
  const thresholds = { ...base };
  const origin: Partial<Record<keyof Thresholds, Src>> = {};
  for (const { source, values } of layers) {
    for (const [k, v] of Object.entries(values) as [keyof Thresholds, never][]) {
      if (v === undefined) continue;
      thresholds[k] = v;
      origin[k] = source;
    }
  }
  return { thresholds, origin };
}

/** One broken rule; `blame` lists who to blame, in order, each with its message. */
export interface ThresholdConflict {
  blame: [keyof Thresholds, string][];
}

/** Rules between fields, checked after merging because each side may come from a different layer. */
export function crossCheckThresholds(t: Thresholds, blockTimeMs: number): ThresholdConflict[] {
  const out: ThresholdConflict[] = [];
  const d = formatConfigDuration;
  // Shorter than a poll interval would call every quiet poll a halt (or a stuck endpoint).
  for (const f of ['stallMs', 'endpointStuckMs'] as const) {
    if (t[f] <= t.pollIntervalMs) {
      out.push({
        blame: [
          [f, `must be longer than pollInterval (${d(t.pollIntervalMs)})`],
          ['pollIntervalMs', `must be shorter than ${fileKey(f)} (${d(t[f])})`],
        ],
      });
    }
  }
  if (t.reorgMajorDepth < t.reorgMinDepth) {
    out.push({
      blame: [
        ['reorgMajorDepth', `must be at least reorgMinDepth (${t.reorgMinDepth})`],
        ['reorgMinDepth', `must be at most reorgMajorDepth (${t.reorgMajorDepth})`],
      ],
    });
  }
  // The slow-block mean needs a few blocks in its window to mean anything.
  if (t.slowWindowMs < 3 * blockTimeMs) {
    out.push({ blame: [['slowWindowMs', `must cover at least 3 blocks (${d(3 * blockTimeMs)})`]] });
  }
  return out;
}

/** Community evidence, unless a network's `social:` section says otherwise (src/engine/social-evidence.ts). */
export const DEFAULT_SOCIAL: SocialSettings = {
  windowMs: 10 * 60_000,
  minReporters: 3,
  reporterErrorRate: 0.4,
  minConfidence: 0.9,
  baselineFactor: 3,
};

/** Node memory alarms, unless an endpoint's `metrics:` says otherwise (src/engine/memory-trend.ts). */
export const DEFAULT_MEMORY_SETTINGS: MemorySettings = { highWatermark: 0.9, lowWatermark: 0.8, warnWithinMs: 60 * 60_000 };
