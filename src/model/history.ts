/** What the status page and incident pictures draw from: heads as first seen, reports per minute. */

/**
 * Both are bounded in time and in size, whatever the block rate (one point per poll at most,
 * however many blocks a poll skips). Head points are kept as seen only while something reads
 * them at that resolution (the status page's last hour, a short incident's picture); older
 * minutes are summarised (src/store/history-codec.ts) so a picture still draws six hours.
 */
export const HISTORY_BOUNDS = {
  /** Head minutes and report minutes older than this are dropped. */
  retentionMs: 6 * 3600_000,
  /**
   * Head points younger than this are kept as seen: the status page reads the last hour (plus
   * a 20 s bucket and 30 s of overlap), the picture a minute of lead before its window.
   */
  rawMs: 62 * 60_000,
  /** Stored text of one minute's head points (~10 bytes a point: 600 polls a minute fit). */
  minuteBytes: 8192,
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
  /** Mean seconds between blocks over the pair (block timestamps); for a span, the longest. */
  seconds: number;
  /**
   * Set when this stands for many intervals of older history (a minute's summary): blocks were
   * first seen all through [since, t], none further apart than `seconds`, `mean` seconds apart
   * on average. A chart draws it across that time, not as one point at `t`.
   */
  span?: { since: number; count: number; mean: number };
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
