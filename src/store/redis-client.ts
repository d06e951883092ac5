import type { Cluster, Redis } from 'ioredis';

/**
 * A connection to chainwatch's Redis: one server (or a Sentinel-managed primary, which ioredis
 * presents as one), or a Redis Cluster. Stores take either; every multi-key command they send
 * stays inside one hash tag (src/model/keyspace.ts), so it runs the same on both.
 */
export type RedisClient = Redis | Cluster;
