/**
 * The one place that makes Redis connections: one server (`url`), a Redis Cluster, or the
 * primary a set of Sentinels names. Every reconnect is logged in one line naming where, never
 * a password. Two purposes:
 *
 * - `main`: stores and BullMQ workers. `maxRetriesPerRequest: null` (BullMQ requires it for
 *   workers, which block), so commands wait through a restart or a failover instead of failing.
 * - `producer`: BullMQ queues (adding jobs, counts for /metrics). `enableOfflineQueue: false`,
 *   BullMQ's advice for producers: an add fails at once while Redis is away, and the next poll
 *   re-enqueues what the outbox did not get out (src/queue/outbox.ts).
 *
 * What the failover drills (test/drills/redis-topology, test/drills/redis-failover-*) showed
 * ioredis 6 needs beyond its defaults is set here, each with its reason below.
 */
import type { Queue, Worker } from 'bullmq';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { HostPort, RedisConfig } from '../config/redis';
import { onReplicaAcks, type RedisClient, setReplicaWait } from '../store/redis-client';
import type { Logger } from '../util/log';
import { redactUrl } from '../util/redact';

export type ConnectionPurpose = 'main' | 'producer';

/** What BullMQ queues and workers are given to talk to Redis. */
export type BullConnection = RedisClient;

/** 500 ms doubling to 8 s between reconnects of one connection. */
const reconnectDelay = (times: number) => Math.min(500 * 2 ** Math.min(times - 1, 4), 8000);
/**
 * Cluster: a command that meets a closed connection or CLUSTERDOWN is retried every 200 ms,
 * up to 100 times, so it waits out a failover (about node-timeout + 1 s: 2 s in the tests,
 * 16 s with Redis' default cluster-node-timeout of 15 s) instead of failing after ioredis'
 * default 16 × 100 ms.
 */
const CLUSTER_RETRY_MS = 200;
const CLUSTER_MAX_REDIRECTIONS = 100;
/**
 * ioredis 6 does not refresh the slot map on a timer unless told (its .d.ts says 5 s; the
 * code leaves it off): without it a client whose primary froze (no socket closes) never
 * learns of the promoted replica.
 */
const SLOTS_REFRESH_MS = 2000;
/**
 * A node that stops answering (frozen, black-holed) is dropped after this. Above BullMQ's
 * longest blocking wait on the worker's duplicate of this connection, which receives nothing
 * while it waits for a job: drainDelay (5 s), or up to 10 s when delayed jobs exist
 * (maximumBlockTimeout in bullmq's redis-queue-backend).
 */
const CLUSTER_SOCKET_TIMEOUT_MS = 15_000;
/**
 * Sentinel: subscribe to +switch-master and leave the old primary at once. Its polite close
 * waits `disconnectTimeout` (2 s by default) for a peer that, when frozen, never answers.
 */
const SENTINEL_DISCONNECT_TIMEOUT_MS = 200;

/** Where a config connects, safe to print: a URL without credentials, or the node list. */
export function describeRedis(cfg: Pick<RedisConfig, 'url' | 'cluster' | 'sentinel'>): string {
  if (cfg.cluster) return `cluster ${nodeList(cfg.cluster.nodes)}`;
  if (cfg.sentinel) return `sentinel primary ${cfg.sentinel.name} via ${nodeList(cfg.sentinel.nodes)}`;
  return redactUrl(cfg.url ?? '');
}

function nodeList(nodes: readonly HostPort[]): string {
  const shown = nodes.slice(0, 3).map((n) => (n.host.includes(':') ? `[${n.host}]:${n.port}` : `${n.host}:${n.port}`));
  return nodes.length > 3 ? `${shown.join(',')} (+${nodes.length - 3})` : shown.join(',');
}

