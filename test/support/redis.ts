import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEFAULT_REDIS_WAIT, type RedisConfig } from '../../src/config/redis';
import { createRedisClient } from '../../src/queue/connections';
import { deleteByPrefix } from '../../src/queue/delete-prefix';
import type { RedisClient } from '../../src/store/redis-client';
import { createLogger } from '../../src/util/log';
import { startRedisCluster, startRedisSentinel, type RedisClusterHandle, type RedisSentinelHandle } from './redis-topology';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  redis: Redis;
  /** Unique per call, e.g. `cwtest-3f9a1c0b2d4e`; put every key a test writes under it. */
  prefix: string;
  /** Deletes keys holding the prefix (SCAN + UNLINK, never FLUSHALL/FLUSHDB) and quits. */
  cleanup(): Promise<void>;
}

/** A connection to the shared test Redis (REDIS_URL or the local default) with its own key space. */
export function testRedis(): TestRedis {
  const redis = new Redis(REDIS_URL);
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

/**
 * The three ways chainwatch connects (src/config/redis.ts), as real engines for the tests:
 * `single` is the shared Redis at REDIS_URL; `cluster` (3 primaries, 3 replicas) and
 * `sentinel` (primary, replica, 3 sentinels) are started by this process on loopback ports
 * (test/support/redis-topology.ts) and stopped with it.
 */
export type TopologyKind = 'single' | 'cluster' | 'sentinel';
export const TOPOLOGIES: readonly TopologyKind[] = ['single', 'cluster', 'sentinel'];

export interface TestTopology {
  kind: TopologyKind;
  /** The `redis:` config for this topology under `prefix`, with the replica wait the loader gives it. */
  redisConfig(prefix: string): RedisConfig;
  /** The same as a YAML flow mapping, for a config file (`redis: <this>`). */
  redisYaml(prefix: string): string;
  /** A fresh client made the way the app makes its own (the caller closes it). */
  connect(): RedisClient;
  /** Deletes every key holding `prefix`, on every primary. */
  deleteKeys(prefix: string): Promise<void>;
  cluster?: RedisClusterHandle;
  sentinel?: RedisSentinelHandle;
  stop(): Promise<void>;
}

const quiet = createLogger('silent');

export async function startTopology(kind: TopologyKind): Promise<TestTopology> {
  const cluster = kind === 'cluster' ? await startRedisCluster() : undefined;
  const sentinel = kind === 'sentinel' ? await startRedisSentinel() : undefined;
  const hostPorts = (nodes: { host: string; port: number }[]) => nodes.map((n) => `"${n.host}:${n.port}"`).join(', ');
  const redisConfig = (prefix: string): RedisConfig => {
    if (cluster) return { cluster: { nodes: cluster.startupNodes }, prefix, wait: DEFAULT_REDIS_WAIT };
    if (sentinel) return { sentinel: { name: sentinel.name, nodes: sentinel.sentinels }, prefix, wait: DEFAULT_REDIS_WAIT };
    return { url: REDIS_URL, prefix };
  };
  const connect = () => createRedisClient(redisConfig('unused'), quiet);
  return {
    kind,
    redisConfig,
    redisYaml(prefix) {
      if (cluster) return `{ cluster: { nodes: [${hostPorts(cluster.startupNodes)}] }, prefix: ${prefix} }`;
      if (sentinel) return `{ sentinel: { name: ${sentinel.name}, nodes: [${hostPorts(sentinel.sentinels)}] }, prefix: ${prefix} }`;
      return `{ url: "${REDIS_URL}", prefix: ${prefix} }`;
    },
    connect,
    async deleteKeys(prefix) {
      const r = connect();
      try {
        await deleteByPrefix(r, prefix);
      } finally {
        r.disconnect();
      }
    },
    ...(cluster ? { cluster } : {}),
    ...(sentinel ? { sentinel } : {}),
    async stop() {
      await cluster?.stop();
      await sentinel?.stop();
    },
  };
}
