import type { Cluster, Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../store/redis-client';

/**
 * Deletes every key holding `prefix` (chainwatch's keys start with a `{` hash tag, hence the
 * leading `*`), with SCAN + UNLINK: never FLUSHALL, never a blocking KEYS. Used by the demo
 * against a shared Redis and by the tests. SCAN sees one server only, so on a Cluster every
 * primary is scanned; keys found there live in many slots, so each is unlinked on its own
 * (a multi-key UNLINK across slots is refused with CROSSSLOT).
 */
export async function deleteByPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const servers: Redis[] = isCluster(redis) ? await primariesOf(redis) : [redis];
  await Promise.all(servers.map((server) => deleteOn(server, prefix, isCluster(redis))));
}

const READY_TIMEOUT_MS = 10_000;

async function primariesOf(cluster: Cluster): Promise<Redis[]> {
  // nodes() is empty until the client has its slot map.
  if (cluster.status !== 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`deleteByPrefix: the cluster was not ready within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      cluster.once('ready', () => resolve());
    }).finally(() => clearTimeout(timer));
  }
  return cluster.nodes('master');
}

async function deleteOn(server: Redis, prefix: string, oneByOne: boolean): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await server.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length === 0) continue;
    if (!oneByOne) {
      await server.unlink(...keys);
      continue;
    }
    const p = server.pipeline();
    for (const key of keys) p.unlink(key);
    await p.exec();
  } while (cursor !== '0');
}
