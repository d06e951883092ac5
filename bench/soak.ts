/**
 * Figure 5, memory over time: a soak of ≥ 1,000,000 head samples and ≥ 1,000,000 posts through
 * the live pipeline's processors on the real Redis: the chain-poll processor (sampleHead on
 * every endpoint, ancestry check, detectors + correlator in one IncidentStore transaction, head
 * history) and the social-ingest processor (zod parse, classifier, attribution, correlator),
 * with incidents published through the real outbox, BullMQ publish queue and publish worker to
 * a counting sink. The processors are called directly (no scheduler), NETWORKS polls and two
 * 100-post jobs at a time, one round after another.
 *
 * Simulated clock: each round is one poll interval later (SIM_STEP_MS, also the block time),
 * chosen so every time window (6 h of head history, the 10-minute social window, the slow-block
 * window) has filled before 10% of the run: from there on, what chainwatch keeps is what its
 * bounds allow, and that is what "flat" checks. Endpoints answer from an in-process fake
 * client (one request in 200 fails). A step that long puts about one head in each minute of
 * history, so what a network costs at the real poll interval is bench/history-soak.ts's figure.
 *
 * Sampled every 5% of the run: process RSS and heapUsed (after a full GC when node runs with
 * --expose-gc, as `npm run bench` does), the Redis server's `used_memory` (shared with whatever
 * else uses that Redis), and the MEMORY USAGE of this run's own keys. Growth from 10% to 100%:
 * the least-squares line through the samples of that span (RSS jumps by tens of MiB between
 * samples), with the plain difference of the two end samples beside it.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createChainPollProcessor } from '../jobs/chain-poll';
import { createPublishProcessor } from '../jobs/publish';
import { createSocialIngestProcessor, MAX_POSTS_PER_JOB, type SocialIngestJobData } from '../jobs/social-ingest';
import type { ChainClient } from '../src/chain/sample-head';
import { defaultThresholds } from '../src/config/defaults';
import type { Network } from '../src/config/network';
import { HistoryStore } from '../src/store/history';
import { HISTORY_BOUNDS, keyspace, PUBLISH_QUEUE, type Sink } from '../src/model';
import { IncidentStore } from '../src/store/incidents';
import { PublishOutbox, type PublishJobData } from '../src/queue/outbox';
import { PublicationStore } from '../src/store/publications';
import { createRedis } from '../src/queue/connections';
import type { ChainPollJobData } from '../src/queue/schedulers';
import {
  abort,
  CountingPublisher,
  figure,
  log,
  mib,
  onAbort,
  PREFIX,
  progress,
  QUICK,
  REDIS_URL,
  redisUsedMemory,
  round,
  type Figure,
} from './lib';
import { postAt, SOCIAL_NETWORKS } from './social';

const NETWORKS = 8;
const ENDPOINTS = 25;
const SAMPLES_TARGET = QUICK ? 40_000 : 1_000_000;
const POSTS_PER_ROUND = 2 * MAX_POSTS_PER_JOB;
const ROUNDS = Math.ceil(SAMPLES_TARGET / (NETWORKS * ENDPOINTS));
/** One round = one poll interval = one block of simulated time; 6 h of history fills by 8% of the run. */
const SIM_STEP_MS = Math.ceil((6 * 3600_000) / (0.08 * ROUNDS) / 1000) * 1000;
const T0 = SIM_STEP_MS * Math.floor(Date.parse('2026-01-01T00:00:00Z') / SIM_STEP_MS);
const CHECKPOINTS = 20;
const FAIL_EVERY = 200;
/** Growth from 10% to 100% of the run at most this many percent counts as flat. */
const FLAT_PCT = 10;

