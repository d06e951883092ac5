import type { Worker } from 'bullmq';
import { closeEndpointClients } from '../chain/client';
import { within } from '../util/deadline';
import type { AppContext } from './context';

/** How long SIGTERM waits for active jobs (a poll times out well before). */
const SHUTDOWN_GRACE_MS = 15_000;
/** Each later close (forced workers, queues, Redis) may take this long before it is dropped. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * Stops in order: what takes new work first (the bot, the HTTP server), then the workers
 * (graceful: active jobs finish; forced after the grace period, so a job stuck behind an
 * unreachable Redis or RPC cannot hold the process), then the queues, the stores, the RPC
 * clients and Redis.
 */
export async function shutdown(ctx: AppContext, stoppers: readonly (() => Promise<void>)[], workers: readonly Worker[]): Promise<void> {
  await Promise.all(stoppers.map((s) => s()));
  await Promise.all(
    workers.map(async (w) => {
      if (!(await within(w.close(), SHUTDOWN_GRACE_MS))) await within(w.close(true), CLOSE_TIMEOUT_MS);
    }),
  );
  await Promise.all(ctx.queues.all.map((q) => within(q.close(), CLOSE_TIMEOUT_MS)));
  await ctx.store.close();
  await closeEndpointClients();
  if (!(await within(ctx.redis.quit(), CLOSE_TIMEOUT_MS))) ctx.redis.disconnect();
}
