import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createChainPollProcessor } from '../../jobs/chain-poll';
import { createPublishProcessor } from '../../jobs/publish';
import { closeEndpointClients, createEndpointClient } from '../chain/client';
import type { HeadSample } from '../chain/types';
import type { AppConfig } from '../config';
import type { Network } from '../config/network';
import { IncidentStore } from '../incidents/store';
import type { Logger } from '../log';
import { ConsolePublisher } from '../publish/console/publisher';
import { PublishOutbox, type PublishJobData } from '../publish/outbox';
import { PublicationStore } from '../publish/publication-store';
import type { Publisher } from '../publish/types';
import { createRedis, waitForRedis } from '../queue/connections';
import { keyspace, PUBLISH_QUEUE, QUEUES, type Sink } from '../queue/names';
import { syncPollSchedulers, type ChainPollJobData } from '../queue/schedulers';

export type Role = 'all' | 'worker' | 'scheduler';

export interface StartOptions {
  role?: Role;
  log: Logger;
  /** Publishers to run; default: the console publisher. */
  publishers?: Publisher[];
  clock?: () => number;
  onSamples?: (network: Network, samples: HeadSample[]) => void;
}

export interface Running {
  store: IncidentStore;
  redis: Redis;
  stop(): Promise<void>;
}

const QUEUE_DEFAULTS = {
  removeOnComplete: { count: 200 },
  removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
};

/**
 * Starts the processes of one role against Redis: `scheduler` upserts the poll schedulers,
 * `worker` polls, correlates and publishes; `all` does both. Any number of each may run.
 */
export async function startChainwatch(config: AppConfig, opts: StartOptions): Promise<Running> {
  const { log } = opts;
  const role = opts.role ?? 'all';
  const keys = keyspace(config.redis.prefix);
  const redis = createRedis(config.redis.url, log);
  await waitForRedis(redis, log, config.redis.url);
  const connection = { connection: redis, prefix: keys.bullPrefix };
  const store = new IncidentStore(redis, keys);
  const publications = new PublicationStore(redis, keys);
  const networks = new Map(config.networks.map((n) => [n.name, n]));
  const publishers = opts.publishers ?? [new ConsolePublisher(undefined, networks)];

  const pollQueue = new Queue<ChainPollJobData>(QUEUES.chainPoll, { ...connection, defaultJobOptions: QUEUE_DEFAULTS });
  const publishQueues = new Map<Sink, Queue<PublishJobData>>(
    publishers.map((p) => [
      p.sink,
      new Queue<PublishJobData>(PUBLISH_QUEUE[p.sink], {
        ...connection,
        // Delivery outlives outages of the sink: many attempts, exponential backoff capped by BullMQ.
        defaultJobOptions: { ...QUEUE_DEFAULTS, attempts: 50, backoff: { type: 'exponential', delay: 1000 } },
      }),
    ]),
  );
  const queues = [pollQueue, ...publishQueues.values()];
  for (const q of queues) q.on('error', (err) => log.error({ queue: q.name, err: err.message }, 'queue error'));

  const workers: Worker[] = [];
  if (role === 'all' || role === 'scheduler') {
    const { removed } = await syncPollSchedulers(pollQueue, config.networks);
    log.info({ networks: config.networks.map((n) => n.name), removed }, 'poll schedulers in place');
  }
  if (role === 'all' || role === 'worker') {
    const outbox = new PublishOutbox(publishQueues, publications);
    const chainPoll = createChainPollProcessor({
      networks,
      store,
      outbox,
      log,
      client: (ep, timeoutMs) => createEndpointClient(ep, { timeoutMs }),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.onSamples ? { onSamples: opts.onSamples } : {}),
    });
    workers.push(new Worker<ChainPollJobData>(QUEUES.chainPoll, chainPoll, { ...connection, concurrency: config.worker.concurrency }));
    for (const publisher of publishers) {
      const processor = createPublishProcessor({ publisher, store, publications, log });
      workers.push(new Worker<PublishJobData>(PUBLISH_QUEUE[publisher.sink], processor, { ...connection, concurrency: 4 }));
    }
  }
  for (const w of workers) {
    w.on('error', (err) => log.error({ queue: w.name, err: err.message }, 'worker error'));
    w.on('failed', (job: Job | undefined, err) => log.warn({ queue: w.name, job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
  }

  let stopped = false;
  return {
    store,
    redis,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
      await store.close();
      await closeEndpointClients();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
