import { type Keyspace, MAX_SILENCE_MS, type Silence } from '../model';
import { readJsonMany } from './json';
import type { RedisClient } from './redis-client';

/** Maintenance windows in Redis: one key per network, expiring by itself when the window ends. */
export class SilenceStore {
  constructor(
    private readonly redis: RedisClient,
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

  /** One round trip for many networks (for /status). */
  getMany(networks: readonly string[]): Promise<Map<string, Silence>> {
    return readJsonMany<Silence>(this.redis, networks, this.keys.silence);
  }
}
