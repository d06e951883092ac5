/**
 * chainwatch's judgement of its own health, in one place: /readyz (src/app/observability.ts)
 * and the heartbeat (jobs/heartbeat.ts) ask the same questions and get the same answers.
 *
 * - Redis answers PING within 2 s.
 * - Every network was observed within its window: a poll writes its observations even when the
 *   chain or its RPC is down, so a stale network means chainwatch's own pipeline is stuck (no
 *   poll scheduler, no worker, workers wedged), not the chain.
 * - No publish queue is stuck: its oldest waiting job has waited under PUBLISH_STUCK_MS.
 * - chainwatch is not blind (`keys.watcherBlind`, set by the blindness detection).
 */
import type { Job, Queue } from 'bullmq';
import type { RedisClient } from '../store/redis-client';
import type { HeartbeatVerdict } from '../../jobs/heartbeat';
import type { Network } from '../config/network';
import type { NetworkState } from '../engine';
import { chainView } from '../engine/detectors';
import type { Keyspace } from '../model';
import type { IncidentStore } from '../store/incidents';

export const REDIS_PING_TIMEOUT_MS = 2000;
/**
 * A publish job waiting this long has no worker taking it: publish workers run four incidents at
 * once and a delivery takes seconds, and retries wait in `delayed`, not here. Five minutes
 * leaves room for a burst of incidents on a busy deployment.
 */
export const PUBLISH_STUCK_MS = 5 * 60_000;

/** How long a network may go unobserved: five polls and a request timeout, at least a minute. */
export function pollWindowMs(network: Network): number {
  return Math.max(60_000, 5 * network.thresholds.pollIntervalMs + network.thresholds.requestTimeoutMs);
}

export interface Freshness {
  fresh: boolean;
  /** For /readyz: fresh, stale (95 s), never. */
  check: string;
  /** Set when not fresh: in words, for logs and the heartbeat. */
  problem?: string;
}

/** Pure: when any endpoint of the network was last observed (any outcome), and whether that is recent. */
export function networkFreshness(network: Network, state: NetworkState | undefined, now: number): Freshness {
  const seen = state ? Math.max(0, ...chainView(state.chain, network, now).endpoints.map((e) => e.observedAt ?? 0)) : 0;
  if (!seen) return { fresh: false, check: 'never', problem: `network ${network.name} never observed` };
  const age = Math.round((now - seen) / 1000);
  if (now - seen <= pollWindowMs(network)) return { fresh: true, check: 'fresh' };
  return { fresh: false, check: `stale (${age} s)`, problem: `network ${network.name} not observed for ${age} s` };
}

/**
 * When a waiting job began to wait, as far as BullMQ records it: a retried job keeps its creation
 * `timestamp` while it comes back from `delayed` many times, so its last attempt counts instead.
 * This can only under-state the wait (by the retry's backoff), never make a busy queue look stuck.
 */
export function waitingSince(job: Pick<Job, 'timestamp' | 'processedOn'>): number {
  return Math.max(job.timestamp, job.processedOn ?? 0);
}

/** Age of the job at the head of the wait list (the one that has waited longest), 0 when none waits. */
export async function oldestWaitingMs(queue: Queue, now: number): Promise<number> {
  const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
  return oldest ? Math.max(0, now - waitingSince(oldest)) : 0;
}

export interface Blindness {
  since: number;
  reason: string;
}

/** The blindness key's JSON; a value that does not parse still means blind (it is set only while blind). */
export function parseBlindness(raw: string | null, now: number): Blindness | null {
  if (raw === null) return null;
  let v: { since?: unknown; reason?: unknown } = {};
  try {
    v = JSON.parse(raw) as typeof v;
  } catch {
    // keep the defaults below
  }
  const since = typeof v?.since === 'number' && Number.isFinite(v.since) ? v.since : now;
  return { since, reason: typeof v?.reason === 'string' && v.reason ? v.reason : 'no reason recorded' };
}

export interface HealthDeps {
  redis: RedisClient;
  store: IncidentStore;
  networks: readonly Network[];
  clock: () => number;
}

export interface HealthParts {
  /** Judge the networks' freshness (a process that polls, or the heartbeat). */
  polls: boolean;
  /** Judge these queues for being stuck (the heartbeat: the publish queues). */
  publishQueues?: readonly Queue[];
  /** Read the blindness key (with this keyspace). */
  blind?: Keyspace;
}

export interface Health {
  ok: boolean;
  checks: Record<string, string>;
  /** What is wrong, in words (empty when ok). */
  problems: string[];
  blind: Blindness | null;
}

async function pings(redis: RedisClient): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), REDIS_PING_TIMEOUT_MS)));
  try {
    return await Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function readHealth(deps: HealthDeps, parts: HealthParts): Promise<Health> {
  const checks: Record<string, string> = {};
  const problems: string[] = [];
  const pong = await pings(deps.redis);
  checks.redis = pong ? 'ok' : 'unreachable';
  if (!pong) return { ok: false, checks, problems: [`Redis did not answer PING within ${REDIS_PING_TIMEOUT_MS} ms`], blind: null };
  const now = deps.clock();
  let blind: Blindness | null = null;
  if (parts.blind) {
    blind = parseBlindness(await deps.redis.get(parts.blind.watcherBlind), now);
    checks.blind = blind ? `blind since ${new Date(blind.since).toISOString()}: ${blind.reason}` : 'no';
    if (blind) problems.push(`chainwatch is blind: ${blind.reason}`);
  }
  if (parts.polls) {
    const states = await deps.store.readStates<NetworkState>(deps.networks.map((n) => n.name));
    for (const network of deps.networks) {
      const f = networkFreshness(network, states.get(network.name)?.state, now);
      checks[`poll:${network.name}`] = f.check;
      if (f.problem) problems.push(f.problem);
    }
  }
  for (const q of parts.publishQueues ?? []) {
    const waited = await oldestWaitingMs(q, now);
    const stuck = waited >= PUBLISH_STUCK_MS;
    checks[`queue:${q.name}`] = stuck ? `stuck (${Math.round(waited / 1000)} s)` : 'ok';
    if (stuck) problems.push(`queue ${q.name} stuck: its oldest job has waited ${Math.round(waited / 1000)} s`);
  }
  return { ok: problems.length === 0, checks, problems, blind };
}

/** Blind wins (the service gets the failure signal); any other problem withholds the ping. */
export function heartbeatVerdict(health: Health): HeartbeatVerdict {
  if (health.blind) return { kind: 'blind', since: health.blind.since, reason: health.blind.reason };
  if (!health.ok) return { kind: 'not-working', reason: health.problems.join('; ') };
  return { kind: 'working' };
}

/** The heartbeat's question, asked at each tick: every part of the judgement, publish queues and blindness included. */
export function heartbeatHealth(deps: HealthDeps & { keys: Keyspace; publishQueues: readonly Queue[] }): () => Promise<HeartbeatVerdict> {
  return async () => heartbeatVerdict(await readHealth(deps, { polls: true, publishQueues: deps.publishQueues, blind: deps.keys }));
}
