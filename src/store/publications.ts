import type { ChainableCommander } from 'ioredis';
import { BOUNDS } from './bounds';
import { pipelinePerGroup } from './fan-out';
import { execReplicated, type RedisClient } from './redis-client';
import { type Keyspace, type Publication, type Sink } from '../model';

/** The Publication sits in Redis beside the incident; a retried publish reads it first. */
export class PublicationStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  async read(sink: Sink, incidentId: string): Promise<Publication> {
    return fromHash(await this.redis.hgetall(this.keys.publication(sink, incidentId)));
  }

  /** Publications of many incidents on one sink, in one round trip (incidents of many networks: one group each). */
  async readMany(sink: Sink, incidentIds: readonly string[]): Promise<Map<string, Publication>> {
    const out = new Map<string, Publication>();
    const results = await pipelinePerGroup(
      this.redis,
      incidentIds.map((id) => (p) => p.hgetall(this.keys.publication(sink, id))),
    );
    results.forEach((group, i) => {
      const [err, h] = group[0] ?? [null, null];
      if (err || !h) return;
      out.set(incidentIds[i]!, fromHash(h as Record<string, string>));
    });
    return out;
  }

  /**
   * Records one delivered event: its ids first, then the cursor, in one transaction. With a
   * replica wait on the client it is on a replica before the next event is sent, so a failover
   * cannot roll the cursor back to an event that was already posted.
   */
  async record(sink: Sink, incidentId: string, seq: number, ids: Record<string, string>, closed: boolean): Promise<void> {
    const key = this.keys.publication(sink, incidentId);
    const write = (p: ChainableCommander) => {
      p.hset(key, { ...ids, cursor: String(seq) });
      // Expires with its incident; a reopened incident keeps its cursor for as long as it is open.
      if (closed) p.expire(key, BOUNDS.closedTtlSeconds);
      else p.persist(key);
    };
    await execReplicated(this.redis, `${sink} delivery of ${incidentId} e${seq}`, write, { atomic: true });
  }

  /** Saves ids mid-event (see Publisher's `checkpoint`); the cursor does not move. Replicated like `record`. */
  async checkpoint(sink: Sink, incidentId: string, ids: Record<string, string>): Promise<void> {
    if (Object.keys(ids).length === 0) return;
    await execReplicated(this.redis, `${sink} checkpoint of ${incidentId}`, (p) => p.hset(this.keys.publication(sink, incidentId), ids));
  }

  /**
   * A per-incident lock so two workers never deliver the same incident's events at once:
   * order in a thread matters. Returns a release function, or null if another holds it.
   * The holder renews it every third of its TTL, so the TTL can be short: a worker killed
   * mid-delivery holds up its incident for one TTL, not for the longest delivery imaginable.
   */
  /** Whether some worker holds the incident's delivery lock for this sink (a dead one's lapses within its TTL). */
  async locked(sink: Sink, incidentId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.publishLock(sink, incidentId))) === 1;
  }

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
