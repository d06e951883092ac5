/**
 * Figure 3, social pipeline throughput: posts through ingest → classifier → attribution →
 * correlator (one IncidentStore transaction per network a job touches) → publish outbox, run by
 * chainwatch `--role worker` (the real social-ingest worker, concurrency as start.ts sets it) on
 * the real Redis and BullMQ, 100 posts per job (MAX_POSTS_PER_JOB). Posts are the labelled
 * examples (11 languages, about half of them outage reports naming five networks), each with
 * its own id and one of 500 authors; social incidents open and are published to a counting sink.
 *
 * Reference, in the same run on the same Redis: BullMQ's bare add-and-process rate of empty
 * jobs (a Queue and a Worker of the same concurrency, added the same way).
 */
import { Queue, Worker } from 'bullmq';
import { startChainwatch, type Running } from '../src/app/start';
import type { AppConfig } from '../src/config';
import { createRedis } from '../src/queue/connections';
import { keyspace, type Post, QUEUES } from '../src/model';
import { MAX_POSTS_PER_JOB, type SocialIngestJobData } from '../jobs/social-ingest';
import { loadExamples } from '../test/social/examples/dataset';
import { testNetwork } from '../test/support/network';
import { CountingPublisher, figure, log, onAbort, PREFIX, progress, QUICK, REDIS_URL, round, sleep, waitFor, type Figure } from './lib';

const INGEST_JOBS = QUICK ? 60 : 600;
const EMPTY_JOBS = QUICK ? 3000 : 20_000;
/** start.ts runs the social-ingest worker at this concurrency. */
const CONCURRENCY = 2;
const ADD_CHUNK = 200;
const AUTHORS = 500;
const QUEUE_DEFAULTS = { removeOnComplete: { count: 200 }, removeOnFail: { count: 1000, age: 7 * 24 * 3600 } };

export const SOCIAL_NETWORKS = [
  testNetwork({ name: 'ethereum', displayName: 'Ethereum' }),
  testNetwork({ name: 'base', displayName: 'Base' }),
  testNetwork({ name: 'arbitrum', displayName: 'Arbitrum One' }),
  testNetwork({ name: 'optimism', displayName: 'OP Mainnet' }),
  testNetwork({ name: 'megaeth', displayName: 'MegaETH' }),
];

const corpus = [...loadExamples('holdout'), ...loadExamples('train')];

/** The i-th post of a stream of distinct posts over the example texts. */
export function postAt(i: number, now: number): Post {
  const e = corpus[i % corpus.length]!;
  const author = i % AUTHORS;
  return {
    source: 'x',
    id: `p${i}`,
    author: `user${author}`,
    authorId: `u${author}`,
    text: e.text,
    lang: e.lang,
    createdAt: now,
    authorFollowers: 100 + author,
  };
}

async function bareBullmq(prefix: string): Promise<{ jobsPerSec: number; ms: number }> {
  const redis = createRedis(REDIS_URL, log);
  const connection = { connection: redis, prefix: `{${prefix}}` };
  const queue = new Queue('bench-empty', { ...connection, defaultJobOptions: QUEUE_DEFAULTS });
  let done = 0;
  const worker = new Worker('bench-empty', async () => void done++, { ...connection, concurrency: CONCURRENCY });
  try {
    await worker.waitUntilReady();
    const t0 = performance.now();
    for (let i = 0; i < EMPTY_JOBS; i += ADD_CHUNK) {
      await queue.addBulk(Array.from({ length: Math.min(ADD_CHUNK, EMPTY_JOBS - i) }, () => ({ name: 'empty', data: {} })));
    }
    await waitFor(() => done >= EMPTY_JOBS, 120_000, 'empty jobs', 2);
    const ms = performance.now() - t0;
    return { jobsPerSec: EMPTY_JOBS / (ms / 1000), ms };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

export async function socialThroughput(): Promise<Figure[]> {
  const prefix = `${PREFIX}-social`;
  const publisher = new CountingPublisher();
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 4 },
    networks: SOCIAL_NETWORKS,
  };
  let running: Running | null = null;
  let queue: Queue<SocialIngestJobData> | null = null;
  let unregister = () => {};
  try {
    const bare = await bareBullmq(`${prefix}-bare`);
    progress(`social: bare BullMQ ${Math.round(bare.jobsPerSec)} empty jobs/s`);
    running = await startChainwatch(config, { role: 'worker', log, publishers: [publisher] });
    const keys = keyspace(prefix);
    queue = new Queue<SocialIngestJobData>(QUEUES.socialIngest, {
      connection: running.redis,
      prefix: keys.bullPrefix,
      defaultJobOptions: QUEUE_DEFAULTS,
    });
    const q = queue;
    const r = running;
    unregister = onAbort(async () => {
      await q.close();
      await r.stop();
    });
    const now = Date.now();
    const jobs = Array.from({ length: INGEST_JOBS }, (_, j) => ({
      name: 'posts',
      data: { posts: Array.from({ length: MAX_POSTS_PER_JOB }, (_, k) => postAt(j * MAX_POSTS_PER_JOB + k, now)) },
    }));
    const failedBefore = await q.getFailedCount();
    const t0 = performance.now();
    for (let i = 0; i < jobs.length; i += ADD_CHUNK / 10) await q.addBulk(jobs.slice(i, i + ADD_CHUNK / 10));
    await waitFor(
      async () => {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(c).every((v) => v === 0);
      },
      600_000,
      'ingest jobs to drain',
      20,
    );
    const ms = performance.now() - t0;
    const failed = (await q.getFailedCount()) - failedBefore;
    await sleep(200);
    const posts = INGEST_JOBS * MAX_POSTS_PER_JOB;
    const postsPerSec = posts / (ms / 1000);
    const incidents = (await Promise.all(SOCIAL_NETWORKS.map((n) => running!.store.listIncidents(n.name, 200)))).flat();
    const jobsPerSec = INGEST_JOBS / (ms / 1000);
    return [
      figure(
        'social_ingest_posts_per_s',
        Math.round(postsPerSec),
        'posts/s',
        { name: 'bullmq_empty_jobs_per_s', value: Math.round(bare.jobsPerSec), unit: 'jobs/s' },
        {
          posts,
          jobs: INGEST_JOBS,
          postsPerJob: MAX_POSTS_PER_JOB,
          ms: Math.round(ms),
          ingestJobsPerSec: round(jobsPerSec, 1),
          jobRateRatio: round(jobsPerSec / bare.jobsPerSec, 4),
          failedJobs: failed,
          concurrency: CONCURRENCY,
          emptyJobs: EMPTY_JOBS,
          incidentsOpened: incidents.length,
          eventsPublished: publisher.delivered,
          note: `${posts.toLocaleString('en')} posts in ${INGEST_JOBS} jobs (${round(jobsPerSec, 1)} jobs/s); ratio is posts/s per empty job/s; ${incidents.length} incidents, ${publisher.delivered} events published`,
        },
      ),
    ];
  } finally {
    unregister();
    await queue?.close().catch(() => {});
    await running?.stop().catch((err: Error) => progress(`social: stopping chainwatch: ${err.message}`));
  }
}
