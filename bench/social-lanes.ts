/**
 * Social ingest with and without one commit per network at a time (jobs/social-ingest.ts
 * `networkLanes`), in alternating runs on the same Redis: 150 jobs of 100 posts (bench/social.ts
 * posts, five networks), two at a time as the worker runs them, straight through `createIngest`
 * (no BullMQ, so the figure is the commits' and the classifier's, not the queue's).
 * Run: npx tsx bench/social-lanes.ts [rounds]
 */
import { createIngest } from '../jobs/social-ingest';
import { keyspace } from '../src/model';
import { createRedis } from '../src/queue/connections';
import { deleteByPrefix } from '../src/queue/delete-prefix';
import { PublishOutbox } from '../src/queue/outbox';
import { IncidentStore } from '../src/store/incidents';
import { PublicationStore } from '../src/store/publications';
import { createLogger } from '../src/util/log';
import { PREFIX, REDIS_URL } from './lib';
import { postAt, SOCIAL_NETWORKS } from './social';

const JOBS = 150;
const CONCURRENCY = 2;
const rounds = Number(process.argv[2] ?? 3);
const redis = createRedis(REDIS_URL, createLogger('silent'));

async function run(lanes: boolean, k: number): Promise<number> {
  const prefix = `${PREFIX}-lanes-${k}`;
  const keys = keyspace(prefix);
  const ingest = createIngest({
    networks: SOCIAL_NETWORKS,
    store: new IncidentStore(redis, keys),
    outbox: new PublishOutbox(new Map(), new PublicationStore(redis, keys)),
    log: createLogger('silent'),
    lanes,
  });
  const now = Date.now();
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let j = next++; j < JOBS; j = next++)
      await ingest(
        Array.from({ length: 100 }, (_, i) => postAt(j * 100 + i, now)),
        `b${j}`,
      );
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - t0;
  await deleteByPrefix(redis, prefix);
  return (JOBS * 100) / (ms / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const withLanes: number[] = [];
const without: number[] = [];
for (let r = 0; r < rounds; r++) {
  withLanes.push(await run(true, 2 * r));
  without.push(await run(false, 2 * r + 1));
}
const fmt = (xs: number[]) => `median ${Math.round(median(xs))} (${xs.map(Math.round).join(', ')})`;
console.log(
  JSON.stringify({
    name: 'social_ingest_lanes_posts_per_s',
    value: Math.round(median(withLanes)),
    unit: 'posts/s',
    reference: { name: 'social_ingest_racing_posts_per_s', value: Math.round(median(without)), unit: 'posts/s' },
    runs: { withLanes, without },
  }),
);
process.stderr.write(`one commit per network at a time: ${fmt(withLanes)} posts/s; racing: ${fmt(without)} posts/s\n`);
await redis.quit();
