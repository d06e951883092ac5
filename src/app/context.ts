/**
 * What every role of one process shares: one Redis connection, the stores over it, the queues,
 * the outbox, the publishers and (with an `http:` section) the metrics. Built once at start.
 */
import type { Redis } from 'ioredis';
import type { REST } from 'discord.js';
import type { AppConfig } from '../config';
import type { Network } from '../config/network';
import { readHeartbeatRecord } from '../../jobs/heartbeat';
import { reserveEndpointClients } from '../chain/client';
import { keyspace, type HeadSample, type Keyspace, type Publisher } from '../model';
import { createRedisClient, describeRedis, waitForRedis } from '../queue/connections';
import { PublishOutbox } from '../queue/outbox';
import { CLIENT_VERSION_EVERY_MS } from '../queue/schedulers';
import { ClientVersionStore } from '../store/client-versions';
import { HistoryStore } from '../store/history';
import { IncidentStore } from '../store/incidents';
import { OutageLog } from '../store/outages';
import { PublicationStore } from '../store/publications';
import { SilenceStore } from '../store/silences';
import { WatcherStore } from '../store/watcher';
import type { RedisClient } from '../store/redis-client';
import type { Logger } from '../util/log';
import { createXClients, monthBounds, projectMonth, SpendTracker, type XClients } from '../x';
import { Metrics, scrapeState } from './observability';
import { createPublishers } from './publishers';
import { openQueues, type Queues } from './queues';

export type Role = 'all' | 'worker' | 'scheduler' | 'bot';

export interface StartOptions {
  role?: Role;
  log: Logger;
  /** Publishers to run; default: Discord and X where configured, else the console. */
  publishers?: Publisher[];
  clock?: () => number;
  onSamples?: (network: Network, samples: HeadSample[]) => void;
}

export interface AppContext {
  config: AppConfig;
  role: Role;
  log: Logger;
  clock: () => number;
  keys: Keyspace;
  /** Stores and workers (`maxRetriesPerRequest: null`); a Cluster client on a Redis Cluster. */
  redis: RedisClient;
  /** BullMQ queues (adding jobs fails fast while Redis is away: src/queue/connections.ts). */
  producer: RedisClient;
  networks: ReadonlyMap<string, Network>;
  store: IncidentStore;
  publications: PublicationStore;
  silences: SilenceStore;
  history: HistoryStore;
  outages: OutageLog;
  clientVersions: ClientVersionStore;
  /** chainwatch's own sight across networks, and whether it is blind. */
  watcher: WatcherStore;
  queues: Queues;
  outbox: PublishOutbox;
  publishers: Publisher[];
  /** The Discord REST client the publisher uses, for archiving threads (null without Discord). */
  rest: REST | null;
  xClients: XClients | null;
  /** X spend this month, for /status and /metrics (with an `x:` section). */
  xSpend?: () => Promise<{ spentUsd: number; projectedUsd: number; budgetUsd: number }>;
  /** /metrics (with an `http:` section). */
  metrics: Metrics | null;
  onSamples: (network: Network, samples: HeadSample[]) => void;
}

/** Waits for Redis (logging each retry), then builds everything the roles share. */
export async function createContext(config: AppConfig, opts: StartOptions): Promise<AppContext> {
  const { log } = opts;
  const clock = opts.clock ?? Date.now;
  const keys = keyspace(config.redis.prefix);
  const redis = createRedisClient(config.redis, log, 'main');
  const producer = createRedisClient(config.redis, log, 'producer');
  await Promise.all([redis, producer].map((r) => waitForRedis(r, log, describeRedis(config.redis))));
  reserveEndpointClients(config.networks.reduce((n, net) => n + net.endpoints.length, 0));
  const networks = new Map(config.networks.map((n) => [n.name, n]));
  const stores = {
    store: new IncidentStore(redis, keys),
    publications: new PublicationStore(redis, keys),
    silences: new SilenceStore(redis, keys),
    // history.ts still names `Redis` (its owner is reworking it); its commands are single-key and run on a Cluster too.
    history: new HistoryStore(redis as Redis, keys),
    outages: new OutageLog(redis, keys),
    // Three read intervals: one missed read does not blank /status.
    clientVersions: new ClientVersionStore(redis, keys, (3 * CLIENT_VERSION_EVERY_MS) / 1000),
    watcher: new WatcherStore(redis, keys),
  };
  const xClients = config.x
    ? createXClients({
        apiBaseUrl: config.x.apiBaseUrl,
        ...(config.x.bearerToken ? { bearerToken: config.x.bearerToken } : {}),
        ...(config.x.user ? { user: config.x.user } : {}),
      })
    : null;
  // Which sinks run is known from the config (or the caller) before the publishers are built:
  // the Discord publisher needs the archive queue.
  const sinks = opts.publishers?.map((p) => p.sink) ?? publisherSinks(config);
  const queues = openQueues({ connection: producer, keys, log, sinks, discord: !!config.discord, xSearch: !!xClients?.read });
  const { publishers, rest } = opts.publishers
    ? { publishers: opts.publishers, rest: null }
    : createPublishers(config, { ...stores, networks, redis, keys, log, clock, archiveQueue: queues.archive });
  const outbox = new PublishOutbox(queues.publish, stores.publications);
  const xSpend = config.x ? xSpendReader(new SpendTracker(redis, keys, clock), config.x.monthlyBudgetUsd, clock) : undefined;
  const metrics = config.http
    ? new Metrics(
        scrapeState({
          networks: config.networks,
          store: stores.store,
          queues: queues.all,
          clock,
          ...(xSpend ? { xSpend } : {}),
          ...(config.heartbeat ? { heartbeat: () => readHeartbeatRecord(redis, keys) } : {}),
          blind: async () => (await redis.exists(keys.watcherBlind)) > 0,
        }),
      )
    : null;
  const onSamples = (network: Network, samples: HeadSample[]) => {
    metrics?.samples(samples);
    opts.onSamples?.(network, samples);
  };
  return {
    config,
    role: opts.role ?? 'all',
    log,
    clock,
    keys,
    redis,
    producer,
    networks,
    ...stores,
    queues,
    outbox,
    publishers,
    rest,
    xClients,
    ...(xSpend ? { xSpend } : {}),
    metrics,
    onSamples,
  };
}

/** Discord and the X account where configured; the console (dry run) when neither is. */
export function publisherSinks(config: AppConfig): Publisher['sink'][] {
  const sinks: Publisher['sink'][] = [];
  if (config.discord) sinks.push('discord');
  if (config.x?.user) sinks.push('x');
  return sinks.length ? sinks : ['console'];
}

function xSpendReader(spend: SpendTracker, budgetUsd: number, clock: () => number) {
  return async () => {
    const now = clock();
    const { monthStart, monthEnd } = monthBounds(now);
    const spentUsd = await spend.spentThisMonth();
    return { spentUsd, projectedUsd: projectMonth(spentUsd, now, monthStart, monthEnd), budgetUsd };
  };
}
