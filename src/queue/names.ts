/**
 * Queue names, Redis keys and job ids in one place (as BullMQ keeps its keys).
 *
 * Redis Cluster: every key of one network shares the hash tag `{<prefix>:<network>}`, so the
 * network's transaction (state, incident, timeline, index, event stream) stays in one slot,
 * while different networks spread over the cluster. BullMQ queues get `{<prefix>}` as their
 * prefix, which keeps each queue's keys together as BullMQ requires.
 */

export const QUEUES = {
  chainPoll: 'chain-poll',
  publishConsole: 'publish-console',
  publishDiscord: 'publish-discord',
  publishX: 'publish-x',
  socialPoll: 'social-poll',
  discordArchive: 'discord-archive',
  socialIngest: 'social-ingest',
  nodeTelemetry: 'node-telemetry',
} as const;

export type Sink = 'console' | 'discord' | 'x';

export const PUBLISH_QUEUE: Record<Sink, string> = {
  console: QUEUES.publishConsole,
  discord: QUEUES.publishDiscord,
  x: QUEUES.publishX,
};

/** Bounds on what chainwatch keeps in Redis (also stated in the README). */
export const BOUNDS = {
  /** Incident ids listed per network (oldest dropped). */
  incidentsPerNetwork: 200,
  /** Events kept per incident timeline; the correlator emits few (new evidence is told once). */
  eventsPerIncident: 1000,
  /** IncidentEvents kept in each network's event stream (approximate trim). */
  eventStreamLength: 1000,
  /** Closed incidents, their timelines and publications expire after this many seconds. */
  closedTtlSeconds: 30 * 24 * 3600,
  /** Applied poll batch ids remembered per network for idempotent retries. */
  batchIds: 32,
} as const;

export type Keyspace = ReturnType<typeof keyspace>;

export function keyspace(prefix: string) {
  const net = (network: string) => `{${prefix}:${network}}`;
  return {
    prefix,
    /** BullMQ `prefix` option (a hash tag, see above). */
    bullPrefix: `{${prefix}}`,
    networkState: (network: string) => `${net(network)}:state`,
    networkIncidents: (network: string) => `${net(network)}:incidents`,
    networkEvents: (network: string) => `${net(network)}:events`,
    silence: (network: string) => `${net(network)}:silence`,
    incident: (id: string) => `${net(networkOfIncident(id))}:incident:${id}`,
    timeline: (id: string) => `${net(networkOfIncident(id))}:timeline:${id}`,
    publication: (sink: Sink, id: string) => `${net(networkOfIncident(id))}:pub:${sink}:${id}`,
    publishLock: (sink: Sink, id: string) => `${net(networkOfIncident(id))}:lock:${sink}:${id}`,
    /** The endpoints' last `web3_clientVersion` answers (JSON, with a TTL). */
    clientVersions: (network: string) => `${net(network)}:clients`,
  };
}

/** Incident ids are `<network>-<yyyymmdd>T<hhmmss>Z` (see incidentId). */
export function networkOfIncident(id: string): string {
  return id.replace(/-\d{8}T\d{6}Z$/, '');
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

/** One publish job per event: no `:` and never all digits, as BullMQ requires. */
export function publishJobId(incidentId: string, seq: number): string {
  return `${incidentId}-e${seq}`;
}
