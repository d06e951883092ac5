/**
 * The `connectivity:` section: a few addresses that are not RPC providers (a public DNS
 * resolver, a well-known HTTPS site, the operator's own gateway), probed on a schedule. When
 * every endpoint of most networks goes dark at once, these tell chainwatch's own blindness
 * (the checks fail too) from a real outage of many chains (the checks answer): see
 * src/engine/blindness.ts. A check is `https://host/path`, `http://…`, or `host:port` (TCP).
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import { strict, type Path, type RawIssue } from './zod-helpers';

export type ConnectivityCheck = { kind: 'http'; url: string; label: string } | { kind: 'tcp'; host: string; port: number; label: string };

export interface ConnectivityConfig {
  checks: ConnectivityCheck[];
  /** One round of checks per interval across every worker (a BullMQ Job Scheduler). */
  everyMs: number;
  /** Each check's deadline. */
  timeoutMs: number;
}

export const ConnectivitySchema = strict({
  checks: z.array(z.string().min(1).max(300)).min(1, 'must list at least one check').max(10, 'at most 10 checks'),
  every: z.unknown().optional(),
  timeout: z.unknown().optional(),
});

export const CONNECTIVITY_DEFAULTS = { everyMs: 5_000, timeoutMs: 2_000 } as const;

/** `https://1.1.1.1/` → http check; `8.8.8.8:53` or `[::1]:443` → TCP check; else a clear error. */
export function parseCheck(text: string): ConnectivityCheck | string {
  const t = text.trim();
  if (/^https?:\/\//i.test(t)) {
    if (!URL.canParse(t)) return 'not a URL';
    const u = new URL(t);
    return { kind: 'http', url: u.toString(), label: u.host };
  }
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(t);
  if (!m) return 'must be an http(s) URL or host:port';
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return 'port must be 1-65535';
  const host = m[1]!.replace(/^\[|\]$/g, '');
  return { kind: 'tcp', host, port, label: `${host}:${port}` };
}

export function resolveConnectivity(input: z.output<typeof ConnectivitySchema>, issues: RawIssue[]): ConnectivityConfig | undefined {
  const at: Path = ['connectivity'];
  const before = issues.length;
  const checks: ConnectivityCheck[] = [];
  input.checks.forEach((text, i) => {
    const c = parseCheck(text);
    if (typeof c === 'string') issues.push({ path: [...at, 'checks', i], message: c });
    else checks.push(c);
  });
  const everyMs = input.every === undefined ? CONNECTIVITY_DEFAULTS.everyMs : parseDuration(input.every);
  if (everyMs === undefined || everyMs < 1000 || everyMs > 300_000)
    issues.push({ path: [...at, 'every'], message: 'not a duration from 1 s to 5 min' });
  const timeoutMs = input.timeout === undefined ? CONNECTIVITY_DEFAULTS.timeoutMs : parseDuration(input.timeout);
  if (timeoutMs === undefined || timeoutMs < 100 || timeoutMs > 30_000)
    issues.push({ path: [...at, 'timeout'], message: 'not a duration from 100 ms to 30 s' });
  if (issues.length > before) return undefined;
  return { checks, everyMs: everyMs!, timeoutMs: timeoutMs! };
}
