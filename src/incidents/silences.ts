import type { Redis } from 'ioredis';
import type { Keyspace } from '../queue/names';

/**
 * Maintenance windows: while a network is silenced, incidents are still detected and recorded,
 * but public posting is held. One predicate decides it for every publisher.
 */
export interface Silence {
  until: number;
  reason: string;
  by: string;
  createdAt: number;
}

export function isSilenced(silence: Silence | null | undefined, now: number): silence is Silence {
  return !!silence && silence.until > now;
}

/** Longest silence: a forgotten maintenance window must not mute a network for ever. */
export const MAX_SILENCE_MS = 7 * 24 * 3600_000;

export class SilenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  /** Expires by itself in Redis when the window ends. */
  async set(network: string, silence: Silence): Promise<void> {
    const ttl = Math.max(1, Math.min(silence.until - silence.createdAt, MAX_SILENCE_MS));
    await this.redis.set(this.keys.silence(network), JSON.stringify(silence), 'PX', ttl);
  }

  async clear(network: string): Promise<boolean> {
    return (await this.redis.del(this.keys.silence(network))) > 0;
  }

  async get(network: string): Promise<Silence | null> {
    const raw = await this.redis.get(this.keys.silence(network));
    return raw ? (JSON.parse(raw) as Silence) : null;
  }

  /** One round trip for many networks (for /status); a pipeline, as the keys span cluster slots. */
  async getMany(networks: readonly string[]): Promise<Map<string, Silence>> {
    const out = new Map<string, Silence>();
    if (networks.length === 0) return out;
    const pipe = this.redis.pipeline();
    for (const n of networks) pipe.get(this.keys.silence(n));
    const results = (await pipe.exec()) ?? [];
    results.forEach(([err, raw], i) => {
      if (!err && typeof raw === 'string') out.set(networks[i]!, JSON.parse(raw) as Silence);
    });
    return out;
  }
}
