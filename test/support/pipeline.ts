import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteByPrefix, REDIS_URL, type TestTopology } from './redis';
import { startChainwatch, type Role, type Running } from '../../src/app/start';
import type { HeadSample, Incident, IncidentEvent, Publisher } from '../../src/model';
import type { AppConfig } from '../../src/config';
import type { Network } from '../../src/config/network';
import { createLogger } from '../../src/util/log';

export { REDIS_URL };

/** A publisher that records what it was asked to deliver (the console sink's place). */
export class CapturePublisher implements Publisher {
  readonly sink = 'console' as const;
  readonly events: IncidentEvent[] = [];
  private waiters: { match: (e: IncidentEvent) => boolean; resolve: (e: IncidentEvent) => void }[] = [];

  async deliver(event: IncidentEvent, _incident: Incident): Promise<Record<string, string>> {
    this.events.push(event);
    for (const w of this.waiters.filter((w) => w.match(event))) w.resolve(event);
    this.waiters = this.waiters.filter((w) => !w.match(event));
    return {};
  }

  waitFor(match: (e: IncidentEvent) => boolean, timeoutMs: number, what: string): Promise<IncidentEvent> {
    const hit = this.events.find(match);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; events so far: ${this.events.map((e) => `${e.type}/${e.kind}`).join(', ') || 'none'}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }
}

export interface TestPipeline {
  running: Running;
  capture: CapturePublisher;
  samples: HeadSample[];
  prefix: string;
  config: AppConfig;
  stop(): Promise<void>;
}

/**
 * The live pipeline (scheduler + worker + publish) on the real Redis, under a random prefix;
 * on `opts.topology` (a Cluster or a Sentinel set) when given.
 */
export async function startPipeline(
  networks: Network[],
  opts: { role?: Role; prefix?: string; topology?: TestTopology } = {},
): Promise<TestPipeline> {
  const prefix = opts.prefix ?? `cwtest-${randomBytes(6).toString('hex')}`;
  const redis = opts.topology?.redisConfig(prefix) ?? { url: REDIS_URL, prefix };
  const config: AppConfig = { redis, log: { level: 'warn' }, worker: { concurrency: 4 }, networks };
  const capture = new CapturePublisher();
  const samples: HeadSample[] = [];
  const running = await startChainwatch(config, {
    role: opts.role ?? 'all',
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    publishers: [capture],
    onSamples: (_n, s) => {
      samples.push(...s);
      if (samples.length > 5000) samples.splice(0, samples.length - 5000);
    },
  });
  return {
    running,
    capture,
    samples,
    prefix,
    config,
    async stop() {
      await running.stop();
      await (opts.topology ? opts.topology.deleteKeys(prefix) : deleteKeys(prefix));
    },
  };
}

/** Removes every key holding `prefix`. Never FLUSHALL. */
export async function deleteKeys(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL);
  try {
    await deleteByPrefix(r, prefix);
  } finally {
    r.disconnect();
  }
}

export async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
