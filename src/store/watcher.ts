/**
 * chainwatch's view of its own sight, in Redis: what each network's last poll saw of its
 * endpoints and what the connectivity checks found (one hash, `keys.watcherSight`), and whether
 * it is blind now (`keys.watcherBlind`). Both keys share the `{<prefix>:watcher}` hash tag, so
 * one poll's write and read are one MULTI, on a Redis Cluster too.
 */
import type { ChecksSight, Keyspace, Sight } from '../model';
import type { RedisClient } from './redis-client';

/** The field of the connectivity checks in the sight hash (network names are lowercase words). */
const CHECKS_FIELD = '_checks';

export interface Blindness {
  since: number;
  reason: string;
}

export interface SightReading {
  sights: Map<string, Sight>;
  checks: ChecksSight | null;
  blind: Blindness | null;
}

export class WatcherStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /** Records one network's sight and reads everyone's, with the blindness flag, in one round trip. */
  async recordSight(network: string, sight: Sight): Promise<SightReading> {
    const res = await this.redis
      .multi()
      .hset(this.keys.watcherSight, network, JSON.stringify(sight))
      .hgetall(this.keys.watcherSight)
      .get(this.keys.watcherBlind)
      .exec();
    if (!res) throw new Error('sight transaction aborted');
    for (const [err] of res) if (err) throw err;
    return parse(res[1]![1] as Record<string, string>, res[2]![1] as string | null);
  }

  async recordChecks(checks: ChecksSight): Promise<void> {
    await this.redis.hset(this.keys.watcherSight, CHECKS_FIELD, JSON.stringify(checks));
  }

  async read(): Promise<SightReading> {
    const res = await this.redis.multi().hgetall(this.keys.watcherSight).get(this.keys.watcherBlind).exec();
    if (!res) throw new Error('sight transaction aborted');
    return parse(res[0]![1] as Record<string, string>, res[1]![1] as string | null);
  }

  /** Drops the sight of networks no longer watched (the hash stays bounded by the config). */
  async forget(watched: readonly string[]): Promise<void> {
    const fields = await this.redis.hkeys(this.keys.watcherSight);
    const gone = fields.filter((f) => f !== CHECKS_FIELD && !watched.includes(f));
    if (gone.length) await this.redis.hdel(this.keys.watcherSight, ...gone);
  }

  /** Marks blindness once: true for the one caller that set it (it tells the operators). */
  async setBlind(b: Blindness): Promise<boolean> {
    return (await this.redis.set(this.keys.watcherBlind, JSON.stringify(b), 'NX')) === 'OK';
  }

  /** Clears blindness: true for the one caller that cleared it (it tells the operators). */
  async clearBlind(): Promise<boolean> {
    return (await this.redis.del(this.keys.watcherBlind)) > 0;
  }
}

function parse(hash: Record<string, string> | null, blind: string | null): SightReading {
  const sights = new Map<string, Sight>();
  let checks: ChecksSight | null = null;
  for (const [field, raw] of Object.entries(hash ?? {})) {
    try {
      if (field === CHECKS_FIELD) checks = JSON.parse(raw) as ChecksSight;
      else sights.set(field, JSON.parse(raw) as Sight);
    } catch {
      // A damaged record is as good as none: the next poll rewrites it.
    }
  }
  let parsed: Blindness | null = null;
  try {
    parsed = blind ? (JSON.parse(blind) as Blindness) : null;
  } catch {
    parsed = null;
  }
  return { sights, checks, blind: parsed };
}
