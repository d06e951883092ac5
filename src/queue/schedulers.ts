import type { Queue } from 'bullmq';
import type { Network } from '../config/network';
import { probeTickMs } from '../engine/probe';
import {
  clientVersionSchedulerId,
  CONNECTIVITY_SCHEDULER_ID,
  HEARTBEAT_SCHEDULER_ID,
  pollSchedulerId,
  probeSchedulerId,
  scrapeSchedulerId,
  SOCIAL_POLL_SCHEDULER_ID,
  statusPageSchedulerId,
} from '../model';

export interface ChainPollJobData {
  network: string;
}

export interface NodeTelemetryJobData {
  network: string;
}

export interface ProbeJobData {
  network: string;
}

export interface StatusPageJobData {
  network: string;
}

/** How often every endpoint's `web3_clientVersion` is read: versions change on deploys, not by the second. */
export const CLIENT_VERSION_EVERY_MS = 10 * 60_000;

const JOB_OPTS = { removeOnComplete: { count: 50 }, removeOnFail: { count: 200, age: 24 * 3600 } };

interface SchedulerSpec {
  id: string;
  every: number;
  name: string;
  network: string;
}

/**
 * Upserts the wanted schedulers (idempotent, so every start of any number of scheduler
 * processes converges on the config), then removes the queue's schedulers that `owned`
 * claims and the config no longer wants.
 */
async function syncSchedulers(
  queue: Queue<{ network: string }>,
  wanted: readonly SchedulerSpec[],
  owned: (id: string) => boolean,
): Promise<string[]> {
  for (const s of wanted) {
    await queue.upsertJobScheduler(s.id, { every: s.every }, { name: s.name, data: { network: s.network }, opts: JOB_OPTS });
  }
  const keep = new Set(wanted.map((s) => s.id));
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const id = s.id ?? s.key;
    if (owned(id) && !keep.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id);
    }
  }
  return removed;
}

/** Scheduler ids of one kind share the prefix their id function puts before the network name. */
const ownedBy =
  (...ids: ((network: string) => string)[]) =>
  (id: string) =>
    ids.some((of) => id.startsWith(of('')));

/** One Job Scheduler per network drives its polls; those of networks that left the config are removed. */
export async function syncPollSchedulers(
  queue: Queue<ChainPollJobData>,
  networks: readonly Network[],
): Promise<{ upserted: number; removed: string[] }> {
  const wanted = networks.map((n) => ({ id: pollSchedulerId(n.name), every: n.thresholds.pollIntervalMs, name: 'poll', network: n.name }));
  return { upserted: networks.length, removed: await syncSchedulers(queue, wanted, ownedBy(pollSchedulerId)) };
}

/**
 * On the node-telemetry queue: a `scrape` scheduler per network with `metrics` endpoints, every
 * (shortest) `scrapeEvery`, and a `client-version` scheduler per network. Those of networks (or
 * metrics) that left the config are removed.
 */
export async function syncTelemetrySchedulers(
  queue: Queue<NodeTelemetryJobData>,
  networks: readonly Network[],
): Promise<{ scrapes: number; removed: string[] }> {
  const wanted = networks.flatMap((n): SchedulerSpec[] => {
    const every = Math.min(...n.endpoints.flatMap((e) => (e.metrics ? [e.metrics.scrapeEveryMs] : [])));
    const clients = { id: clientVersionSchedulerId(n.name), every: CLIENT_VERSION_EVERY_MS, name: 'client-version', network: n.name };
    return Number.isFinite(every) ? [{ id: scrapeSchedulerId(n.name), every, name: 'scrape', network: n.name }, clients] : [clients];
  });
  const removed = await syncSchedulers(queue, wanted, ownedBy(scrapeSchedulerId, clientVersionSchedulerId));
  return { scrapes: wanted.filter((s) => s.name === 'scrape').length, removed };
}

/**
 * On the probe queue: one scheduler per network with a `probe:` section, ticking a few times per
 * deadline (`probeTickMs`); each tick sends a new probe only when one is due. One scheduler, and
 * the tick's lock, make one prober per network whatever the workers. Those that left the config go.
 */
export async function syncProbeSchedulers(
  queue: Queue<ProbeJobData>,
  networks: readonly Network[],
): Promise<{ probes: number; removed: string[] }> {
  const wanted = networks.flatMap((n) =>
    n.probe ? [{ id: probeSchedulerId(n.name), every: probeTickMs(n.probe), name: 'probe', network: n.name }] : [],
  );
  return { probes: wanted.length, removed: await syncSchedulers(queue, wanted, ownedBy(probeSchedulerId)) };
}

/** On the status-page queue: one scheduler per network with a `statusPage:`, every `statusPage.every`; those that left the config go. */
export async function syncStatusPageSchedulers(
  queue: Queue<StatusPageJobData>,
  networks: readonly Network[],
): Promise<{ pages: number; removed: string[] }> {
  const wanted = networks.flatMap((n) =>
    n.statusPage ? [{ id: statusPageSchedulerId(n.name), every: n.statusPage.everyMs, name: 'status-page', network: n.name }] : [],
  );
  return { pages: wanted.length, removed: await syncSchedulers(queue, wanted, ownedBy(statusPageSchedulerId)) };
}

/** The X search scheduler's tick; each network's own interval comes from the budget (jobs/social-poll.ts). */
export const SOCIAL_POLL_TICK_MS = 5000;

/** One X search scheduler for all networks; each run polls only the networks whose budgeted interval passed. */
export async function syncSocialPollScheduler(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(SOCIAL_POLL_SCHEDULER_ID, { every: SOCIAL_POLL_TICK_MS }, { name: 'social-poll', opts: JOB_OPTS });
}

/**
 * The heartbeat's one scheduler (ticks named `tick`, no data: the URL stays in each worker's
 * config, never in Redis), or none when the config has no `heartbeat:` section. A new scheduler
 * (or a new interval) first ticks one interval from now, not at once as BullMQ would: at once,
 * the first poll has not yet run and the tick would find chainwatch "not working". An existing
 * one keeps its schedule, so restarts add no ping.
 */
export async function syncHeartbeatScheduler(
  queue: Queue,
  heartbeat: { everyMs: number } | undefined,
): Promise<'upserted' | 'removed' | 'none'> {
  if (heartbeat) {
    const repeat = { every: heartbeat.everyMs, startDate: Date.now() + heartbeat.everyMs };
    await queue.upsertJobScheduler(HEARTBEAT_SCHEDULER_ID, repeat, { name: 'tick', opts: JOB_OPTS });
    return 'upserted';
  }
  return (await queue.removeJobScheduler(HEARTBEAT_SCHEDULER_ID)) ? 'removed' : 'none';
}

/** The connectivity checks, one round per interval across all workers; removed when the config drops them. */
export async function syncConnectivityScheduler(
  queue: Queue,
  connectivity: { everyMs: number } | undefined,
): Promise<'upserted' | 'removed' | 'none'> {
  if (connectivity) {
    await queue.upsertJobScheduler(CONNECTIVITY_SCHEDULER_ID, { every: connectivity.everyMs }, { name: 'connectivity', opts: JOB_OPTS });
    return 'upserted';
  }
  return (await queue.removeJobScheduler(CONNECTIVITY_SCHEDULER_ID)) ? 'removed' : 'none';
}
