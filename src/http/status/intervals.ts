import type { HeadPoint } from '../../model';

/**
 * The last hour of block intervals of one network, kept as 20-second buckets (longest
 * interval and count) and grown from the new head points only. Reading the whole hour of
 * points on every refresh cost ~0.5 s with 50 networks (180,000 points); this reads seconds.
 * Same rule as blockIntervals() in src/model/history.ts: the mean interval between two
 * sightings, counted only when the block number advances. Pure (no clock): `now` is given.
 */
export const BUCKET_MS = 20_000;

export interface Bucket {
  /** Start of the bucket, ms (a multiple of BUCKET_MS). */
  t: number;
  /** Longest interval seen in the bucket, seconds. */
  maxS: number;
  count: number;
}

export class IntervalWindow {
  private readonly buckets = new Map<number, Bucket>();
  private prev: HeadPoint | undefined;
  /** First sighting of the newest point folded in; -Infinity before any. */
  newest = -Infinity;

  /** Points oldest first; points at or below the last block number are no progress and skipped. */
  add(points: readonly HeadPoint[]): void {
    for (const p of points) {
      const prev = this.prev;
      if (prev && p.n <= prev.n) continue;
      if (prev && p.ts >= prev.ts) {
        const seconds = (p.ts - prev.ts) / (p.n - prev.n);
        const t = Math.floor(p.t / BUCKET_MS) * BUCKET_MS;
        const b = this.buckets.get(t);
        if (b) {
          b.maxS = Math.max(b.maxS, seconds);
          b.count++;
        } else this.buckets.set(t, { t, maxS: seconds, count: 1 });
      }
      this.prev = p;
      this.newest = Math.max(this.newest, p.t);
    }
  }

  /** Drops buckets that ended before `from`: at most an hour's worth (181) stay. */
  trim(from: number): void {
    for (const t of this.buckets.keys()) if (t + BUCKET_MS <= from) this.buckets.delete(t);
  }

  list(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => a.t - b.t).map((b) => ({ ...b }));
  }

  /** When the newest block was first seen, for the chart's current gap. */
  lastHeadAt(): number | null {
    return this.prev?.t ?? null;
  }
}
