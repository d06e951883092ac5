import type { Worker } from 'bullmq';
import { closeEndpointClients } from '../chain/client';
import { within } from '../util/deadline';
import type { AppContext } from './context';

/** What takes new work (the bot, the HTTP server) gets this long to stop. */
const STOPPER_TIMEOUT_MS = 3000;
/** How long SIGTERM waits for active jobs (a poll times out well before). */
const SHUTDOWN_GRACE_MS = 15_000;
/** Each later close (forced workers, queues, stores, sockets, Redis) may take this long before it is dropped. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * The most a shutdown can take when every phase runs to its bound (3 + 15 + 2 + 2 + 2 s): the
 * process-level deadline (src/cli/start.ts) sits just above it, and below Kubernetes' default
 * 30 s before SIGKILL.
 */
export const SHUTDOWN_BOUND_MS = STOPPER_TIMEOUT_MS + SHUTDOWN_GRACE_MS + 3 * CLOSE_TIMEOUT_MS;

/**
 * Stops in order: what takes new work first (the bot, the HTTP server), then the workers
 * (graceful: active jobs finish; forced after the grace period, so a job stuck behind an
 * unreachable Redis or RPC cannot hold the process), then the queues, the stores and the RPC
 * clients (every WebSocket terminated), and Redis last. Every step is bounded.
 */
export async function shutdown(ctx: AppContext, stoppers: readonly (() => Promise<void>)[], workers: readonly Worker[]): Promise<void> {
  await Promise.all(stoppers.map((s) => within(s(), STOPPER_TIMEOUT_MS)));
  await Promise.all(
    workers.map(async (w) => {
      if (!(await within(w.close(), SHUTDOWN_GRACE_MS))) await within(w.close(true), CLOSE_TIMEOUT_MS);
    }),
  );
  // Polls have ended: closing the sockets now cannot turn a poll in flight into a failure sample.
  await Promise.all([
    ...ctx.queues.all.map((q) => within(q.close(), CLOSE_TIMEOUT_MS)),
    within(ctx.store.close(), CLOSE_TIMEOUT_MS),
    within(closeEndpointClients(), CLOSE_TIMEOUT_MS),
  ]);
  await Promise.all(
    [ctx.producer, ctx.redis].map(async (r) => {
      if (!(await within(r.quit(), CLOSE_TIMEOUT_MS))) r.disconnect();
    }),
  );
}
