/**
 * The only wiring: one process, one role (`chainwatch start --role all|worker|scheduler|bot`).
 * `scheduler` upserts the schedulers, `worker` polls, correlates and publishes, `bot` answers
 * Discord commands and buttons; `all` does every one (the bot only when Discord is configured).
 * Any number of each may run against one Redis.
 */
import type { Worker } from 'bullmq';
import type { RedisClient } from '../store/redis-client';
import type { AppConfig } from '../config';
import type { IncidentStore } from '../store/incidents';
import { startBotRole } from './bot';
import { createContext, type Role, type StartOptions } from './context';
import { startHttp } from './http';
import { startScheduler } from './scheduler';
import { shutdown } from './shutdown';
import { startWorkers } from './workers';

export type { Role, StartOptions };

export interface Running {
  store: IncidentStore;
  redis: RedisClient;
  /** Base URL of /healthz, /readyz and /metrics, when the config has an `http:` section. */
  httpUrl?: string;
  stop(): Promise<void>;
}

export async function startChainwatch(config: AppConfig, opts: StartOptions): Promise<Running> {
  const role = opts.role ?? 'all';
  if (role === 'bot' && !config.discord)
    throw new Error('--role bot needs a `discord:` section in the config (and DISCORD_TOKEN in the environment)');
  const ctx = await createContext(config, opts);
  const stoppers: (() => Promise<void>)[] = [];
  let workers: Worker[] = [];
  let http: Awaited<ReturnType<typeof startHttp>> = null;
  try {
    // The port first: when it is taken, start-up fails before anything polls or posts.
    http = await startHttp(ctx);
    if (http) stoppers.push(http.stop);
    if (role === 'all' || role === 'scheduler') await startScheduler(ctx);
    if (role === 'all' || role === 'worker') workers = startWorkers(ctx);
    if ((role === 'all' || role === 'bot') && config.discord) stoppers.push(await startBotRole(ctx));
  } catch (err) {
    // Stop what did start, so that the process exits with the error instead of running on without a part.
    await shutdown(ctx, stoppers, workers);
    throw err;
  }

  let stopping: Promise<void> | null = null;
  return {
    store: ctx.store,
    redis: ctx.redis,
    ...(http ? { httpUrl: http.url } : {}),
    stop: () => (stopping ??= shutdown(ctx, stoppers, workers)),
  };
}
