/** What the status page and incident pictures draw from: heads as first seen, reports per minute. */

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
