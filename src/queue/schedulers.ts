import type { Queue } from 'bullmq';
import type { Network } from '../config/network';
import { clientVersionSchedulerId, pollSchedulerId, scrapeSchedulerId } from './names';

export interface ChainPollJobData {
  network: string;
}

/**
 * One Job Scheduler per network drives its polls. Upsert is idempotent, so every start (of
 * any number of scheduler processes) converges on the config; schedulers of networks that
 * left the config are removed.
 */
export async function syncPollSchedulers(queue: Queue<ChainPollJobData>, networks: readonly Network[]): Promise<{ upserted: number; removed: string[] }> {
  for (const n of networks) {
    await queue.upsertJobScheduler(
      pollSchedulerId(n.name),
      { every: n.thresholds.pollIntervalMs },
      {
        name: 'poll',
        data: { network: n.name },
        opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200, age: 24 * 3600 } },
      },
    );
  }
  const wanted = new Set(networks.map((n) => pollSchedulerId(n.name)));
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const id = s.id ?? s.key;
    if (id.startsWith('poll-') && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id);
    }
  }
  return { upserted: networks.length, removed };
}

export interface NodeTelemetryJobData {
  network: string;
}

/** How often every endpoint's `web3_clientVersion` is read: versions change on deploys, not by the second. */
export const CLIENT_VERSION_EVERY_MS = 10 * 60_000;

/**
 * On the node-telemetry queue: a `scrape` scheduler per network with `metrics` endpoints, every
 * (shortest) `scrapeEvery`, and a `client-version` scheduler per network. Idempotent like the
 * poll schedulers; those of networks (or metrics) that left the config are removed.
 */
export async function syncTelemetrySchedulers(queue: Queue<NodeTelemetryJobData>, networks: readonly Network[]): Promise<{ scrapes: number; removed: string[] }> {
  const opts = { removeOnComplete: { count: 50 }, removeOnFail: { count: 200, age: 24 * 3600 } };
  const wanted = new Set<string>();
  for (const n of networks) {
    const every = Math.min(...n.endpoints.flatMap((e) => (e.metrics ? [e.metrics.scrapeEveryMs] : [])));
    if (Number.isFinite(every)) {
      wanted.add(scrapeSchedulerId(n.name));
      await queue.upsertJobScheduler(scrapeSchedulerId(n.name), { every }, { name: 'scrape', data: { network: n.name }, opts });
    }
    wanted.add(clientVersionSchedulerId(n.name));
    await queue.upsertJobScheduler(clientVersionSchedulerId(n.name), { every: CLIENT_VERSION_EVERY_MS }, { name: 'client-version', data: { network: n.name }, opts });
  }
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const id = s.id ?? s.key;
    if ((id.startsWith('node-') || id.startsWith('clients-')) && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id);
    }
  }
  return { scrapes: [...wanted].filter((id) => id.startsWith('node-')).length, removed };
}
