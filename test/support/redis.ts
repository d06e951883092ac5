import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteByPrefix } from '../../src/queue/delete-prefix';

export interface TestRedis {
  redis: Redis;
  /** Unique per call, e.g. `cwtest-3f9a1c0b2d4e`; put every key a test writes under it. */
  prefix: string;
  /** Deletes keys holding the prefix (SCAN + UNLINK, never FLUSHALL/FLUSHDB) and quits. */
  cleanup(): Promise<void>;
}

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

export { deleteByPrefix };
