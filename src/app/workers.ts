/**
 * The worker role: one BullMQ Worker per queue this process serves, each running the thin
 * processor of its file in jobs/. Which publisher a publish queue runs is decided here, from
 * the context's publishers (src/app/publishers.ts).
 */
import { Worker, type Job, type Processor } from 'bullmq';
import { createChainPollProcessor } from '../../jobs/chain-poll';
import { createDiscordArchiveProcessor } from '../../jobs/discord-archive';
import { createNodeTelemetryProcessor } from '../../jobs/node-telemetry';
import { createPublishProcessor } from '../../jobs/publish';
import { createIngest, createSocialIngestProcessor, type IngestResult } from '../../jobs/social-ingest';
import { createSocialPollProcessor } from '../../jobs/social-poll';
import { createEndpointClient } from '../chain/client';
import { PUBLISH_QUEUE, QUEUES, type Sink } from '../model';
import { CursorStore, SpendTracker } from '../x';
import type { AppContext } from './context';
import { nodeMetrics } from './node-metrics';
import { publishBackoff } from './queues';

/**
 * Parallel jobs per worker process, per queue (chain polls: `worker.concurrency` in the
 * config). Publishing runs several incidents at once (each incident's events stay in order
 * under its lock); social ingest is one transaction per network a batch touches, so two
 * at a time keep a burst of posts from starving the polls of the same Redis.
 */
const CONCURRENCY = { nodeTelemetry: 4, publish: 4, socialIngest: 2, socialPoll: 1, discordArchive: 1 } as const;

export function startWorkers(ctx: AppContext): Worker[] {
  const { config, store, outbox, log, clock, history, outages, redis, keys } = ctx;
  const connection = { connection: redis, prefix: keys.bullPrefix };
  const workers: Worker[] = [];
  const add = <T>(queue: string, processor: Processor<T>, concurrency: number, extra: object = {}) => {
    const w = new Worker<T>(queue, processor, { ...connection, concurrency, ...extra });
    workers.push(w as Worker);
    return w;
  };
  const client = (ep: Parameters<typeof createEndpointClient>[0], timeoutMs: number) => createEndpointClient(ep, { timeoutMs });
  const commit = { store, outbox, log, clock, outages };
  add(
    QUEUES.chainPoll,
    createChainPollProcessor({ ...commit, networks: ctx.networks, client, onSamples: ctx.onSamples, history }),
    config.worker.concurrency,
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
