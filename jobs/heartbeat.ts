/**
 * The dead man's switch: on each tick of the heartbeat Job Scheduler (one job per `every` across
 * all workers) ask chainwatch's health (src/app/health.ts) and ping the configured service only
 * while chainwatch is working; its failure signal while chainwatch is blind; nothing otherwise,
 * so the service's own grace period decides (a stale network right after a restart heals on its
 * own; a fail signal would page at once). The URL holds the check's key: it is never logged,
 * never put in job data or return values, and error text is reduced to a code or a status.
 */
import type { Job, Queue } from 'bullmq';
import type { RedisClient } from '../src/store/redis-client';
import type { HeartbeatConfig } from '../src/config/heartbeat';
import { heartbeatRetryJobId, type Keyspace } from '../src/model';
import type { Logger } from '../src/util/log';
import { redactUrls } from '../src/util/redact';

/** What chainwatch's own health says right now. */
export type HeartbeatVerdict =
  { kind: 'working' } | { kind: 'not-working'; reason: string } | { kind: 'blind'; since: number; reason: string };

export interface PingRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export type PingResult = { ok: true; status: number; ms: number } | { ok: false; reason: string; retry: boolean; ms: number };

/** The longest ping, and never more than a third of the interval: a hanging service cannot pile pings up. */
const PING_TIMEOUT_MS = 10_000;
/** The one sooner retry of a failed tick, at most this far behind it (and within the interval). */
const RETRY_DELAY_MS = 30_000;
/** Reasons sent to the service (a body, or Kuma's `msg` in the query) and kept in Redis. */
const REASON_MAX = 300;
/** How much of an error answer's body is read, for the log line. */
const ERROR_BODY_MAX = 256;

export const pingTimeoutMs = (everyMs: number) => Math.max(100, Math.min(PING_TIMEOUT_MS, Math.floor(everyMs / 3)));
export const retryDelayMs = (everyMs: number) => Math.max(100, Math.min(RETRY_DELAY_MS, Math.floor(everyMs / 3)));

