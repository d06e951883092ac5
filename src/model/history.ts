/** What the status page and incident pictures draw from: heads as first seen, reports per minute. */

/**
 * Both are bounded in time and in size, whatever the block rate (one point per poll at most,
 * however many blocks a poll skips).
 */
export const HISTORY_BOUNDS = {
  /** Head points and report minutes older than this are dropped. */
  retentionMs: 6 * 3600_000,
  /** At most this many head points per network (6 h of 1 s polls is 21,600). */
  headPoints: 25_000,
  /** Report-count minutes per network (6 h). */
  reportMinutes: 360,
} as const;

export interface HeadPoint {
  /** Wall-clock ms when a poll first saw this head. */
  t: number;
  /** Block number. */
  n: number;
  /** Block timestamp, seconds. */
  ts: number;
}

export interface ReportBucket {
  /** Start of the minute, ms. */
  t: number;
  count: number;
}

export interface BlockInterval {
  /** When the later block of the pair was first seen, ms. */
  t: number;
  /** Mean seconds between blocks over the pair (block timestamps). */
  seconds: number;
}

/**
 * Seconds between blocks from consecutive head points: the mean over the blocks between two
 * sightings, so a chain with 250 ms blocks polled every second still reads 0.25 s, while a
 * halt shows as one long interval when blocks return.
 */
export function blockIntervals(points: readonly HeadPoint[]): BlockInterval[] {
  const out: BlockInterval[] = [];
  let prev: HeadPoint | undefined;
  for (const p of points) {
    if (prev && p.n > prev.n && p.ts >= prev.ts) out.push({ t: p.t, seconds: (p.ts - prev.ts) / (p.n - prev.n) });
    if (!prev || p.n > prev.n) prev = p;
  }
  return out;
}
