import type { Queue } from 'bullmq';
import type { RedisClient } from '../store/redis-client';
import { chainView } from '../engine/detectors';
import type { Network } from '../config/network';
import { isOpen, type Keyspace } from '../model';
import { probeView, type NetworkState, type ProbeView } from '../engine';
import type { IncidentStore } from '../store/incidents';
import { Metrics, type ScrapeState } from '../http/metrics';
import type { ReadyCheck } from '../http/server';
import { oldestWaitingMs, readHealth } from './health';

/** What /metrics and /readyz read from Redis when asked. */
export function scrapeState(deps: {
  networks: readonly Network[];
  store: IncidentStore;
  queues: readonly Queue[];
  clock: () => number;
  xSpend?: ScrapeState['xSpend'];
  heartbeat?: ScrapeState['heartbeat'];
  blind?: ScrapeState['blind'];
}): ScrapeState {
  return {
    ...(deps.blind ? { blind: deps.blind } : {}),
    async networks() {
      const now = deps.clock();
      const states = await deps.store.readStates<NetworkState>(deps.networks.map((n) => n.name));
      return deps.networks.map((network) => {
        const stored = states.get(network.name);
        const view = stored ? chainView(stored.state.chain, network, now) : null;
        const head = view?.head ?? null;
        const l = view?.learnt;
        const inc = stored?.incident;
        const signals: Record<string, number> = {};
        for (const c of Object.values(stored?.state.corr.conditions ?? {})) signals[c.kind] = (signals[c.kind] ?? 0) + 1;
        return {
          network: network.name,
          headAgeSeconds: head ? Math.max(0, (now - head.timestamp * 1000) / 1000) : null,
          open: inc && isOpen(inc) ? { status: inc.status, kind: inc.kind } : null,
          signals,
          ...(l
            ? {
                learnt: {
                  stallSeconds: l.stallMs / 1000,
                  stallLearnt: l.stallSource === 'learnt',
                  blockSeconds: l.expectedBlockMs / 1000,
                  blockLearnt: l.blockSource === 'learnt',
                  usualTx: l.throughput.usualPerBlock,
                  recentTx: l.throughput.recentPerBlock,
                },
              }
            : {}),
          ...(network.probe ? { probe: probeMetrics(probeView(stored?.state.probe, network.probe, now)) } : {}),
        };
      });
    },
    async queues() {
      return Promise.all(
        deps.queues.map(async (q) => {
          const [c, waitedMs] = await Promise.all([
            q.getJobCounts('waiting', 'delayed', 'active', 'failed'),
            oldestWaitingMs(q, deps.clock()),
          ]);
          // Age of the oldest waiting job: depth alone does not tell a busy queue from a stuck one.
          const oldestWaitingSeconds = waitedMs / 1000;
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
    ...(deps.heartbeat ? { heartbeat: deps.heartbeat } : {}),
  };
}

/**
 * Ready when Redis answers and, for a process that polls, every network was observed
 * recently (the judgement is src/app/health.ts, shared with the heartbeat).
 */
export function readyCheck(deps: {
  redis: RedisClient;
  store: IncidentStore;
  networks: readonly Network[];
  polls: boolean;
  clock: () => number;
  /** With it, a blind chainwatch is not ready, saying why. */
  keys?: Keyspace;
}): () => Promise<ReadyCheck> {
  return async () => {
    const { ok, checks } = await readHealth(deps, { polls: deps.polls, ...(deps.keys ? { blind: deps.keys } : {}) });
    return { ok, checks };
  };
}

export { Metrics };

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

function probeMetrics(v: ProbeView): { lastSeconds: number | null; medianSeconds: number | null; pendingSeconds: number | null } {
  return { lastSeconds: seconds(v.lastMs), medianSeconds: seconds(v.medianMs), pendingSeconds: seconds(v.pendingForMs) };
}
