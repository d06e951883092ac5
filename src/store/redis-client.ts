import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import type { RedisWait } from '../config/redis';

/**
 * A connection to chainwatch's Redis: one server (or a Sentinel-managed primary, which ioredis
 * presents as one), or a Redis Cluster. Stores take either; every multi-key command, script and
 * MULTI they send stays inside one hash tag (src/model/keyspace.ts), and what spans networks
 * goes through `pipelinePerGroup` (src/store/fan-out.ts), so the same code runs on both.
 */
export type RedisClient = Redis | Cluster;

export function isCluster(redis: RedisClient): redis is Cluster {
  return redis.isCluster;
}

/** Per-command results of a pipeline or MULTI, as ioredis gives them. */
export type Results = Array<[Error | null, unknown]>;

/**
 * How many replicas must hold a write before it counts, per client. It belongs to the
 * connection (src/queue/connections.ts sets it where the client is made) rather than to each
 * store, so every store over one client, and the X publisher's markers, agree without each
 * constructor being told.
 */
const waits = new WeakMap<RedisClient, RedisWait>();

export function setReplicaWait(redis: RedisClient, wait: RedisWait | undefined): void {
  if (wait && wait.replicas > 0) waits.set(redis, wait);
  else waits.delete(redis);
}

export function replicaWait(redis: RedisClient): RedisWait | undefined {
  return waits.get(redis);
}

/** Told after every WAIT: how many replicas acknowledged the write `what`, of `wanted`. */
export type OnReplicaAcks = (what: string, acked: number, wanted: number) => void;
const reporters = new WeakMap<RedisClient, OnReplicaAcks>();

export function onReplicaAcks(redis: RedisClient, report: OnReplicaAcks): void {
  reporters.set(redis, report);
}

/** A pipeline's own MULTI (ioredis has it at run time; its ChainableCommander type leaves it out). */
type WithMulti = ChainableCommander & { multi(): ChainableCommander };

/**
 * Runs `build`'s commands (all in one hash slot) as one pipeline followed by `WAIT`, so that
 * WAIT runs on the very connection that wrote: on a Cluster a keyless command sent alone goes
 * to any node, but inside a pipeline it rides with the keyed commands to the slot's primary.
 * `atomic` wraps the commands in MULTI/EXEC (WAIT stays outside: inside a transaction it would
 * not wait). Without a replica wait on the client this is a plain pipeline. Returns the
 * commands' results and how many replicas acknowledged (null: not asked).
 */
export async function execReplicated(
  redis: RedisClient,
  what: string,
  build: (p: ChainableCommander) => void,
  opts: { atomic?: boolean } = {},
): Promise<{ results: Results; acked: number | null }> {
  const wait = replicaWait(redis);
  const p = redis.pipeline();
  if (opts.atomic) (p as WithMulti).multi();
  build(p);
  if (opts.atomic) void p.exec(); // inside a pipeline this queues EXEC; the pipeline is sent below
  const n = p.length;
  if (wait) p.call('WAIT', String(wait.replicas), String(wait.timeoutMs));
  const all = ((await p.exec()) ?? []) as Results;
  for (const [err] of all.slice(0, n)) if (err) throw err;
  const results = opts.atomic ? execReplies(all[n - 1]?.[1]) : all.slice(0, n);
  if (!wait) return { results, acked: null };
  const [waitErr, reply] = all[n] ?? [new Error('no WAIT reply'), null];
  const acked = waitErr ? 0 : Number(reply);
  reporters.get(redis)?.(what, acked, wait.replicas);
  return { results, acked };
}

function execReplies(reply: unknown): Results {
  if (!Array.isArray(reply)) throw new Error('transaction aborted');
  return reply.map((r): [Error | null, unknown] => (r instanceof Error ? [r, null] : [null, r]));
}
