import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export interface TestRedis {
  redis: Redis;
  /** Unique per call, e.g. `cwtest-3f9a1c0b2d4e`; put every key a test writes under it. */
  prefix: string;
  /** Deletes keys holding the prefix (SCAN + UNLINK, never FLUSHALL/FLUSHDB) and quits. */
  cleanup(): Promise<void>;
}

const SCAN_COUNT = 500;

/** A connection to the shared test Redis (REDIS_URL or the local default) with its own key space. */
export function testRedis(): TestRedis {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
  return {
    redis,
    prefix,
    async cleanup() {
      try {
        await deleteByPrefix(redis, prefix);
      } finally {
        await redis.quit().catch(() => redis.disconnect());
      }
    },
  };
}

export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  // Glob metacharacters cannot occur in the hex prefix, so the pattern matches only its keys;
  // chainwatch's keys start with a `{` hash tag, hence the leading `*`.
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', SCAN_COUNT);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
