import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadCommands } from '../../commands';
import { createChainPollProcessor } from '../../jobs/chain-poll';
import { createNodeTelemetryProcessor } from '../../jobs/node-telemetry';
import { createDiscordArchiveProcessor, type DiscordArchiveJobData } from '../../jobs/discord-archive';
import { createPublishProcessor } from '../../jobs/publish';
import { createIngest, createSocialIngestProcessor, type SocialIngestJobData } from '../../jobs/social-ingest';
import { createSocialPollProcessor } from '../../jobs/social-poll';
import { createXClients, CursorStore, monthBounds, projectMonth, SpendTracker } from '../x';
import { startHttpServer } from '../http/server';
import { httpRoutes } from '../http/routes';
import { OutageLog } from '../store/outages';
import { Metrics, readyCheck, scrapeState } from './observability';
import { discordChannelMap } from '../discord/bot/community';
import { type HeadSample, keyspace, type Post, PUBLISH_QUEUE, type Publisher, QUEUES, type Sink } from '../model';
import { ActionService } from '../discord/bot/actions';
import { startBot } from '../discord/bot/bot';
import { StatusService } from '../discord/bot/status-service';
import { closeEndpointClients, createEndpointClient, reserveEndpointClients } from '../chain/client';
import type { AppConfig } from '../config';
import type { Network } from '../config/network';
import { HistoryStore } from '../store/history';
import { SilenceStore } from '../store/silences';
import { IncidentStore } from '../store/incidents';
import type { Logger } from '../util/log';
import { PublishOutbox, type PublishJobData } from '../queue/outbox';
import { PublicationStore } from '../store/publications';
import { createRedis, waitForRedis } from '../queue/connections';
import { type ChainPollJobData, CLIENT_VERSION_EVERY_MS, type NodeTelemetryJobData, syncPollSchedulers, syncTelemetrySchedulers } from '../queue/schedulers';
import { ClientVersionStore } from '../store/client-versions';
import { nodeMetrics } from './node-metrics';
import { within } from '../util/deadline';
import { createPublishers } from './publishers';

export type Role = 'all' | 'worker' | 'scheduler' | 'bot';

function xSpendReader(spend: SpendTracker, budgetUsd: number, clock: () => number) {
  return async () => {
    const now = clock();
    const { monthStart, monthEnd } = monthBounds(now);
    const spentUsd = await spend.spentThisMonth();
    return { spentUsd, projectedUsd: projectMonth(spentUsd, now, monthStart, monthEnd), budgetUsd };
  };
}

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
const PUBLISH_ATTEMPTS = 4320;

export interface StartOptions {
  role?: Role;
  log: Logger;
  /** Publishers to run; default: Discord when configured, else the console. */
  publishers?: Publisher[];
  clock?: () => number;
  onSamples?: (network: Network, samples: HeadSample[]) => void;
}

export interface Running {
  store: IncidentStore;
  redis: Redis;
  /** Base URL of /healthz, /readyz and /metrics, when the config has an `http:` section. */
  httpUrl?: string;
  stop(): Promise<void>;
}

/** The X search scheduler's tick; each network's own interval comes from the budget. */
const SOCIAL_POLL_TICK_MS = 5000;

/** How long SIGTERM waits for active jobs (a poll times out well before). */
const SHUTDOWN_GRACE_MS = 15_000;

const QUEUE_DEFAULTS = {
  removeOnComplete: { count: 200 },
  removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
};

/**
 * Starts the processes of one role against Redis: `scheduler` upserts the poll schedulers,
 * `worker` polls, correlates and publishes, `bot` answers Discord commands and buttons; `all`
 * does every one (the bot only when Discord is configured). Any number of each may run.
 */
