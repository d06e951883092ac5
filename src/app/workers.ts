/**
 * The worker role: one BullMQ Worker per queue this process serves, each running the thin
 * processor of its file in jobs/. Which publisher a publish queue runs is decided here, from
 * the context's publishers (src/app/publishers.ts).
 */
import { Worker, type Job, type Processor } from 'bullmq';
import { createChainPollProcessor } from '../../jobs/chain-poll';
import { createDiscordArchiveProcessor } from '../../jobs/discord-archive';
import { createHeartbeatProcessor } from '../../jobs/heartbeat';
import { createWatcherProcessor, type OperatorAlertJobData } from '../../jobs/watcher';
import { createNodeTelemetryProcessor } from '../../jobs/node-telemetry';
import { createProbeProcessor } from '../../jobs/probe';
import { createPublishProcessor } from '../../jobs/publish';
import { createStatusPageProcessor } from '../../jobs/status-page';
import { createIngest, createSocialIngestProcessor, type IngestResult } from '../../jobs/social-ingest';
import { createSocialPollProcessor } from '../../jobs/social-poll';
import { createEndpointClient } from '../chain/client';
import { PUBLISH_QUEUE, QUEUES, type Sink } from '../model';
import { LastStatusPages } from '../official';
import { CursorStore, SpendTracker } from '../x';
import type { AppContext } from './context';
import { heartbeatHealth } from './health';
import { nodeMetrics } from './node-metrics';
import { publishBackoff } from './queues';
import { watchWorker } from '../queue/connections';
import { within } from '../util/deadline';

/**
 * Parallel jobs per worker process, per queue (chain polls: `worker.concurrency` in the
 * config). Publishing runs several incidents at once (each incident's events stay in order
 * under its lock); social ingest is one transaction per network a batch touches, so two
 * at a time keep a burst of posts from starving the polls of the same Redis.
 */
const CONCURRENCY = {
  watcher: 1,
  nodeTelemetry: 4,
  probe: 4,
  statusPage: 2,
  publish: 4,
  socialIngest: 2,
  socialPoll: 1,
  discordArchive: 1,
} as const;

export function startWorkers(ctx: AppContext): Worker[] {
  const { config, store, outbox, log, clock, history, outages, redis, keys } = ctx;
  const connection = { connection: redis, prefix: keys.bullPrefix };
  const workers: Worker[] = [];
  const add = <T>(queue: string, processor: Processor<T>, concurrency: number, extra: object = {}) => {
    const make = () => new Worker<T>(queue, processor, { ...connection, concurrency, ...extra }) as Worker;
    const w = make();
    workers.push(w);
    recreateWhenStuck(ctx, workers, w, make);
    return w;
  };
  const client = (ep: Parameters<typeof createEndpointClient>[0], timeoutMs: number) => createEndpointClient(ep, { timeoutMs });
  const commit = { store, outbox, log, clock, outages };
  const sight = {
    watcher: ctx.watcher,
    checksConfigured: (config.connectivity?.checks.length ?? 0) > 0,
    // Told once per change (the worker that made it); the job id makes a retried poll add it once.
    onChange: async (change: OperatorAlertJobData) => {
      await ctx.queues.watcher.add('operator-alert', change, { jobId: `sight-${change.blind ? 'blind' : 'back'}-${change.since}` });
    },
  };
  add(
    QUEUES.chainPoll,
    createChainPollProcessor({ ...commit, networks: ctx.networks, client, onSamples: ctx.onSamples, history, sight }),
    config.worker.concurrency,
  );
  const operators =
    ctx.rest && config.discord?.channels.operators ? { rest: ctx.rest, channelId: config.discord.channels.operators } : undefined;
  add(
    QUEUES.watcher,
    createWatcherProcessor({
      watcher: ctx.watcher,
      log,
      clock,
      ...(config.connectivity ? { connectivity: config.connectivity } : {}),
      ...(operators ? { operators } : {}),
    }),
    CONCURRENCY.watcher,
  );
  add(
    QUEUES.nodeTelemetry,
    createNodeTelemetryProcessor({
      ...commit,
      networks: ctx.networks,
      clientVersions: ctx.clientVersions,
      client,
      ...(ctx.metrics ? { onNodeSamples: nodeMetrics(ctx.metrics) } : {}),
    }),
    CONCURRENCY.nodeTelemetry,
  );
  // Probe ticks mostly wait on the chain; each network's tick holds its lock, so more slots never mean two senders.
  if (config.networks.some((n) => n.probe))
    add(QUEUES.probe, createProbeProcessor({ ...commit, networks: ctx.networks, redis, keys }), CONCURRENCY.probe);
  // Status page reads mostly wait on the page's server (each bounded by its timeout).
  if (config.networks.some((n) => n.statusPage))
    add(
      QUEUES.statusPage,
      createStatusPageProcessor({ ...commit, networks: ctx.networks, lastPages: new LastStatusPages(redis, keys) }),
      CONCURRENCY.statusPage,
    );
  for (const publisher of ctx.publishers) {
    const processor = createPublishProcessor({ publisher, store, publications: ctx.publications, log });
    add(PUBLISH_QUEUE[publisher.sink], processor, CONCURRENCY.publish, { settings: { backoffStrategy: publishBackoff } });
  }
  const ingestDeps = { ...commit, networks: config.networks, history };
  add(QUEUES.socialIngest, createSocialIngestProcessor(ingestDeps), CONCURRENCY.socialIngest);
  if (ctx.queues.socialPoll && ctx.xClients?.read && config.x) {
    const poll = createSocialPollProcessor({
      networks: config.networks,
      read: ctx.xClients.read,
      x: config.x,
      store,
      spend: new SpendTracker(redis, keys, clock),
      cursors: new CursorStore(redis, keys),
      redis,
      keys,
      ingest: createIngest(ingestDeps),
      log,
      clock,
    });
    add(QUEUES.socialPoll, poll, CONCURRENCY.socialPoll);
  }
  if (ctx.rest && ctx.queues.archive)
    add(QUEUES.discordArchive, createDiscordArchiveProcessor({ rest: ctx.rest, store, log }), CONCURRENCY.discordArchive);
  if (config.heartbeat) {
    const publishQueues = [...ctx.queues.publish.values()];
    const health = heartbeatHealth({ redis, store, networks: config.networks, clock, keys, publishQueues });
    const deps = { heartbeat: config.heartbeat, health, redis, keys, queue: ctx.queues.heartbeat, log, clock };
    add(QUEUES.heartbeat, createHeartbeatProcessor(deps), 1);
  }
  for (const w of workers) observe(ctx, w);
  return workers;
}