/** A connection for `purpose`, logging its reconnects; its writes wait for `cfg.wait` replicas. */
export function createRedisClient(cfg: RedisConfig, log: Logger, purpose: ConnectionPurpose = 'main'): RedisClient {
  const where = describeRedis(cfg);
  // The producer reaches the same Redis as main: one line per attempt is enough, main's.
  const watch = reconnectLog(purpose === 'main' ? log : log.child({}, { level: 'error' }), where);
  const auth: RedisOptions = {
    ...(cfg.username ? { username: cfg.username } : {}),
    // A password written in the url wins (ioredis reads it from there).
    ...(cfg.password && !(cfg.url && new URL(cfg.url).password) ? { password: cfg.password } : {}),
    ...(cfg.tls ? { tls: cfg.tls.ca ? { ca: cfg.tls.ca } : {} } : {}),
  };
  const perCommand: RedisOptions =
    purpose === 'main' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false };
  let client: RedisClient;
  if (cfg.cluster) {
    const options: ClusterOptions = {
      redisOptions: { ...auth, maxRetriesPerRequest: perCommand.maxRetriesPerRequest, socketTimeout: CLUSTER_SOCKET_TIMEOUT_MS },
      enableOfflineQueue: purpose === 'main',
      slotsRefreshInterval: SLOTS_REFRESH_MS,
      retryDelayOnFailover: CLUSTER_RETRY_MS,
      retryDelayOnClusterDown: CLUSTER_RETRY_MS,
      retryDelayOnTryAgain: CLUSTER_RETRY_MS,
      maxRedirections: CLUSTER_MAX_REDIRECTIONS,
      clusterRetryStrategy: (times) => watch.retry(times),
    };
    client = new Cluster(cfg.cluster.nodes, options);
  } else if (cfg.sentinel) {
    client = releaseSentinelsOnEnd(
      new Redis({
        ...auth,
        ...perCommand,
        sentinels: cfg.sentinel.nodes,
        name: cfg.sentinel.name,
        ...(cfg.sentinel.password ? { sentinelPassword: cfg.sentinel.password } : {}),
        ...(cfg.tls ? { enableTLSForSentinelMode: true, sentinelTLS: cfg.tls.ca ? { ca: cfg.tls.ca } : {} } : {}),
        failoverDetector: true,
        disconnectTimeout: SENTINEL_DISCONNECT_TIMEOUT_MS,
        retryStrategy: (times) => watch.retry(times),
        // Without its own strategy ioredis can give up on the sentinels for good (apis.md).
        sentinelRetryStrategy: (times) => watch.retry(times, 'no Sentinel answers'),
      }),
    );
  } else {
    client = new Redis(cfg.url, { ...auth, ...perCommand, enableReadyCheck: true, retryStrategy: (times) => watch.retry(times) });
  }
  watch.attach(client);
  if (purpose === 'main') {
    setReplicaWait(client, cfg.wait);
    onReplicaAcks(client, replicaLog(log, where));
  }
  return client;
}

/**
 * ioredis 6 closes the failoverDetector's subscriptions to the sentinels in `disconnect()`
 * only: a client closed with QUIT, as BullMQ closes its connections, leaves one or two sockets
 * per sentinel open, and they kept `chainwatch demo` alive after it had finished. So when a
 * Sentinel client ends for good, its connector is closed too; BullMQ's duplicates get the same.
 */
function releaseSentinelsOnEnd(client: Redis): Redis {
  client.on('end', () => (client as unknown as { connector?: { disconnect(): void } }).connector?.disconnect());
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (override) => releaseSentinelsOnEnd(duplicate(override));
  return client;
}

/**
 * Writes short of replicas are logged when it starts (the write named, and that a failover now
 * could lose it) and when replicas acknowledge again; in between each is a debug line, so a
 * primary left without its replica after a failover does not log every transition.
 */
function replicaLog(log: Logger, where: string) {
  let short = false;
  return (what: string, acked: number, wanted: number): void => {
    if (acked >= wanted) {
      if (short) log.info({ redis: where, acked, wanted }, `writes reach ${acked} of ${wanted} replicas again`);
      short = false;
      return;
    }
    const line = `${what}: on ${acked} of ${wanted} replicas after WAIT; a failover now could lose it (said once until replicas answer)`;
    if (short) log.debug({ redis: where, acked, wanted }, line);
    else log.warn({ redis: where, acked, wanted }, line);
    short = true;
  };
}