export async function startChainwatch(config: AppConfig, opts: StartOptions): Promise<Running> {
  const { log } = opts;
  const role = opts.role ?? 'all';
  const clock = opts.clock ?? Date.now;
  const keys = keyspace(config.redis.prefix);
  const redis = createRedis(config.redis.url, log);
  await waitForRedis(redis, log, config.redis.url);
  const connection = { connection: redis, prefix: keys.bullPrefix };
  const store = new IncidentStore(redis, keys);
  const publications = new PublicationStore(redis, keys);
  const silences = new SilenceStore(redis, keys);
  const networks = new Map(config.networks.map((n) => [n.name, n]));
  const history = new HistoryStore(redis, config.redis.prefix);
  reserveEndpointClients(config.networks.reduce((n, net) => n + net.endpoints.length, 0));
  const outages = new OutageLog(redis, config.redis.prefix);

  const queues: Queue[] = [];
  const open = <T>(name: string, defaults: object = QUEUE_DEFAULTS) => {
    const q = new Queue<T>(name, { ...connection, defaultJobOptions: defaults });
    q.on('error', (err) => log.error({ queue: name, err: err.message }, 'queue error'));
    queues.push(q as Queue);
    return q;
  };
  const archiveQueue = config.discord ? open<DiscordArchiveJobData>(QUEUES.discordArchive) : null;
  const built = opts.publishers
    ? { publishers: opts.publishers, rest: null }
    : createPublishers(config, { networks, store, silences, publications, redis, keys, log, clock, archiveQueue, history });
  const publishDefaults = { ...QUEUE_DEFAULTS, attempts: PUBLISH_ATTEMPTS, backoff: { type: 'capped' } };
  const publishQueues = new Map<Sink, Queue<PublishJobData>>(built.publishers.map((p) => [p.sink, open<PublishJobData>(PUBLISH_QUEUE[p.sink], publishDefaults)]));
  const outbox = new PublishOutbox(publishQueues, publications);
  const pollQueue = open<ChainPollJobData>(QUEUES.chainPoll);
  const ingestQueue = open<SocialIngestJobData>(QUEUES.socialIngest);
  const telemetryQueue = open<NodeTelemetryJobData>(QUEUES.nodeTelemetry);
  const clientVersions = new ClientVersionStore(redis, keys.clientVersions, (3 * CLIENT_VERSION_EVERY_MS) / 1000);
  const xClients = config.x ? createXClients({ apiBaseUrl: config.x.apiBaseUrl, ...(config.x.bearerToken ? { bearerToken: config.x.bearerToken } : {}), ...(config.x.user ? { user: config.x.user } : {}) }) : null;
  const socialPollQueue = xClients?.read ? open(QUEUES.socialPoll) : null;

  const workers: Worker[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  const xSpend = config.x ? xSpendReader(new SpendTracker(redis, config.redis.prefix, clock), config.x.monthlyBudgetUsd, clock) : undefined;
  const metrics = config.http ? new Metrics(scrapeState({ networks: config.networks, store, queues, clock, ...(xSpend ? { xSpend } : {}) })) : null;
  const onSamples = (network: Network, samples: HeadSample[]) => {
    metrics?.samples(samples);
    opts.onSamples?.(network, samples);
  };
  if (role === 'all' || role === 'scheduler') {
    const { removed } = await syncPollSchedulers(pollQueue, config.networks);
    log.info({ networks: config.networks.map((n) => n.name), removed }, 'poll schedulers in place');
    const telemetry = await syncTelemetrySchedulers(telemetryQueue, config.networks);
    log.info(telemetry, 'node telemetry schedulers in place');
    // One X search scheduler; each run polls only the networks whose budgeted interval passed.
    if (socialPollQueue) await socialPollQueue.upsertJobScheduler('social-poll', { every: SOCIAL_POLL_TICK_MS }, { name: 'social-poll', opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } } });
  }
  if (role === 'all' || role === 'worker') {
    const chainPoll = createChainPollProcessor({
      networks,
      store,
      outbox,
      log,
      client: (ep, timeoutMs) => createEndpointClient(ep, { timeoutMs }),
      clock,
      onSamples,
      history,
      outages,
    });
    workers.push(new Worker<ChainPollJobData>(QUEUES.chainPoll, chainPoll, { ...connection, concurrency: config.worker.concurrency }));
    const nodeTelemetry = createNodeTelemetryProcessor({ networks, store, outbox, log, clock, outages, clientVersions, client: (ep, timeoutMs) => createEndpointClient(ep, { timeoutMs }), ...(metrics ? { onNodeSamples: nodeMetrics(metrics) } : {}) });
    workers.push(new Worker<NodeTelemetryJobData>(QUEUES.nodeTelemetry, nodeTelemetry, { ...connection, concurrency: 4 }));
    for (const publisher of built.publishers) {
      const processor = createPublishProcessor({ publisher, store, publications, log });
      workers.push(new Worker<PublishJobData>(PUBLISH_QUEUE[publisher.sink], processor, { ...connection, concurrency: 4, settings: { backoffStrategy: publishBackoff } }));
    }
    const ingestDeps = { networks: config.networks, store, outbox, log, clock, history, outages };
    workers.push(new Worker<SocialIngestJobData>(QUEUES.socialIngest, createSocialIngestProcessor(ingestDeps), { ...connection, concurrency: 2 }));
    if (socialPollQueue && xClients?.read && config.x) {
      const poll = createSocialPollProcessor({
        networks: config.networks,
        read: xClients.read,
        x: config.x,
        store,
        spend: new SpendTracker(redis, config.redis.prefix, clock),
        cursors: new CursorStore(redis, config.redis.prefix),
        redis,
        dueKey: (n) => `{${config.redis.prefix}:x}:due:${n}`,
        readsKey: `{${config.redis.prefix}:x}:reads`,
        ingest: createIngest(ingestDeps),
        log,
        clock,
      });
      workers.push(new Worker(QUEUES.socialPoll, poll, connection));
    }
    if (built.rest && archiveQueue) {
      workers.push(new Worker<DiscordArchiveJobData>(QUEUES.discordArchive, createDiscordArchiveProcessor({ rest: built.rest, store, log }), connection));
    }
  }
  if ((role === 'all' || role === 'bot') && config.discord) {
    const ctx = {
      discord: config.discord,
      status: new StatusService({ store, silences, publications, networks: config.networks, clock, clientVersions }),
      actions: new ActionService({ store, outbox, clock, outages, log, networks: config.networks }),
      silences,
      log,
      clock,
      ...(xSpend ? { xSpend } : {}),
    };
    const community = {
      channels: discordChannelMap(config.networks),
      ingest: async (post: Post) => void (await ingestQueue.add('posts', { posts: [post] })),
    };
    const bot = await startBot(config.discord, ctx, loadCommands(log), log, community);
    stoppers.push(bot.stop);
  } else if (role === 'bot') {
    throw new Error('--role bot needs a `discord:` section in the config (and DISCORD_TOKEN in the environment)');
  }
  for (const w of workers) {
    const sink = Object.entries(PUBLISH_QUEUE).find(([, q]) => q === w.name)?.[0];
    if (metrics && sink) {
      w.on('completed', () => metrics.publishResults.inc({ sink, result: 'completed' }));
      w.on('failed', () => metrics.publishResults.inc({ sink, result: 'failed' }));
    }
    if (metrics && w.name === QUEUES.socialIngest) {
      w.on('completed', (_job, r: { classified: number; outage: number; unattributed: number }) => {
        metrics.socialPosts.inc({ outcome: 'outage' }, r.outage - r.unattributed);
        metrics.socialPosts.inc({ outcome: 'unattributed' }, r.unattributed);
        metrics.socialPosts.inc({ outcome: 'other' }, r.classified - r.outage);
      });
    }
    w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'worker error'));
    w.on('failed', (job: Job | undefined, err) => log.warn({ queue: w.name, job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
  }

  const http =
    metrics && config.http
      ? await startHttpServer({
          port: config.http.port,
          host: config.http.host,
          metrics,
          ready: readyCheck({ redis, store, networks: config.networks, polls: role === 'all' || role === 'worker', clock }),
          log,
          ...httpRoutes(config, { store, silences, history, outages, queues, clock, log }),
        })
      : null;
  if (http) stoppers.push(http.stop);

  let stopped = false;
  return {
    store,
    redis,
    ...(http ? { httpUrl: http.url } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(stoppers.map((s) => s()));
      // Graceful first (active jobs finish), but a shutdown must not hang on a job stuck
      // behind an unreachable Redis or RPC: force after a grace period.
      await Promise.all(
        workers.map(async (w) => {
          if (!(await within(w.close(), SHUTDOWN_GRACE_MS))) await within(w.close(true), 2000);
        }),
      );
      await Promise.all(queues.map((q) => within(q.close(), 2000)));
      await store.close();
      await closeEndpointClients();
      if (!(await within(redis.quit(), 2000))) redis.disconnect();
    },
  };
}
