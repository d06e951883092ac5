import type { Redis } from 'ioredis';
import { HISTORY_BOUNDS, type HeadPoint, type HeadSample, type Keyspace, type ReportBucket } from '../model';

const MINUTE = 60_000;

export class HistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  /**
   * Records the highest head of one poll. The member is `number:timestamp`, added with NX, so
   * the same head seen again (by another endpoint or worker) keeps its first sighting.
   */
  async recordHeads(network: string, samples: readonly HeadSample[]): Promise<void> {
    let best: { n: number; ts: number; t: number } | null = null;
    for (const s of samples) {
      if (!s.ok || !Number.isSafeInteger(s.number) || !Number.isFinite(s.timestamp)) continue;
      if (!best || s.number > best.n) best = { n: s.number, ts: s.timestamp, t: s.observedAt };
    }
    if (!best) return;
    const key = this.keys.historyHeads(network);
    await this.redis
      .multi()
      .zadd(key, 'NX', best.t, `${best.n}:${best.ts}`)
      .zremrangebyscore(key, '-inf', best.t - HISTORY_BOUNDS.retentionMs)
      .zremrangebyrank(key, 0, -(HISTORY_BOUNDS.headPoints + 1))
      .exec();
  }

  /** Head points first seen within [fromMs, toMs], oldest first. */
  async heads(network: string, fromMs: number, toMs: number): Promise<HeadPoint[]> {
    const raw = await this.redis.zrangebyscore(this.keys.historyHeads(network), fromMs, toMs, 'WITHSCORES');
    const out: HeadPoint[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const [n, ts] = raw[i]!.split(':').map(Number);
      if (Number.isFinite(n) && Number.isFinite(ts)) out.push({ t: Number(raw[i + 1]), n: n!, ts: ts! });
    }
    // Sorted by first sighting; a lagging endpoint's older head seen later is not progress.
    return out.sort((a, b) => a.t - b.t || a.n - b.n);
  }

  /** Counts outage reports attributed to a network, in the minute of `atMs`. */
  async recordReports(network: string, atMs: number, count: number): Promise<void> {
    if (count <= 0) return;
    const key = this.keys.historyReports(network);
    const minute = Math.floor(atMs / MINUTE) * MINUTE;
    const res = await this.redis.multi().hincrby(key, String(minute), count).hlen(key).exec();
    const len = Number(res?.[1]?.[1] ?? 0);
    if (len > HISTORY_BOUNDS.reportMinutes) {
      const fields = await this.redis.hkeys(key);
      const old = fields.filter((f) => Number(f) < minute - HISTORY_BOUNDS.retentionMs);
      const excess = fields
        .map(Number)
        .sort((a, b) => a - b)
        .slice(0, Math.max(0, fields.length - HISTORY_BOUNDS.reportMinutes));
      const drop = [...new Set([...old, ...excess.map(String)])];
      if (drop.length > 0) await this.redis.hdel(key, ...drop);
    }
  }

  /** Report counts per minute within [fromMs, toMs], oldest first (minutes without reports omitted). */
  async reports(network: string, fromMs: number, toMs: number): Promise<ReportBucket[]> {
    const all = await this.redis.hgetall(this.keys.historyReports(network));
    return Object.entries(all)
      .map(([t, c]) => ({ t: Number(t), count: Number(c) }))
      .filter((b) => b.t + MINUTE > fromMs && b.t <= toMs)
      .sort((a, b) => a.t - b.t);
  }
}
