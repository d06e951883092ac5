import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../util/log';
import { redactUrl } from '../util/redact';

/**
 * One place for Redis connections. BullMQ workers need `maxRetriesPerRequest: null` (they
 * block); commands wait through a Redis restart instead of failing, and every reconnect
 * attempt is logged in one clear line instead of a silent crash loop.
 */
export function createRedis(url: string, log: Logger, extra: RedisOptions = {}): Redis {
  const where = redactUrl(url);
  let lastError = '';
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy(times) {
      const delay = Math.min(500 * 2 ** Math.min(times - 1, 4), 8000);
      log.warn(
        { redis: where, attempt: times, retryInMs: delay, reason: lastError || undefined },
        `Redis at ${where} is unreachable; retrying in ${delay} ms`,
      );
      return delay;
    },
    ...extra,
  });
  redis.on('error', (err: NodeJS.ErrnoException) => {
    lastError = err.code ?? err.message;
  });
  redis.on('ready', () => {
    if (lastError) log.info({ redis: where }, `Redis at ${where} is reachable again`);
    lastError = '';
  });
  return redis;
}

/** Resolves once Redis answers PING; logs while it waits (the retry strategy logs each attempt). */
export async function waitForRedis(redis: Redis, log: Logger, url: string, timeoutMs = Infinity): Promise<void> {
  const started = Date.now();
  const ping = redis.ping();
  if (timeoutMs === Infinity) {
    await ping;
  } else {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis at ${redactUrl(url)} did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
  log.debug({ redis: redactUrl(url), waitedMs: Date.now() - started }, 'Redis is ready');
}

/** What BullMQ queues and workers are given to talk to Redis. */
export type BullConnection = Redis;