interface MemorySample {
  pct: number;
  round: number;
  samples: number;
  posts: number;
  wallS: number;
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  /** C++ objects and buffers outside the V8 heap (ioredis buffers among them). */
  externalMiB: number;
  redisUsedMiB: number;
  keysMiB: number;
  keys: number;
}

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const hex = (n: number) => `0x${n.toString(16)}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

/** The sum of MEMORY USAGE over this run's keys, and how many there are. */
async function keysMemory(redis: Redis, prefix: string): Promise<{ bytes: number; keys: number }> {
  let cursor = '0';
  let bytes = 0;
  let keys = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (batch.length === 0) continue;
    const pipe = redis.pipeline();
    for (const k of batch) pipe.memory('USAGE', k, 'SAMPLES', '0');
    for (const [err, v] of (await pipe.exec()) ?? []) if (!err && typeof v === 'number') bytes += v;
    keys += batch.length;
  } while (cursor !== '0');
  return { bytes, keys };
}

export async function memorySoak(): Promise<Figure[]> {
  const prefix = `${PREFIX}-soak`;
  const keys = keyspace(prefix);
  const redis = createRedis(REDIS_URL, log);
  const probe = createRedis(REDIS_URL, log);
  const store = new IncidentStore(redis, keys);
  const publications = new PublicationStore(redis, keys);
  const publisher = new CountingPublisher();
  const connection = { connection: redis, prefix: keys.bullPrefix };
  const publishQueue = new Queue<PublishJobData>(PUBLISH_QUEUE.console, {
    ...connection,
    defaultJobOptions: { removeOnComplete: { count: 200 }, removeOnFail: { count: 1000 }, attempts: 3 },
  });
  const publishWorker = new Worker<PublishJobData>(PUBLISH_QUEUE.console, createPublishProcessor({ publisher, store, publications, log }), {
    ...connection,
    concurrency: 4,
  });
  publishWorker.on('error', (err) => log.error({ err: err.message }, 'publish worker error'));
  // The loop below stops at its next round on abort; the publish worker is stopped here.
  let inflight: Promise<unknown> = Promise.resolve();
  const unregister = onAbort(async () => {
    await inflight.catch(() => {});
    await publishWorker.close();
  });
  try {
    const thresholds = { ...defaultThresholds(SIM_STEP_MS), pollIntervalMs: SIM_STEP_MS };
    const chainNets: Network[] = Array.from({ length: NETWORKS }, (_, i) => {
      const social = SOCIAL_NETWORKS[i % SOCIAL_NETWORKS.length]!;
      return {
        ...social,
        name: i < SOCIAL_NETWORKS.length ? social.name : `soak-${i + 1}`,
        displayName: i < SOCIAL_NETWORKS.length ? social.displayName : `Soak ${i + 1}`,
        blockTimeMs: SIM_STEP_MS,
        endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({ label: `rpc-${e + 1}`, url: `http://soak.invalid/${i}/${e}` })),
        thresholds,
      };
    });
    let simNow = T0;
    const clock = () => simNow;
    let requests = 0;
    const client = {
      request: async ({ method, params }: { method: string; params?: unknown[] }) => {
        if (++requests % FAIL_EVERY === 0) throw new Error('fetch failed: connection reset');
        const head = Math.floor(simNow / SIM_STEP_MS);
        if (method !== 'eth_getBlockByNumber') throw new Error(`unexpected ${method}`);
        const tag = params?.[0];
        const n =
          tag === 'safe'
            ? head - 10
            : tag === 'finalized'
              ? head - 20
              : typeof tag === 'string' && tag.startsWith('0x')
                ? Number.parseInt(tag, 16)
                : head;
        return { number: hex(n), hash: hash(n), parentHash: hash(n - 1), timestamp: hex((n * SIM_STEP_MS) / 1000) };
      },
    } as unknown as ChainClient;

    const outbox = new PublishOutbox(new Map<Sink, Queue<PublishJobData>>([['console', publishQueue]]), publications);
    const history = new HistoryStore(redis, keyspace(prefix));
    const poll = createChainPollProcessor({
      networks: new Map(chainNets.map((n) => [n.name, n])),
      store,
      outbox,
      log,
      client: () => client,
      clock,
      history,
    });
    const ingest = createSocialIngestProcessor({ networks: chainNets, store, outbox, log, clock, history });

    const gc = (globalThis as { gc?: () => void }).gc;
    const memory: MemorySample[] = [];
    let samples = 0;
    let posts = 0;
    let failedJobs = 0;
    const failures = new Map<string, number>();
    const failed = (err: Error) => {
      failedJobs++;
      if (failures.size < 10 || failures.has(err.message)) failures.set(err.message, (failures.get(err.message) ?? 0) + 1);
    };
    const t0 = performance.now();
    const checkpoint = async (round: number) => {
      gc?.();
      const mem = process.memoryUsage();
      const k = await keysMemory(probe, prefix);
      const s: MemorySample = {
        pct: Math.round((round / ROUNDS) * 100),
        round,
        samples,
        posts,
        wallS: round === 0 ? 0 : Math.round((performance.now() - t0) / 100) / 10,
        rssMiB: mib(mem.rss),
        heapUsedMiB: mib(mem.heapUsed),
        heapTotalMiB: mib(mem.heapTotal),
        externalMiB: mib(mem.external),
        redisUsedMiB: mib(await redisUsedMemory(probe)),
        keysMiB: mib(k.bytes, 3),
        keys: k.keys,
      };
      memory.push(s);
      progress(
        `soak ${s.pct}%: ${samples.toLocaleString('en')} samples, ${posts.toLocaleString('en')} posts, RSS ${s.rssMiB} MiB, heap ${s.heapUsedMiB}/${s.heapTotalMiB} MiB, external ${s.externalMiB} MiB, this run's keys ${s.keysMiB} MiB (${s.keys}), Redis used ${s.redisUsedMiB} MiB`,
      );
    };

    await checkpoint(0);
    const every = ROUNDS / CHECKPOINTS;
    let nextCheckpoint = every;
    for (let r = 1; r <= ROUNDS; r++) {
      if (abort.signalled) throw new Error('aborted');
      simNow = T0 + r * SIM_STEP_MS;
      const base = (r - 1) * POSTS_PER_ROUND;
      const jobs: Promise<unknown>[] = chainNets.map((n) =>
        poll({ id: `soak-${n.name}-${r}`, data: { network: n.name } } as Job<ChainPollJobData>).then(
          (res) => void (samples += (res?.ok ?? 0) + (res?.failed ?? 0)),
          failed,
        ),
      );
      for (let j = 0; j < POSTS_PER_ROUND / MAX_POSTS_PER_JOB; j++) {
        const batch = Array.from({ length: MAX_POSTS_PER_JOB }, (_, k) => postAt(base + j * MAX_POSTS_PER_JOB + k, simNow - k * 100));
        jobs.push(
          ingest({ id: `soak-posts-${r}-${j}`, data: { posts: batch } } as Job<SocialIngestJobData>).then(
            () => void (posts += batch.length),
            failed,
          ),
        );
      }
      inflight = Promise.all(jobs);
      await inflight;
      if (r >= nextCheckpoint - 1e-9) {
        await checkpoint(r);
        nextCheckpoint += every;
      }
    }
    const wallS = (performance.now() - t0) / 1000;
    const at10 = memory.find((m) => m.pct >= 10)!;
    const end = memory.at(-1)!;
    const incidents = (await Promise.all(chainNets.map((n) => store.listIncidents(n.name, 200)))).flat();
    const common = {
      samples,
      posts,
      wallS: round(wallS, 1),
      samplesPerSec: Math.round(samples / wallS),
      postsPerSec: Math.round(posts / wallS),
      networks: NETWORKS,
      endpointsPerNetwork: ENDPOINTS,
      rounds: ROUNDS,
      simStepMs: SIM_STEP_MS,
      simulatedHours: round((ROUNDS * SIM_STEP_MS) / 3600_000, 1),
      failedJobs,
      failures: Object.fromEntries(failures),
      incidents: incidents.length,
      eventsPublished: publisher.delivered,
      gcBeforeSample: gc !== undefined,
    };
    const window = memory.filter((m) => m.pct >= 10);
    const growth = (
      name: string,
      field: 'rssMiB' | 'heapUsedMiB' | 'redisUsedMiB' | 'keysMiB',
      what: string,
      extra: Record<string, unknown> = {},
    ) => {
      // RSS moves by tens of MiB between samples (the allocator keeps and returns pages in
      // bursts), so growth is the least-squares line through the 10%…100% samples, taken
      // over that span; the plain difference of the two end samples is reported beside it.
      const fitted = round(slope(window.map((m) => [m.pct, m[field]])) * 90, field === 'keysMiB' ? 3 : 1);
      const half = Math.floor(window.length / 2);
      const peak = (ms: MemorySample[]) => Math.max(...ms.map((m) => m[field]));
      const point = round(end[field] - at10[field], field === 'keysMiB' ? 3 : 1);
      const pct = round((100 * fitted) / at10[field], 1);
      const sign = (v: number) => (v >= 0 ? `+${v}` : String(v));
      return figure(
        name,
        fitted,
        'MiB',
        { name: `${field.replace('MiB', '')}_at_10pct`, value: at10[field], unit: 'MiB' },
        {
          growthPct: pct,
          flat: pct <= FLAT_PCT,
          pointGrowth: point,
          pointGrowthPct: round((100 * point) / at10[field], 1),
          at10pct: at10[field],
          at100pct: end[field],
          halvesGrowth: round(
            median(window.slice(half).map((m) => m[field])) - median(window.slice(0, half).map((m) => m[field])),
            field === 'keysMiB' ? 3 : 1,
          ),
          peakFirstHalf: peak(window.slice(0, half)),
          peakSecondHalf: peak(window.slice(half)),
          min: Math.min(...window.map((m) => m[field])),
          max: Math.max(...window.map((m) => m[field])),
          ...extra,
          note: `${extra.caveat ? `${String(extra.caveat)}. ` : ''}${what}: fitted ${sign(fitted)} MiB (${sign(pct)}%) from 10% to 100%; samples ${at10[field]} → ${end[field]} MiB, range ${Math.min(...window.map((m) => m[field]))}–${Math.max(...window.map((m) => m[field]))}`,
        },
      );
    };
    return [
      growth('soak_rss_growth_mib', 'rssMiB', 'process RSS', { ...common, series: memory }),
      growth('soak_heap_growth_mib', 'heapUsedMiB', 'V8 heapUsed'),
      growth('soak_redis_keys_growth_mib', 'keysMiB', "this run's Redis keys (MEMORY USAGE)", {
        keysAt10pct: at10.keys,
        keysAt100pct: end.keys,
        // One report-count minute per round until HISTORY_BOUNDS.reportMinutes: the quick run ends first.
        ...(ROUNDS < 2 * HISTORY_BOUNDS.reportMinutes
          ? {
              caveat: `${ROUNDS} rounds: the report history (${HISTORY_BOUNDS.reportMinutes} minutes, one a round) is still filling; not a flatness check`,
            }
          : {}),
      }),
      growth('soak_redis_used_memory_growth_mib', 'redisUsedMiB', 'Redis used_memory (whole server, shared)'),
    ];
  } finally {
    unregister();
    await publishWorker.close().catch(() => {});
    await publishQueue.close().catch(() => {});
    await store.close().catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
    await probe.quit().catch(() => probe.disconnect());
  }
}
