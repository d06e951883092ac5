/**
 * Every Redis key, queue name and job id chainwatch uses, built in this one place (as BullMQ
 * keeps its keys) and passed around as one object: no other file puts a key together.
 *
 * Redis Cluster: every key of one network shares the hash tag `{<prefix>:<network>}`, so the
 * network's transaction (state, incident, timeline, index, event stream) stays in one slot,
 * while different networks spread over the cluster. The X source's keys shared by every
 * network (spend, poll gates) share `{<prefix>:x}`, and chainwatch's view of its own health
 * (sight across networks, blindness, heartbeat) shares `{<prefix>:watcher}`. BullMQ queues get `{<prefix>}` as their
 * prefix, which keeps each queue's keys together as BullMQ requires.
 */
import { networkOfIncident } from './incident';
import type { Sink } from './publication';

export const QUEUES = {
  chainPoll: 'chain-poll',
  publishConsole: 'publish-console',
  publishDiscord: 'publish-discord',
  publishX: 'publish-x',
  socialPoll: 'social-poll',
  discordArchive: 'discord-archive',
  socialIngest: 'social-ingest',
  nodeTelemetry: 'node-telemetry',
  /** The dead man's switch ping: its own small queue, so polls and publishing never delay it. */
  heartbeat: 'heartbeat',
  /** The inclusion probe's ticks, one scheduler per network with a `probe:` (jobs/probe.ts). */
  probe: 'probe',
  /** chainwatch watching itself: connectivity checks, and alerts to its operators. */
  watcher: 'watcher',
  /** Reading official status pages, one scheduler per network with a `statusPage:` (jobs/status-page.ts). */
  statusPage: 'status-page',
} as const;

export const PUBLISH_QUEUE: Record<Sink, string> = {
  console: QUEUES.publishConsole,
  discord: QUEUES.publishDiscord,
  x: QUEUES.publishX,
};

export type Keyspace = ReturnType<typeof keyspace>;

export function keyspace(prefix: string) {
  const net = (network: string) => `{${prefix}:${network}}`;
  const ofIncident = (id: string) => net(networkOfIncident(id));
  const x = `{${prefix}:x}`;
  const w = `{${prefix}:watcher}`;
  return {
    prefix,
    /** BullMQ `prefix` option (a hash tag, see above). */
    bullPrefix: `{${prefix}}`,
    /** The network's detector and correlator state (one JSON value, changed atomically). */
    networkState: (network: string) => `${net(network)}:state`,
    networkIncidents: (network: string) => `${net(network)}:incidents`,
    networkEvents: (network: string) => `${net(network)}:events`,
    silence: (network: string) => `${net(network)}:silence`,
    /** The endpoints' last `web3_clientVersion` answers (JSON, with a TTL). */
    clientVersions: (network: string) => `${net(network)}:clients`,
    /** Head history by minute (hash: src/store/history-codec.ts) and outage reports per minute (hash). */
    historyMinutes: (network: string) => `${net(network)}:history:minutes`,
    historyReports: (network: string) => `${net(network)}:history:reports`,
    /** The sorted set of every head point that chainwatch kept before historyMinutes: deleted on sight. */
    historyHeads: (network: string) => `${net(network)}:history:heads`,
    /** Outage windows of closed public incidents: ids by end (sorted set), records (hash). */
    outageIds: (network: string) => `${net(network)}:outages`,
    outageData: (network: string) => `${net(network)}:outages:data`,
    /** When chainwatch began watching the network (SET NX). */
    watchedSince: (network: string) => `${net(network)}:watched-since`,
    incident: (id: string) => `${ofIncident(id)}:incident:${id}`,
    timeline: (id: string) => `${ofIncident(id)}:timeline:${id}`,
    publication: (sink: Sink, id: string) => `${ofIncident(id)}:pub:${sink}:${id}`,
    publishLock: (sink: Sink, id: string) => `${ofIncident(id)}:lock:${sink}:${id}`,
    /** X: a post that may be on its way for one event (beside the Publication, in its slot). */
    xInflight: (id: string, seq: number) => `${ofIncident(id)}:pub:x:${id}:inflight:${seq}`,
    /** X: the month's spend, one hash per calendar month (UTC), e.g. `2026-12`. */
    xSpend: (month: string) => `${x}:spend:${month}`,
    /** X: the newest post id a network's search has seen. */
    xCursor: (network: string) => `${x}:cursor:${network}`,
    /** X: a network's search is not due again while this key lives (its TTL is the interval). */
    xDue: (network: string) => `${x}:due:${network}`,
    /** X: posts read per search, per network (a hash), to plan the next interval. */
    xReads: `${x}:reads`,
    /**
     * chainwatch's own sight, across networks (one slot for all: written by every poll, read as
     * a whole): what each network's last poll saw of its endpoints, and the connectivity checks.
     */
    watcherSight: `${w}:sight`,
    /** Set while chainwatch is blind (JSON: since, reason); the operator alert goes out once per blindness. */
    watcherBlind: `${w}:blind`,
    /** The heartbeat's last successful ping and last failure (a hash). */
    heartbeat: `${w}:heartbeat`,
    /** The inclusion probe of a network: its nonce, pending transaction and daily gas (a hash). */
    probe: (network: string) => `${net(network)}:probe`,
    /** Held by the one tick working a network's probe (SET NX PX): never two senders at once. */
    probeLock: (network: string) => `${net(network)}:probe:lock`,
    /** The official status page of a network as last read (JSON), to tell what changed. */
    statusPage: (network: string) => `${net(network)}:status-page`,
  };
}

/** One Job Scheduler per network; upserted on every start. */
export function pollSchedulerId(network: string): string {
  return `poll-${network}`;
}

/** Node-telemetry schedulers: memory scrapes of a network's nodes, and its client versions. */
export function scrapeSchedulerId(network: string): string {
  return `node-${network}`;
}

export function clientVersionSchedulerId(network: string): string {
  return `clients-${network}`;
}

/** The one X search scheduler; each run searches only the networks whose interval has passed. */
export const SOCIAL_POLL_SCHEDULER_ID = 'social-poll';

/** The heartbeat and the connectivity checks: one scheduler each for the whole process group. */
export const HEARTBEAT_SCHEDULER_ID = 'heartbeat';
export const CONNECTIVITY_SCHEDULER_ID = 'connectivity';

/** The one sooner retry of a failed heartbeat tick (`tickAt`: the tick's time), so two workers cannot add two. */
export function heartbeatRetryJobId(tickAt: number): string {
  return `heartbeat-retry-${tickAt}`;
}

/** The inclusion probe of one network (at most one prober per network, whatever the workers). */
export function probeSchedulerId(network: string): string {
  return `probe-${network}`;
}

/** Reading one network's official status page. */
export function statusPageSchedulerId(network: string): string {
  return `status-page-${network}`;
}

/** One publish job per event: no `:` and never all digits, as BullMQ requires. */
export function publishJobId(incidentId: string, seq: number): string {
  return `${incidentId}-e${seq}`;
}

/** Archiving a closed incident's Discord thread, once per close (`at` tells two closes apart). */
export function archiveJobId(incidentId: string, at: number): string {
  return `archive-${incidentId}-${at}`;
}
