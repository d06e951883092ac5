import type { Redis } from 'ioredis';
import { BOUNDS } from './bounds';
import { type Keyspace, type Publication, type Sink } from '../model';

/** The Publication sits in Redis beside the incident; a retried publish reads it first. */
export class PublicationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  async read(sink: Sink, incidentId: string): Promise<Publication> {
    return fromHash(await this.redis.hgetall(this.keys.publication(sink, incidentId)));
  }

  /** Publications of many incidents on one sink, in one round trip. */
  async readMany(sink: Sink, incidentIds: readonly string[]): Promise<Map<string, Publication>> {
    const out = new Map<string, Publication>();
    if (incidentIds.length === 0) return out;
    const pipe = this.redis.pipeline();
    for (const id of incidentIds) pipe.hgetall(this.keys.publication(sink, id));
    const results = (await pipe.exec()) ?? [];
    results.forEach(([err, h], i) => {
      if (err || !h) return;
      out.set(incidentIds[i]!, fromHash(h as Record<string, string>));
    });
    return out;
  }

  /** Records one delivered event: its ids first, then the cursor, in one transaction. */
  async record(sink: Sink, incidentId: string, seq: number, ids: Record<string, string>, closed: boolean): Promise<void> {
    const key = this.keys.publication(sink, incidentId);
    const tx = this.redis.multi().hset(key, { ...ids, cursor: String(seq) });
    // Expires with its incident; a reopened incident keeps its cursor for as long as it is open.
    if (closed) tx.expire(key, BOUNDS.closedTtlSeconds);
    else tx.persist(key);
    await tx.exec();
  }

  /** Saves ids mid-event (see Publisher's `checkpoint`); the cursor does not move. */
  async checkpoint(sink: Sink, incidentId: string, ids: Record<string, string>): Promise<void> {
    if (Object.keys(ids).length > 0) await this.redis.hset(this.keys.publication(sink, incidentId), ids);
  }

  /**
   * A per-incident lock so two workers never deliver the same incident's events at once:
   * order in a thread matters. Returns a release function, or null if another holds it.
   * The holder renews it every third of its TTL, so the TTL can be short: a worker killed
   * mid-delivery holds up its incident for one TTL, not for the longest delivery imaginable.
   */
  async lock(sink: Sink, incidentId: string, token: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const key = this.keys.publishLock(sink, incidentId);
    const ok = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    if (!ok) return null;
    const renew = setInterval(
      () => {
        this.redis
          .eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0",
            1,
            key,
            token,
            ttlMs,
          )
          .catch(() => {});
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
    renew.unref();
    return async () => {
      clearInterval(renew);
      // Delete only our own lock: it may have expired and been taken by another worker.
      await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, key, token);
    };
  }
}

/** The Publication hash: `cursor` beside the sink's own ids. */
function fromHash(h: Record<string, string>): Publication {
  const { cursor, ...ids } = h;
  return { cursor: cursor ? Number(cursor) : 0, ids };
}
