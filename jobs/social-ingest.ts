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
}

export type IngestResult = { classified: number; outage: number; unattributed: number; events: number };

/** Classify, attribute, and fold into each network's state; `batchId` makes a retry a no-op. */
export function createIngest(deps: IngestDeps): (posts: readonly Post[], batchId: string) => Promise<IngestResult> {
  const clock = deps.clock ?? Date.now;
  const terms = networkTermsOf(deps.networks);
  const byName = new Map(deps.networks.map((n) => [n.name, n]));
  return async (posts, batchId) => {
    const attribution = attributePosts(posts, deps.networks, terms);
    let events = 0;
    for (const [name, reports] of attribution.reports) {
      const network = byName.get(name)!;
      const result = await commitStep({ ...deps, clock }, network, `${batchId}-${name}`, { type: 'reports', reports });
      events += result.events.length;
      if (!result.duplicate)
        await deps.history
          ?.recordReports(name, clock(), reports.length)
          .catch((err: Error) => deps.log.warn({ network: name, err: err.message }, 'report history not recorded'));
    }
    return { classified: attribution.classified, outage: attribution.outage, unattributed: attribution.unattributed, events };
  };
}

export function createSocialIngestProcessor(deps: IngestDeps) {
  const ingest = createIngest(deps);
  return async function socialIngest(job: Job<SocialIngestJobData>): Promise<IngestResult> {
    const { posts } = JobData.parse(job.data);
    return ingest(posts as Post[], `ingest-${job.id}`);
  };
}