/** One server by URL, as before (benches and tools); reconnects logged the same way. */
export function createRedis(url: string, log: Logger, extra: RedisOptions = {}): Redis {
  const watch = reconnectLog(log, redactUrl(url));
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => watch.retry(times),
    ...extra,
  });
  watch.attach(redis);
  return redis;
}

/**
 * The one-line reconnect log: each attempt says where, how long until the next and why (the
 * error code), and the first `ready` after a failure says it is back. Cluster nodes report
 * their own errors, once per node until the cluster is ready again.
 */
function reconnectLog(log: Logger, where: string) {
  let lastError = '';
  let lastLine = { attempt: 0, at: 0 };
  const failingNodes = new Set<string>();
  return {
    retry(times: number, what = `Redis at ${where} is unreachable`): number {
      const delay = reconnectDelay(times);
      // BullMQ's blocking connections are duplicates of this one and share this strategy:
      // their attempt n, moments apart, is the same reconnect, said once.
      const now = Date.now();
      if (lastLine.attempt === times && now - lastLine.at < 1000) return delay;
      lastLine = { attempt: times, at: now };
      log.warn({ redis: where, attempt: times, retryInMs: delay, reason: lastError || undefined }, `${what}; retrying in ${delay} ms`);
      return delay;
    },
    attach(client: RedisClient): void {
      client.on('error', (err: NodeJS.ErrnoException) => {
        lastError = err.code ?? err.message;
      });
      client.on('node error', (err: NodeJS.ErrnoException, address: string) => {
        lastError = err.code ?? err.message;
        if (failingNodes.has(address)) return;
        failingNodes.add(address);
        log.warn(
          { redis: where, node: address, reason: lastError },
          `Redis Cluster node ${address} failed (${lastError}); following the cluster`,
        );
      });
      client.on('ready', () => {
        if (lastError || failingNodes.size > 0) log.info({ redis: where }, `Redis at ${where} is reachable again`);
        lastError = '';
        failingNodes.clear();
      });
    },
  };
}

/**
 * Resolves once Redis is ready and answers PING; logs while it waits (the retry strategy logs
 * each attempt). `where` is printed as given: pass describeRedis(…), never a URL with a password.
 */
