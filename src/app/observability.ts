import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { chainView } from '../engine/detectors';
import type { Network } from '../config/network';
import { isOpen } from '../model';
import type { NetworkState } from '../engine';
import type { IncidentStore } from '../store/incidents';
import { Metrics, type ScrapeState } from '../http/metrics';
import type { ReadyCheck } from '../http/server';
import { within } from '../util/deadline';

/** What /metrics and /readyz read from Redis when asked. */
export function scrapeState(deps: {
  networks: readonly Network[];
  store: IncidentStore;
  queues: readonly Queue[];
  clock: () => number;
  xSpend?: ScrapeState['xSpend'];
}): ScrapeState {
  return {
    async networks() {
      const now = deps.clock();
      const states = await deps.store.readStates<NetworkState>(deps.networks.map((n) => n.name));
      return deps.networks.map((network) => {
        const stored = states.get(network.name);
        const head = stored ? chainView(stored.state.chain, network, now).head : null;
        const inc = stored?.incident;
        const signals: Record<string, number> = {};
        for (const c of Object.values(stored?.state.corr.conditions ?? {})) signals[c.kind] = (signals[c.kind] ?? 0) + 1;
        return {
          network: network.name,
          headAgeSeconds: head ? Math.max(0, (now - head.timestamp * 1000) / 1000) : null,
          open: inc && isOpen(inc) ? { status: inc.status, kind: inc.kind } : null,
          signals,
        };
      });
    },
    async queues() {
      return Promise.all(
        deps.queues.map(async (q) => {
          const [c, [oldest]] = await Promise.all([
            q.getJobCounts('waiting', 'delayed', 'active', 'failed'),
            q.getJobs(['waiting'], 0, 0, true),
          ]);
          // Age of the oldest waiting job: depth alone does not tell a busy queue from a stuck one.
          const oldestWaitingSeconds = oldest ? Math.max(0, (deps.clock() - oldest.timestamp) / 1000) : 0;
          return {
            queue: q.name,
            waiting: c.waiting ?? 0,
            delayed: c.delayed ?? 0,
            active: c.active ?? 0,
            failed: c.failed ?? 0,
            oldestWaitingSeconds,
          };
        }),
      );
    },
    ...(deps.xSpend ? { xSpend: deps.xSpend } : {}),
  };
}

/**
 * Ready when Redis answers and, for a process that polls, every network was observed
 * recently (a poll writes its observations even when the chain or its RPC is down, so a
 * stale network means chainwatch's own pipeline is stuck, not the chain).
 */
export function readyCheck(deps: {
  redis: Redis;
  store: IncidentStore;
  networks: readonly Network[];
  polls: boolean;
  clock: () => number;
}): () => Promise<ReadyCheck> {
  return async () => {
    const checks: Record<string, string> = {};
    const pong = await within(deps.redis.ping(), 2000);
    checks.redis = pong ? 'ok' : 'unreachable';
    if (!pong) return { ok: false, checks };
    if (!deps.polls) return { ok: true, checks };
    const now = deps.clock();
    const states = await deps.store.readStates<NetworkState>(deps.networks.map((n) => n.name));
    let ok = true;
    for (const network of deps.networks) {
      const stored = states.get(network.name);
      const seen = stored ? Math.max(0, ...chainView(stored.state.chain, network, now).endpoints.map((e) => e.observedAt ?? 0)) : 0;
      const limit = Math.max(60_000, 5 * network.thresholds.pollIntervalMs + network.thresholds.requestTimeoutMs);
      const fresh = seen > 0 && now - seen <= limit;
      checks[`poll:${network.name}`] = fresh ? 'fresh' : seen ? `stale (${Math.round((now - seen) / 1000)} s)` : 'never';
      ok &&= fresh;
    }
    return { ok, checks };
  };
}

export { Metrics };
