import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Network } from '../src/config/network';
import type { HistoryStore } from '../src/store/history';
import { commitStep, type CommitDeps } from '../src/queue/commit';
import { attributePosts, networkTermsOf } from '../src/social/attribute';
import type { Post } from '../src/model';

/** At most this many posts per job: a job is one transaction per network it touches. */
export const MAX_POSTS_PER_JOB = 100;

const PostSchema = z.object({
  source: z.enum(['x', 'discord']),
  id: z.string().min(1).max(64),
  author: z.string().max(100),
  authorId: z.string().max(64).optional(),
  text: z.string().max(100_000),
  lang: z.string().max(16).optional(),
  createdAt: z.number().int().nonnegative(),
  network: z.string().max(40).optional(),
  url: z.string().max(300).optional(),
  authorCreatedAt: z.number().int().optional(),
  authorFollowers: z.number().int().nonnegative().optional(),
});
const JobData = z.object({ posts: z.array(PostSchema).max(MAX_POSTS_PER_JOB) });
export type SocialIngestJobData = { posts: Post[] };

/**
 * Community posts from any source (X search, Discord channels): classified, filed under the
 * network they report on, and folded into that network's social evidence in its atomic step.
 */
export interface IngestDeps extends Omit<CommitDeps, 'clock'> {
  networks: readonly Network[];
  clock?: () => number;
  /** Report counts per minute for the status page and incident images. */
  history?: HistoryStore;
  /** One commit per network at a time in this process (default true; bench/social-lanes.ts compares). */
  lanes?: boolean;
}

export type IngestResult = { classified: number; outage: number; unattributed: number; events: number };

/** Classify, attribute, and fold into each network's state; `batchId` makes a retry a no-op. */
export function createIngest(deps: IngestDeps): (posts: readonly Post[], batchId: string) => Promise<IngestResult> {
  const clock = deps.clock ?? Date.now;
  const terms = networkTermsOf(deps.networks);
  const byName = new Map(deps.networks.map((n) => [n.name, n]));
  const lane = deps.lanes === false ? <T>(_network: string, commit: () => Promise<T>) => commit() : networkLanes();
  return async (posts, batchId) => {
    const attribution = attributePosts(posts, deps.networks, terms);
    const touched = new Set([...attribution.reports.keys(), ...attribution.others.keys()]);
    // Networks are independent transactions (each its own key and slot): committed side by
    // side, so a batch costs one round of Redis trips, not one per network. `batchId-<name>`
    // keeps a retry idempotent per network if one of them fails.
    const committed = await Promise.all(
      [...touched].map(async (name) => {
        const reports = attribution.reports.get(name) ?? [];
        const others = attribution.others.get(name) ?? [];
        const input = { type: 'reports', reports, others } as const;
        const result = await lane(name, () => commitStep({ ...deps, clock }, byName.get(name)!, `${batchId}-${name}`, input));
        if (!result.duplicate && reports.length > 0)
          await deps.history
            ?.recordReports(name, clock(), reports.length)
            .catch((err: Error) => deps.log.warn({ network: name, err: err.message }, 'report history not recorded'));
        return result.events.length;
      }),
    );
    const events = committed.reduce((a, b) => a + b, 0);
    return { classified: attribution.classified, outage: attribution.outage, unattributed: attribution.unattributed, events };
  };
}

/**
 * One commit per network at a time in this process. A network's step is an optimistic
 * transaction (src/store/incidents.ts): two jobs of one worker committing to the same network
 * at once make one of them read, step and write again; a burst spreads over the same few
 * networks, so without this most commits of a concurrent job were redone. Other processes
 * still meet the optimistic check. Bounded: an entry lives only while its network has a commit
 * in flight.
 */
function networkLanes() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(network: string, commit: () => Promise<T>): Promise<T> => {
    const run = (tails.get(network) ?? Promise.resolve()).then(commit);
    const tail = run.catch(() => undefined);
    tails.set(network, tail);
    void tail.then(() => tails.get(network) === tail && tails.delete(network));
    return run;
  };
}

export function createSocialIngestProcessor(deps: IngestDeps) {
  const ingest = createIngest(deps);
  return async function socialIngest(job: Job<SocialIngestJobData>): Promise<IngestResult> {
    const { posts } = JobData.parse(job.data);
    return ingest(posts as Post[], `ingest-${job.id}`);
  };
}
