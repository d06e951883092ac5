/**
 * The last status page read for each network, in `keys.statusPage(network)`: what a failed read
 * falls back on until it goes stale, and since when reads have been failing (so a failure is
 * logged when it starts and when it ends, not on every read). One key per network, a day's TTL.
 */
import type { Cluster, Redis } from 'ioredis';
import type { Keyspace, OfficialPage } from '../model';

export interface LastStatusPage {
  /** The last page read successfully (null: none yet). */
  page: OfficialPage | null;
  /** Since when reads fail; null while they work. */
  failingSince: number | null;
  /** The last failure, in words (never the URL). */
  error?: string;
}

const TTL_SECONDS = 24 * 3600;

export class LastStatusPages {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: Keyspace,
  ) {}

  async read(network: string): Promise<LastStatusPage | null> {
    const raw = await this.redis.get(this.keys.statusPage(network));
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as LastStatusPage;
      return v && typeof v === 'object' && 'page' in v ? v : null;
    } catch {
      return null; // a damaged record is as good as none: the next read writes a fresh one
    }
  }

  async write(network: string, record: LastStatusPage): Promise<void> {
    await this.redis.set(this.keys.statusPage(network), JSON.stringify(record), 'EX', TTL_SECONDS);
  }
}
