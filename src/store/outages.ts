import {
  type Incident,
  type IncidentEvent,
  isClosingEvent,
  type NetworkOutages,
  outageOf,
  type OutageRecord,
  type Keyspace,
} from '../model';
import { pipelinePerGroup } from './fan-out';
import type { RedisClient } from './redis-client';

/**
 * The status page's 90 days of uptime outlive the incidents themselves (closed incidents
 * expire after 30 days, BOUNDS.closedTtlSeconds). So each public incident that closes leaves
 * a small record of its outage window here: a sorted set of ids scored by the window's end,
 * beside a hash of the records, both under the network's hash tag, trimmed to 90 days and
 * a count cap on every write.
 */
export const OUTAGE_BOUNDS = {
  /** Records whose window ended longer ago than this are dropped. */
  retentionMs: 90 * 86_400_000,
  /** At most this many records per network (about 22 a day for 90 days). */
  perNetwork: 2000,
} as const;

export class OutageLog {
  /** Networks whose watched-since mark this process already set (bounded by the config). */
  private readonly marked = new Set<string>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /**
   * Records a closed incident's window. Idempotent: keyed by incident id, so a retried job or
   * an incident that reopened and closed again overwrites its one record.
   */
  async record(network: string, outage: OutageRecord, now: number): Promise<void> {
    const ids = this.keys.outageIds(network);
    const data = this.keys.outageData(network);
    const res = await this.redis
      .multi()
      .zadd(ids, outage.endedAt, outage.id)
      .hset(data, outage.id, JSON.stringify(outage))
      .zrangebyscore(ids, '-inf', `(${now - OUTAGE_BOUNDS.retentionMs}`)
      .zrange(ids, '0', String(-OUTAGE_BOUNDS.perNetwork - 1))
      .exec();
    const drop = [...new Set([...((res?.[2]?.[1] as string[]) ?? []), ...((res?.[3]?.[1] as string[]) ?? [])])];
    if (drop.length > 0)
      await this.redis
        .multi()
        .zrem(ids, ...drop)
        .hdel(data, ...drop)
        .exec();
  }

  /** Records whose window ended at or after `fromMs`, oldest first. */
  async list(network: string, fromMs: number): Promise<OutageRecord[]> {
    return (await this.listMany([network], fromMs)).get(network)!.outages;
  }

  /** Many networks in one round trip each way (one group per network: the keys span cluster slots). */
  async listMany(networks: readonly string[], fromMs: number): Promise<Map<string, NetworkOutages>> {
    const res = await pipelinePerGroup(
      this.redis,
      networks.map((n) => (p) => p.zrangebyscore(this.keys.outageIds(n), fromMs, '+inf').get(this.keys.watchedSince(n))),
    );
    const idsOf = res.map((group) => (group[0]?.[1] as string[] | undefined) ?? []);
    const rows = await pipelinePerGroup(
      this.redis,
      networks.flatMap((n, i) => (idsOf[i]!.length > 0 ? [(p) => p.hmget(this.keys.outageData(n), ...idsOf[i]!)] : [])),
    );
    const out = new Map<string, NetworkOutages>();
    let row = 0;
    networks.forEach((n, i) => {
      const group = idsOf[i]!.length > 0 ? rows[row++] : undefined;
      const raws = Array.isArray(group?.[0]?.[1]) ? (group![0]![1] as (string | null)[]) : [];
      const since = Number(res[i]?.[1]?.[1] ?? NaN);
      out.set(n, {
        since: Number.isFinite(since) ? since : null,
        outages: raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as OutageRecord),
      });
    });
    return out;
  }

  /**
   * Marks when chainwatch began watching the network (SET NX: the first mark stays), so the
   * uptime bars can tell "no data" from "no outage". Once per network per process.
   */
  async markWatching(network: string, now: number): Promise<void> {
    if (this.marked.has(network)) return;
    await this.redis.set(this.keys.watchedSince(network), String(now), 'NX');
    this.marked.add(network);
  }

  /** For seeding and tests: the watched-since mark, overwritten. */
  async setWatchedSince(network: string, at: number): Promise<void> {
    await this.redis.set(this.keys.watchedSince(network), String(at));
  }
}

/**
 * Called after each atomic step (chain poll, social ingest, moderator action): notes that the
 * network is watched and, when the step resolved an incident, records its outage window.
 * Never throws: the record is for the status page and must not fail detection.
 */
export async function recordOutages(
  log: OutageLog | undefined,
  network: string,
  result: { events: readonly IncidentEvent[]; incident: Incident | null },
  now: number,
  onError?: (err: Error) => void,
): Promise<void> {
  if (!log) return;
  try {
    await log.markWatching(network, now);
    const closed = result.incident && result.events.some(isClosingEvent);
    const outage = closed ? outageOf(result.incident!) : null;
    if (outage) await log.record(network, outage, now);
  } catch (err) {
    onError?.(err as Error);
  }
}