/** Every worker's errors and failures are logged; publish and ingest results are counted in /metrics. */
function observe(ctx: AppContext, w: Worker): void {
  const { metrics, log } = ctx;
  const sink = (Object.entries(PUBLISH_QUEUE) as [Sink, string][]).find(([, q]) => q === w.name)?.[0];
  if (metrics && sink) {
    w.on('completed', () => metrics.publishResults.inc({ sink, result: 'completed' }));
    w.on('failed', () => metrics.publishResults.inc({ sink, result: 'failed' }));
  }
  if (metrics && w.name === QUEUES.socialIngest) {
    w.on('completed', (_job, r: IngestResult) => {
      metrics.socialPosts.inc({ outcome: 'outage' }, r.outage - r.unattributed);
      metrics.socialPosts.inc({ outcome: 'unattributed' }, r.unattributed);
      metrics.socialPosts.inc({ outcome: 'other' }, r.classified - r.outage);
    });
  }
  w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'worker error'));
  w.on('failed', (job: Job | undefined, err) =>
    log.warn({ queue: w.name, job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
  );
}

/**
 * bullmq#3088: a worker whose connection never became ready again (after a failover) is
 * closed and replaced by a fresh one, in place in `workers` so shutdown closes the live one
 * (src/queue/connections.ts `watchWorker` says when).
 */
function recreateWhenStuck(ctx: AppContext, workers: Worker[], w: Worker, make: () => Worker): void {
  // Its queue, on the producer connection: a worker that stopped fetching due work is stuck too.
  const own = ctx.queues.all.find((q) => q.name === w.name);
  watchWorker(w, {
    reference: ctx.producer,
    ...(own ? { queue: own } : {}),
    onStuck: ({ queue, stuckForMs, statuses, reason }) => {
      ctx.log.warn({ queue, stuckForMs, connections: statuses }, `worker for ${queue} stuck: ${reason}; recreating it`);
      void within(w.close(true), 5000).then(() => w.disconnect().catch(() => undefined));
      const fresh = make();
      const at = workers.indexOf(w);
      if (at >= 0) workers[at] = fresh;
      else workers.push(fresh);
      observe(ctx, fresh);
      recreateWhenStuck(ctx, workers, fresh, make);
    },
  });
}
