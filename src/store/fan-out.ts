import type { ChainableCommander } from 'ioredis';
import { isCluster, type RedisClient, type Results } from './redis-client';

/**
 * Reads that span networks (or incidents of several networks) in one round trip. Each group's
 * commands share one hash slot (one network's tag); different groups usually do not. On one
 * server every group goes into a single pipeline. On a Cluster ioredis refuses a pipeline whose
 * keys live on different primaries ("All keys in the pipeline should belong to the same slots
 * allocation group"), and which primary holds a slot changes with every failover or reshard,
 * so there each group is its own pipeline, all sent at once: still one round trip of latency.
 * Returns each group's results in order; a group the server refused has its errors in place.
 */
export async function pipelinePerGroup(redis: RedisClient, groups: ReadonlyArray<(p: ChainableCommander) => void>): Promise<Results[]> {
  if (groups.length === 0) return [];
  if (isCluster(redis)) {
    return Promise.all(
      groups.map(async (group) => {
        const p = redis.pipeline();
        group(p);
        return ((await p.exec()) ?? []) as Results;
      }),
    );
  }
  const p = redis.pipeline();
  const bounds: Array<[number, number]> = [];
  for (const group of groups) {
    const from = p.length;
    group(p);
    bounds.push([from, p.length]);
  }
  const all = ((await p.exec()) ?? []) as Results;
  return bounds.map(([from, to]) => all.slice(from, to));
}