/** C0/C1 controls, zero-width and bidi characters: a reason shown in a service's UI stays one plain line. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Untrusted text (an upstream error, the blindness reason) made inert: no URLs, no controls, one line, cut. */
export function cleanReason(text: string, max = REASON_MAX): string {
  const s = redactUrls(text.slice(0, max * 4))
    .replace(INVISIBLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Pure: the request for a verdict, by service; null when nothing is to be sent. */
export function pingRequest(hb: Pick<HeartbeatConfig, 'url' | 'kind'>, verdict: HeartbeatVerdict): PingRequest | null {
  if (verdict.kind === 'not-working' || (verdict.kind === 'blind' && hb.kind === 'plain')) return null;
  const url = new URL(hb.url);
  const headers: Record<string, string> = { 'user-agent': 'chainwatch-heartbeat' };
  // fetch refuses URLs with credentials: send them as HTTP Basic instead.
  if (url.username || url.password) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    url.username = url.password = '';
  }
  if (verdict.kind === 'working') {
    if (hb.kind === 'uptime-kuma') setKuma(url, 'up', 'OK');
    return { url: url.toString(), method: 'GET', headers };
  }
  const reason = cleanReason(`chainwatch is blind since ${new Date(verdict.since).toISOString()}: ${verdict.reason}`);
  if (hb.kind === 'uptime-kuma') {
    setKuma(url, 'down', reason);
    return { url: url.toString(), method: 'GET', headers };
  }
  // Healthchecks and Better Stack: <url>/fail, the reason as the body (shown with the ping).
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/fail`;
  return { url: url.toString(), method: 'POST', headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: reason };
}

function setKuma(url: URL, status: 'up' | 'down', msg: string): void {
  url.searchParams.set('status', status);
  url.searchParams.set('msg', msg);
  url.searchParams.delete('ping');
}

/** One bounded request. Never throws; the reason names a status or an error code, never the URL. */
export async function sendPing(req: PingRequest, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<PingResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body ?? null, signal, redirect: 'follow' });
    if (res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: true, status: res.status, ms: ms() };
    }
    const text = await readSnippet(res).catch(() => '');
    const retry = res.status >= 500 || res.status === 429 || res.status === 408;
    return { ok: false, reason: cleanReason(`HTTP ${res.status}${text ? `: ${text}` : ''}`, 160), retry, ms: ms() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : `unreachable (${e.cause?.code ?? e.name})`;
    return { ok: false, reason, retry: true, ms: ms() };
  }
}

async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < ERROR_BODY_MAX) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, ERROR_BODY_MAX).toString('utf8');
}

export interface HeartbeatDeps {
  heartbeat: HeartbeatConfig;
  /** chainwatch's own health (src/app/health.ts), judged at each tick. */
  health: () => Promise<HeartbeatVerdict>;
  redis: RedisClient;
  keys: Keyspace;
  /** The heartbeat queue, for the one sooner retry of a failed tick. */
  queue: Pick<Queue, 'add'>;
  log: Logger;
  clock?: () => number;
  fetch?: typeof fetch;
}

export interface HeartbeatResult {
  verdict: HeartbeatVerdict['kind'];
  signal: 'success' | 'fail' | null;
  ok?: boolean;
  ms?: number;
  skipped?: string;
}

/** Job names: scheduler ticks, and the one retry a failed tick may add. */
export const HEARTBEAT_JOB = { tick: 'tick', retry: 'retry' } as const;

export function createHeartbeatProcessor(deps: HeartbeatDeps) {
  const clock = deps.clock ?? Date.now;
  const timeoutMs = pingTimeoutMs(deps.heartbeat.everyMs);
  let inFlight = false;
  return async function heartbeat(job: Job): Promise<HeartbeatResult> {
    // One ping at a time per process, whatever happens to the timing.
    if (inFlight) return { verdict: 'not-working', signal: null, skipped: 'the previous ping is still in flight' };
    inFlight = true;
    try {
      const verdict = await judge(deps.health, timeoutMs);
      await noteVerdict(deps, verdict, clock());
      const req = pingRequest(deps.heartbeat, verdict);
      if (!req) return { verdict: verdict.kind, signal: null };
      const result = await sendPing(req, timeoutMs, deps.fetch);
      await noteResult(deps, result, clock());
      if (!result.ok && result.retry && job.name !== HEARTBEAT_JOB.retry) {
        const delay = retryDelayMs(deps.heartbeat.everyMs);
        await deps.queue.add(HEARTBEAT_JOB.retry, {}, { jobId: heartbeatRetryJobId(job.timestamp), delay });
      }
      return { verdict: verdict.kind, signal: verdict.kind === 'blind' ? 'fail' : 'success', ok: result.ok, ms: result.ms };
    } finally {
      inFlight = false;
    }
  };
}

/** A judgement that cannot be made in time is a "not working" one: the service hears nothing. */
async function judge(health: () => Promise<HeartbeatVerdict>, ms: number): Promise<HeartbeatVerdict> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<HeartbeatVerdict>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'not-working', reason: `health not judged within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([health().catch((err: Error) => ({ kind: 'not-working' as const, reason: cleanReason(err.message) })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The verdict is logged when it changes (atomically across workers), not at every tick. */
async function noteVerdict(deps: HeartbeatDeps, verdict: HeartbeatVerdict, now: number): Promise<void> {
  const reason = verdict.kind === 'working' ? '' : cleanReason(verdict.reason);
  const res = await deps.redis
    .multi()
    .hget(deps.keys.heartbeat, 'verdict')
    .hset(deps.keys.heartbeat, { verdict: verdict.kind, verdictReason: reason, verdictAt: now })
    .exec();
  const prev = res?.[0]?.[1] as string | null | undefined;
  if (prev === verdict.kind) return;
  const kind = deps.heartbeat.kind;
  if (verdict.kind === 'working') deps.log.info({ heartbeat: kind, was: prev ?? null }, 'heartbeat: chainwatch is working, pinging');
  else if (verdict.kind === 'blind')
    deps.log.warn({ heartbeat: kind, reason }, 'heartbeat: chainwatch is blind, sending the failure signal');
  else deps.log.warn({ heartbeat: kind, reason }, 'heartbeat: chainwatch is not working, pings withheld');
}

/** Ping failures are logged when they start and when they end (one worker wins each), not every tick. */
async function noteResult(deps: HeartbeatDeps, result: PingResult, now: number): Promise<void> {
  const key = deps.keys.heartbeat;
  const kind = deps.heartbeat.kind;
  if (result.ok) {
    const res = await deps.redis
      .multi()
      .hget(key, 'failingSince')
      .hdel(key, 'failingSince')
      .hset(key, { lastSuccessAt: now, lastStatus: result.status })
      .exec();
    const since = Number(res?.[0]?.[1] ?? NaN);
    if (res?.[1]?.[1] === 1) deps.log.info({ heartbeat: kind, failedForMs: now - since }, 'heartbeat ping answered again');
    return;
  }
  const res = await deps.redis
    .multi()
    .hsetnx(key, 'failingSince', now)
    .hset(key, { lastFailureAt: now, lastFailure: result.reason })
    .exec();
  if (res?.[0]?.[1] === 1)
    deps.log.warn(
      { heartbeat: kind, reason: result.reason, retry: result.retry },
      'heartbeat ping failed; retried at the next ticks, logged again when it answers',
    );
}

export interface HeartbeatRecord {
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastFailure: string | null;
  failingSince: number | null;
  verdict: string | null;
  verdictReason: string | null;
}

/** The heartbeat's hash, for /metrics. */
export async function readHeartbeatRecord(redis: RedisClient, keys: Keyspace): Promise<HeartbeatRecord> {
  const h = await redis.hgetall(keys.heartbeat);
  const num = (v: string | undefined) => (v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));
  return {
    lastSuccessAt: num(h.lastSuccessAt),
    lastFailureAt: num(h.lastFailureAt),
    lastFailure: h.lastFailure ?? null,
    failingSince: num(h.failingSince),
    verdict: h.verdict ?? null,
    verdictReason: h.verdictReason || null,
  };
}
