import { httpRoutes } from '../http/routes';
import { startHttpServer } from '../http/server';
import type { AppContext } from './context';
import { readyCheck } from './observability';

/** /healthz, /readyz, /metrics, the status page and Bull Board, with an `http:` section. */
export async function startHttp(ctx: AppContext): Promise<{ url: string; stop(): Promise<void> } | null> {
  const { config, metrics } = ctx;
  if (!metrics || !config.http) return null;
  const polls = ctx.role === 'all' || ctx.role === 'worker';
  return startHttpServer({
    port: config.http.port,
    host: config.http.host,
    metrics,
    ready: readyCheck({ redis: ctx.redis, store: ctx.store, networks: config.networks, polls, clock: ctx.clock, keys: ctx.keys }),
    log: ctx.log,
    ...httpRoutes(config, {
      store: ctx.store,
      silences: ctx.silences,
      history: ctx.history,
      outages: ctx.outages,
      queues: ctx.queues.all,
      clock: ctx.clock,
      log: ctx.log,
    }),
  });
}
