/**
 * What every figure of the suite shares: the figure shape (one JSON object per line), nearest-rank
 * statistics, a counting logger, the Redis prefix of this run, and small waiting helpers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { DiscordConfig } from '../src/config';
import type { Logger } from '../src/util/log';
import type { Incident, IncidentEvent, Publisher } from '../src/model';
import { deleteByPrefix } from '../src/queue/delete-prefix';
import type { FakeDiscord } from '../test/support/fake-discord';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `--quick` or BENCH_QUICK=1: the same suite on a small workload, to check that it runs (< 1 min). */
export const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

export interface Reference {
  name: string;
  value: number;
  unit: string;
}

/** One figure: its value, what it is compared with, and value ÷ reference. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  reference: Reference;
  ratio: number;
  /** One line for the people's table. */
  note?: string;
  [extra: string]: unknown;
}

export function round(v: number, digits = 2): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function figure(name: string, value: number, unit: string, reference: Reference, extra: Record<string, unknown> = {}): Figure {
  return { name, value, unit, reference, ratio: reference.value === 0 ? NaN : round(value / reference.value, 3), ...extra };
}

export interface Stats {
  median: number;
  p95: number;
  min: number;
  max: number;
  count: number;
}

/** Nearest-rank percentiles. */
export function stats(values: readonly number[], digits = 0): Stats {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? NaN;
  return {
    median: round(at(0.5), digits),
    p95: round(at(0.95), digits),
    min: round(s[0] ?? NaN, digits),
    max: round(s.at(-1) ?? NaN, digits),
    count: s.length,
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
  everyMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Ctrl-C or SIGTERM: loops stop at their next turn, and what is registered here (pipelines,
 * workers) is stopped before the run's keys are deleted, so nothing writes a key after that.
 */
export const abort = { signalled: false };
const stoppers = new Set<() => Promise<unknown>>();

/** Registers `stop` for an abort; call the returned function once it has been stopped normally. */
export function onAbort(stop: () => Promise<unknown>): () => void {
  stoppers.add(stop);
  return () => void stoppers.delete(stop);
}

/** Runs every registered stopper, giving up after `timeoutMs`. */
export async function stopAll(timeoutMs: number): Promise<void> {
  const all = Promise.allSettled([...stoppers].map((s) => s()));
  await Promise.race([all, sleep(timeoutMs)]);
}

/** This run's Redis key prefix: every key the suite writes holds it, and it is deleted at the end. */
export const PREFIX = `cwbench-${randomBytes(6).toString('hex')}`;

export async function deleteBenchKeys(prefix = PREFIX): Promise<void> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    await deleteByPrefix(r, prefix);
  } finally {
    r.disconnect();
  }
}

/**
 * chainwatch's own warnings are counted, not printed (a bench's stdout is its figures); the
 * first few are kept for the report.
 */
export const warnings = { count: 0, byMsg: new Map<string, number>(), first: [] as string[] };
const MAX_DISTINCT_WARNINGS = 50;
export const log: Logger = pino(
  { level: 'warn' },
  {
    write(line: string) {
      warnings.count++;
      let msg = '';
      try {
        msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      } catch {
        msg = line.slice(0, 80);
      }
      if (warnings.byMsg.has(msg) || warnings.byMsg.size < MAX_DISTINCT_WARNINGS)
        warnings.byMsg.set(msg, (warnings.byMsg.get(msg) ?? 0) + 1);
      if (warnings.first.length < 5) warnings.first.push(line.trim().slice(0, 500));
    },
  },
);

/** A publisher that only counts (the console sink's place when nothing is being looked at). */
export class CountingPublisher implements Publisher {
  readonly sink = 'console' as const;
  delivered = 0;
  async deliver(_event: IncidentEvent, _incident: Incident): Promise<Record<string, string>> {
    this.delivered++;
    return {};
  }
}

export const MiB = 2 ** 20;
export const mib = (bytes: number, digits = 1) => round(bytes / MiB, digits);

/** CPU seconds used by another process (Linux /proc), for the local RPC responder. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** `used_memory` of the Redis server (shared with whatever else uses it). */
export async function redisUsedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

export async function redisVersion(): Promise<string> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    return /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? 'unknown';
  } finally {
    r.disconnect();
  }
}

/** Logs a progress line for people (stderr; stdout carries the figures). */
export function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/**
 * chainwatch's Discord section pointed at the local fake: every network posts to channel 200;
 * the thread archive is later than any bench runs, so no archive PATCH competes with what is measured.
 */
export function fakeDiscordConfig(fake: FakeDiscord): DiscordConfig {
  return {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiBaseUrl: fake.apiBase,
    channels: { default: '200', networks: {} },
    pingRoleId: '300',
    moderatorRoleIds: ['400'],
    archiveAfterMs: 600_000,
  };
}
