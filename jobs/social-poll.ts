import type { Job } from 'bullmq';
import type { RedisClient } from '../src/store/redis-client';
import type { TwitterApiReadOnly } from 'twitter-api-v2';
import type { XConfig } from '../src/config';
import type { Network } from '../src/config/network';
import type { NetworkState } from '../src/engine';
import type { IncidentStore } from '../src/store/incidents';
import type { Logger } from '../src/util/log';
import { networkTermsOf } from '../src/social/attribute';
import {
  buildSearchQuery,
  monthBounds,
  partialResult,
  planSearchInterval,
  searchRecentPosts,
  XRateLimitedError,
  type CursorStore,
  type Heat,
  type SpendTracker,
} from '../src/x';
import type { Keyspace, Post } from '../src/model';
import type { IngestResult } from './social-ingest';

export interface SocialPollDeps {
  networks: readonly Network[];
  read: TwitterApiReadOnly;
  x: XConfig;
  store: IncidentStore;
  spend: SpendTracker;
  cursors: CursorStore;
  redis: RedisClient;
  /** Where the poll gates and reads per poll live (keys.xDue, keys.xReads). */
  keys: Keyspace;
  ingest: (posts: readonly Post[], batchId: string) => Promise<IngestResult>;
  log: Logger;
  clock?: () => number;
}

/**
 * Runs every few seconds; searches X for each network whose budgeted interval has passed.
 * X bills per post read, so the interval spreads the monthly budget over the month: faster for
 * a network with a suspected or open incident, slower when all is quiet, and after a 429 not
 * before `x-rate-limit-reset`. The "due" gate is a Redis key with the interval as its TTL, so
 * any number of workers poll each network at most once per interval.
 */
export function createSocialPollProcessor(deps: SocialPollDeps) {
  const clock = deps.clock ?? Date.now;
  const terms = new Map(networkTermsOf(deps.networks).map((t) => [t.name, t.terms]));
  return async function socialPoll(job: Job): Promise<{ polled: string[]; reads: number; spentUsd: number; projectedMonthUsd: number }> {
    const now = clock();
    const states = await deps.store.readStates<NetworkState>(deps.networks.map((n) => n.name));
    let spent = await deps.spend.spentThisMonth();
    const { monthStart, monthEnd } = monthBounds(now);
    const polled: string[] = [];
    const posts: Post[] = [];
    let reads = 0;
    let projected = spent;
    for (const network of deps.networks) {
      const expected = Number((await deps.redis.hget(deps.keys.xReads, network.name)) ?? 3);
      const plan = planSearchInterval({
        monthlyBudgetUsd: deps.x.monthlyBudgetUsd,
        pricePerReadUsd: deps.x.prices.readUsd,
        spentThisMonthUsd: spent,
        now,
        monthStart,
        monthEnd,
        expectedReadsPerPoll: expected,
        networks: deps.networks.length,
        heat: heatOf(states.get(network.name)?.incident?.status),
      });
      projected = Math.max(projected, plan.projectedMonthUsd);
      if (!plan.allowed) continue;
      const due = await deps.redis.set(deps.keys.xDue(network.name), String(now), 'PX', plan.intervalMs, 'NX');
      if (!due) continue;
      const query =
        network.social?.query ??
        buildSearchQuery(terms.get(network.name) ?? [network.name], deps.x.account ? { excludeFrom: [deps.x.account] } : {});
      try {
        const result = await searchRecentPosts(deps.read, { query, sinceId: await deps.cursors.get(network.name) });
        await account(deps, network, result.reads, result.newestId, expected);
        reads += result.reads;
        posts.push(...result.posts);
        polled.push(network.name);
      } catch (err) {
        const partial = partialResult(err);
        if (partial) {
          await account(deps, network, partial.reads, partial.newestId, expected);
          reads += partial.reads;
          posts.push(...partial.posts);
        }
        if (err instanceof XRateLimitedError) {
          // Wait for the reset, for every network: the limit is per app.
          const waitMs = Math.max(1000, err.resetAt - now);
          for (const n of deps.networks) await deps.redis.set(deps.keys.xDue(n.name), String(now), 'PX', waitMs);
          deps.log.warn({ resetInMs: waitMs }, 'X rate limit reached; searching again after x-rate-limit-reset');
          break;
        }
        deps.log.warn({ network: network.name, err: (err as Error).message }, 'X search failed; retrying at the next interval');
      }
    }
    spent = await deps.spend.spentThisMonth();
    if (polled.length > 0)
      deps.log.info(
        { polled, reads, spentUsd: round(spent), projectedMonthUsd: round(projected), budgetUsd: deps.x.monthlyBudgetUsd },
        'X searched',
      );
    if (posts.length > 0) await deps.ingest(posts, `xpoll-${job.id ?? now}`);
    return { polled, reads, spentUsd: spent, projectedMonthUsd: projected };
  };
}

async function account(deps: SocialPollDeps, network: Network, reads: number, newestId: string | null, expected: number): Promise<void> {
  await deps.spend.recordReads(reads, deps.x.prices.readUsd);
  if (newestId) await deps.cursors.set(network.name, newestId);
  // Reads per poll, smoothed: the budget plan needs to know what one poll costs.
  await deps.redis.hset(deps.keys.xReads, network.name, String(Math.max(0.1, expected * 0.7 + reads * 0.3)));
}

function heatOf(status: string | undefined): Heat {
  if (status === 'suspected') return 'suspected';
  if (status === 'investigating' || status === 'monitoring') return 'open';
  return 'quiet';
}

const round = (usd: number) => Math.round(usd * 100) / 100;
