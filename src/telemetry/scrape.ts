/**
 * Scrapes one node's Prometheus metrics: an HTTP GET with a deadline and a size cap, the text
 * read for memory and its limit (memory-metrics.ts). A failed scrape is a NodeSample of a
 * failure kind, never a throw; its message never holds the URL (it may carry a key).
 */
import { readCappedText } from '../util/capped-body';
import { readMemory } from './memory-metrics';
import type { NodeSample, ScrapeFailureKind } from '../model';

export interface ScrapeNodeParameters {
  /** Endpoint label, for the sample. */
  endpoint: string;
  url: string;
  timeoutMs: number;
  /** Configured limit; else read from the node's limit metrics. */
  memoryLimitBytes?: number;
  /** Largest body read; Reth and Geth expose a few hundred KB. */
  maxBytes?: number;
}

const DEFAULT_MAX_SCRAPE_BYTES = 8 * 1024 * 1024;

class ScrapeFailure extends Error {
  constructor(
    readonly kind: ScrapeFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ScrapeFailure';
  }
}

export async function scrapeNodeMemory(params: ScrapeNodeParameters, clock: () => number = Date.now): Promise<NodeSample> {
  const started = clock();
  const base = { endpoint: params.endpoint, observedAt: started };
  try {
    const text = await fetchText(params);
    const reading = readMemory(text, params.memoryLimitBytes);
    const latencyMs = clock() - started;
    if (!reading.ok) return { ok: false, ...base, latencyMs, kind: 'malformed', message: reading.message };
    const { residentBytes, residentMetric, limitBytes, limitSource } = reading;
    return { ok: true, ...base, latencyMs, residentBytes, residentMetric, limitBytes, limitSource };
  } catch (err) {
    const f = classifyScrapeError(err);
    return {
      ok: false,
      ...base,
      latencyMs: clock() - started,
      kind: f.kind,
      message: f.message,
      ...(f.status !== undefined ? { status: f.status } : {}),
    };
  }
}

/**
 * `https://user:pass@host/metrics` as Prometheus takes it: the credentials become HTTP Basic
 * auth (fetch refuses a URL that carries them, so every scrape used to fail). With credentials a
 * redirect is not followed: it would be a place the password was not meant for.
 */
export function scrapeRequest(url: string): { url: string; headers: Record<string, string>; redirect: 'follow' | 'manual' } {
  const headers: Record<string, string> = { accept: 'text/plain;version=0.0.4;q=1, */*;q=0.1' };
  const u = new URL(url);
  if (!u.username && !u.password) return { url, headers, redirect: 'follow' };
  const user = decode(u.username);
  const password = decode(u.password);
  u.username = '';
  u.password = '';
  headers.authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  return { url: u.href, headers, redirect: 'manual' };
}

/** A stray `%` in a password is the password's own character, not an escape. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function fetchText(params: ScrapeNodeParameters): Promise<string> {
  const signal = AbortSignal.timeout(params.timeoutMs);
  const req = scrapeRequest(params.url);
  const res = await fetch(req.url, { signal, headers: req.headers, redirect: req.redirect });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new ScrapeFailure('http', `HTTP ${res.status}`, res.status);
  }
  const max = params.maxBytes ?? DEFAULT_MAX_SCRAPE_BYTES;
  return readCappedText(res, max, () => new ScrapeFailure('too_large', `metrics larger than ${max} bytes`));
}

/** Timeouts, refused connections and DNS failures by name and code; never the error's own text (it may quote the URL). */
function classifyScrapeError(err: unknown): { kind: ScrapeFailureKind; message: string; status?: number } {
  if (err instanceof ScrapeFailure)
    return { kind: err.kind, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}) };
  const e = err as { name?: string; cause?: { code?: string; name?: string } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { kind: 'timeout', message: 'scrape timed out' };
  const code = e?.cause?.code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return { kind: 'unreachable', message: `cannot connect (${code})` };
  if (e?.name === 'TypeError') return { kind: 'unreachable', message: 'cannot connect' };
  return { kind: 'malformed', message: 'scrape failed' };
}
