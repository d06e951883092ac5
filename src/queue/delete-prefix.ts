import type { Redis } from 'ioredis';

/**
 * Deletes every key holding `prefix` (chainwatch's keys start with a `{` hash tag, hence the
 * leading `*`), with SCAN + UNLINK: never FLUSHALL, never a blocking KEYS. Used by the demo
 * against a shared REDIS_URL and by the tests.
 */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
