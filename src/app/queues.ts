/**
 * The BullMQ queues one process opens, with the job options every queue shares: bounded
 * history of finished jobs (DESIGN.md principle 4) and, for publishing, the retry policy.
 */
import { Queue } from 'bullmq';
import type { DiscordArchiveJobData } from '../../jobs/discord-archive';
import type { SocialIngestJobData } from '../../jobs/social-ingest';
import { PUBLISH_QUEUE, QUEUES, type Keyspace, type Sink } from '../model';
import type { PublishJobData } from '../queue/outbox';
import type { BullConnection } from '../queue/connections';
import type { ChainPollJobData, NodeTelemetryJobData, ProbeJobData, StatusPageJobData } from '../queue/schedulers';
import type { Logger } from '../util/log';

/** Finished jobs kept per queue: enough to look at in Bull Board, never a growing list. */
export const QUEUE_DEFAULTS = {
  removeOnComplete: { count: 200 },
  removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
};

const PUBLISH_BACKOFF_CAP_MS = 60_000;
/**
 * 1 s, 2 s, 4 s … capped at 1 min, with jitter so many workers do not retry in step. The cap
 * is how late an incident's queued updates can arrive after Discord or X come back from a long
 * outage with no new event to wake them; at one request a minute per incident a failing API
 * is not hammered (429s wait for their own retry_after, without spending an attempt).
 */
export function publishBackoff(attemptsMade: number): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), PUBLISH_BACKOFF_CAP_MS);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
/** With the 1-minute cap, about three days of retries before an event is given up. */
export const PUBLISH_ATTEMPTS = 4320;

export interface Queues {
  /** Every queue opened, for metrics, Bull Board and shutdown. */
  all: Queue[];
  poll: Queue<ChainPollJobData>;
  ingest: Queue<SocialIngestJobData>;
  telemetry: Queue<NodeTelemetryJobData>;
  /** Inclusion probe ticks; always open, so a scheduler can remove the probes the config dropped. */
  probe: Queue<ProbeJobData>;
  /** Official status page reads; always open, so a scheduler can remove the pages the config dropped. */
  statusPage: Queue<StatusPageJobData>;
  publish: Map<Sink, Queue<PublishJobData>>;
  /** Only with Discord configured. */
  archive: Queue<DiscordArchiveJobData> | null;
  /** Only with X search credentials. */
  socialPoll: Queue | null;
  /** Always open, so a scheduler can remove the heartbeat's scheduler when the config drops it. */
  heartbeat: Queue;
  /** chainwatch watching itself (connectivity checks, operator alerts); always open, as above. */
  watcher: Queue;
}

export function openQueues(opts: {
  connection: BullConnection;
  keys: Keyspace;
  log: Logger;
  sinks: readonly Sink[];
  discord: boolean;
  xSearch: boolean;
}): Queues {
  const all: Queue[] = [];
  const open = <T>(name: string, defaults: object = QUEUE_DEFAULTS): Queue<T> => {
    const q = new Queue<T>(name, { connection: opts.connection, prefix: opts.keys.bullPrefix, defaultJobOptions: defaults });
    q.on('error', (err) => opts.log.error({ queue: name, err: err.message }, 'queue error'));
    all.push(q as Queue);
    return q;
  };
  const publishDefaults = { ...QUEUE_DEFAULTS, attempts: PUBLISH_ATTEMPTS, backoff: { type: 'capped' } };
  return {
    all,
    archive: opts.discord ? open<DiscordArchiveJobData>(QUEUES.discordArchive) : null,
    publish: new Map(opts.sinks.map((sink) => [sink, open<PublishJobData>(PUBLISH_QUEUE[sink], publishDefaults)])),
    poll: open<ChainPollJobData>(QUEUES.chainPoll),
    ingest: open<SocialIngestJobData>(QUEUES.socialIngest),
    telemetry: open<NodeTelemetryJobData>(QUEUES.nodeTelemetry),
    probe: open<ProbeJobData>(QUEUES.probe),
    statusPage: open<StatusPageJobData>(QUEUES.statusPage),
    socialPoll: opts.xSearch ? open(QUEUES.socialPoll) : null,
    heartbeat: open(QUEUES.heartbeat),
    watcher: open(QUEUES.watcher),
  };
}