export async function waitForRedis(redis: RedisClient, log: Logger, where: string, timeoutMs = Infinity): Promise<void> {
  const started = Date.now();
  const ready = (async () => {
    if (redis.status !== 'ready') {
      await new Promise<void>((resolve, reject) => {
        const onReady = () => (redis.off('end', onEnd), resolve());
        const onEnd = () => (redis.off('ready', onReady), reject(new Error(`Redis at ${where}: connection ended before it was ready`)));
        redis.once('ready', onReady);
        redis.once('end', onEnd);
      });
    }
    await redis.ping();
  })();
  if (timeoutMs === Infinity) {
    await ready;
  } else {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis at ${where} did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
  log.debug({ redis: where, waitedMs: Date.now() - started }, 'Redis is ready');
}

/** How a watched worker's connections look, for the log line when it is recreated. */
export interface StuckWorker {
  queue: string;
  /** How long one of its connections has not been ready while Redis itself answered. */
  stuckForMs: number;
  statuses: string[];
  /** Said in the log line: which of the two ways it is stuck. */
  reason: string;
}

/** A Worker connection not ready this long while another connection to the same Redis is: stuck. */
export const WORKER_STUCK_AFTER_MS = 20_000;
const WORKER_CHECK_EVERY_MS = 2_000;

/**
 * bullmq#3088: after a Sentinel failover BullMQ workers have been seen stuck for good with no
 * error, because one of their connections (usually the blocking one, a duplicate of the one
 * given) never became ready again. The maintainer's advice (bullmq#3185) is to recreate such a
 * worker. This watches the worker's own connections: when one has not been `ready` for
 * `stuckAfterMs` while `reference` (another connection to the same Redis) is, `onStuck` is
 * called once and the watch ends; the caller closes the worker and makes a new one. While
 * Redis is down for everyone nothing is recreated: that is an outage, not a stuck worker.
 *
 * The failover drill on a Redis Cluster showed the other face of it: every connection says
 * `ready`, the worker's other queues run, yet its fetch loop has stopped (a due job waited
 * over two minutes in `delayed`, no job active, bullmq 6.7). So, given `queue` (the worker's
 * queue on a connection of its own), a worker that has started no job for `stuckAfterMs`,
 * holds none, and whose queue has work that is due (waiting, or a delayed job overdue by
 * more than `DUE_GRACE_MS`) is stuck too. An idle queue costs one look every `stuckAfterMs`.
 * Returns a function that ends the watch (also ended when the worker closes).
 */
export function watchWorker(
  worker: Worker,
  opts: {
    reference: RedisClient;
    onStuck: (stuck: StuckWorker) => void;
    /** The worker's queue (opened on another connection): with it, a worker that stopped fetching due work counts as stuck. */
    queue?: Queue;
    stuckAfterMs?: number;
    checkEveryMs?: number;
  },
): () => void {
  const stuckAfter = opts.stuckAfterMs ?? WORKER_STUCK_AFTER_MS;
  // Progress: when the worker last started or finished a job, and how many it holds now.
  let lastProgressAt = Date.now();
  let holding = 0;
  let looking = false;
  worker.on('active', () => ((holding += 1), (lastProgressAt = Date.now())));
  for (const ev of ['completed', 'failed'] as const)
    worker.on(ev, () => ((holding = Math.max(0, holding - 1)), (lastProgressAt = Date.now())));
  const backend = worker.getBackend();
  let clients: Array<{ status: string }> = [];
  void Promise.all([backend.connection.client, backend.blockingConnection?.client]).then(
    (found) => (clients = found.filter((c): c is NonNullable<typeof c> => !!c)),
    () => undefined, // never ready at all: BullMQ reports that as a worker error
  );
  let notReadySince: number | null = null;
  const timer = setInterval(() => {
    if (worker.closing) return stop();
    const statuses = clients.map((c) => c.status);
    if (statuses.every(isUp)) {
      notReadySince = null;
      const queue = opts.queue;
      const idleFor = Date.now() - lastProgressAt;
      if (!queue || looking || holding > 0 || idleFor < stuckAfter || !isUp(opts.reference.status)) return;
      looking = true;
      void dueWork(queue).then(
        (due) => {
          looking = false;
          if (worker.closing) return;
          // Nothing due: look again after another stuckAfter of idleness.
          if (!due) return void (lastProgressAt = Date.now());
          stop();
          const reason = `it has fetched no job for ${Math.round((Date.now() - lastProgressAt) / 1000)} s with ${due}`;
          opts.onStuck({ queue: worker.name, stuckForMs: Date.now() - lastProgressAt, statuses, reason });
        },
        () => void (looking = false), // Redis unreadable: an outage, not a stuck worker
      );
      return;
    }
    const now = Date.now();
    notReadySince ??= now;
    if (now - notReadySince >= stuckAfter && isUp(opts.reference.status)) {
      stop();
      opts.onStuck({
        queue: worker.name,
        stuckForMs: now - notReadySince,
        statuses,
        reason: 'its connection is not ready while Redis answers',
      });
    }
  }, opts.checkEveryMs ?? WORKER_CHECK_EVERY_MS);
  timer.unref();
  const stop = () => clearInterval(timer);
  return stop;
}

/** A delayed job this far past its time is due work a running worker would have taken (BullMQ promotes on fetch). */
export const DUE_GRACE_MS = 5_000;

/** What of `queue` is due now, described ("3 waiting", "a delayed job 12 s overdue"), or null. */
async function dueWork(queue: Queue): Promise<string | null> {
  const waiting = await queue.getJobCountByTypes('waiting', 'prioritized');
  if (waiting > 0) return `${waiting} waiting`;
  const [first] = await queue.getJobs(['delayed'], 0, 0, true);
  if (!first) return null;
  const overdue = Date.now() - (first.timestamp + (first.delay ?? 0));
  return overdue > DUE_GRACE_MS ? `a delayed job ${Math.round(overdue / 1000)} s overdue` : null;
}

/** ioredis reports `ready`; a Cluster client that is connected may still say `connect` (BullMQ treats both as up). */
function isUp(status: string): boolean {
  return status === 'ready' || status === 'connect';
}
