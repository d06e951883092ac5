/**
 * One round of connectivity checks: can chainwatch reach the world at all? An HTTP check
 * passes on any answer (a 404 or a 500 still came from the other side); a TCP check passes
 * once the connection opens. Never throws: a failure is a result, with a short reason.
 */
import { connect } from 'node:net';
import type { ConnectivityCheck } from '../config/connectivity';

export interface CheckResult {
  label: string;
  ok: boolean;
  ms: number;
  /** Why it failed ("timeout", "ECONNREFUSED"): a code, never the address's own text. */
  reason?: string;
}

export async function runConnectivityChecks(checks: readonly ConnectivityCheck[], timeoutMs: number): Promise<CheckResult[]> {
  return Promise.all(checks.map((c) => (c.kind === 'http' ? httpCheck(c, timeoutMs) : tcpCheck(c, timeoutMs))));
}

async function httpCheck(c: Extract<ConnectivityCheck, { kind: 'http' }>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  try {
    const res = await fetch(c.url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel().catch(() => undefined);
    return { label: c.label, ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { label: c.label, ok: false, ms: Math.round(performance.now() - started), reason: reasonOf(err) };
  }
}

function tcpCheck(c: Extract<ConnectivityCheck, { kind: 'tcp' }>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: c.host, port: c.port });
    const done = (ok: boolean, reason?: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ label: c.label, ok, ms: Math.round(performance.now() - started), ...(reason ? { reason } : {}) });
    };
    const timer = setTimeout(() => done(false, 'timeout'), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', (err) => done(false, reasonOf(err)));
  });
}

function reasonOf(err: unknown): string {
  const e = err as { name?: string; code?: unknown; cause?: { code?: unknown } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'failed';
}
