/**
 * Reads one status page: an HTTP GET with a deadline and a size cap, the JSON parsed into
 * an OfficialPage (parse.ts). A failed read is a reading of a failure kind, never a throw, and
 * its message never holds the URL or the server's own error text.
 */
import { readCappedText } from '../util/capped-body';
import type { StatusPageFailureKind, StatusPageKind, StatusPageReading } from '../model';
import { parseStatusPage } from './parse';

export interface ReadStatusPageParameters {
  url: string;
  kind: StatusPageKind;
  timeoutMs: number;
  /** Largest body read; a big Statuspage summary is a few hundred KB. */
  maxBytes?: number;
}

export const MAX_STATUS_PAGE_BYTES = 2 * 1024 * 1024;

class ReadFailure extends Error {
  constructor(
    readonly kind: StatusPageFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ReadFailure';
  }
}

export async function readStatusPage(params: ReadStatusPageParameters, clock: () => number = Date.now): Promise<StatusPageReading> {
  try {
    const text = await fetchText(params);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ReadFailure('malformed', 'not JSON');
    }
    const parsed = parseStatusPage(params.kind, body, clock());
    if (!parsed.ok) throw new ReadFailure('malformed', parsed.message);
    return { ok: true, page: parsed.page };
  } catch (err) {
    const f = classify(err);
    return { ok: false, at: clock(), kind: f.kind, message: f.message, ...(f.status !== undefined ? { status: f.status } : {}) };
  }
}

async function fetchText(params: ReadStatusPageParameters): Promise<string> {
  // One deadline for the whole read, body included: a page that trickles bytes is a timeout.
  const signal = AbortSignal.timeout(params.timeoutMs);
  const res = await fetch(params.url, { signal, headers: { accept: 'application/json' }, redirect: 'follow' });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new ReadFailure('http', `HTTP ${res.status}`, res.status);
  }
  const max = params.maxBytes ?? MAX_STATUS_PAGE_BYTES;
  return readCappedText(res, max, () => new ReadFailure('too_large', `larger than ${max} bytes`));
}

/** By name and code; never the error's own text (it may quote the URL). */
function classify(err: unknown): { kind: StatusPageFailureKind; message: string; status?: number } {
  if (err instanceof ReadFailure)
    return { kind: err.kind, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}) };
  const e = err as { name?: string; cause?: { code?: string } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { kind: 'timeout', message: 'timed out' };
  const code = e?.cause?.code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return { kind: 'unreachable', message: `cannot connect (${code})` };
  if (e?.name === 'TypeError') return { kind: 'unreachable', message: 'cannot connect' };
  return { kind: 'malformed', message: 'read failed' };
}
