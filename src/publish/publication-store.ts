import type { Redis } from 'ioredis';
import { BOUNDS, type Keyspace, type Sink } from '../queue/names';
import type { Publication } from './types';

/** The Publication sits in Redis beside the incident; a retried publish reads it first. */
export class PublicationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  async read(sink: Sink, incidentId: string): Promise<Publication> {
    const h = await this.redis.hgetall(this.keys.publication(sink, incidentId));
    const { cursor, ...ids } = h;
    return { cursor: cursor ? Number(cursor) : 0, ids };
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

  /**
   * A per-incident lock so two workers never deliver the same incident's events at once:
   * order in a thread matters. Returns a release function, or null if another holds it.
   */
  async lock(sink: Sink, incidentId: string, token: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const key = this.keys.publishLock(sink, incidentId);
    const ok = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    if (!ok) return null;
    return async () => {
      // Delete only our own lock: it may have expired and been taken by another worker.
      await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, key, token);
    };
  }
}
