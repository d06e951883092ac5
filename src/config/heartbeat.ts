/**
 * The `heartbeat:` section: an outgoing ping for a dead man's switch (Healthchecks.io, Uptime
 * Kuma push monitors, Better Stack heartbeats, or any URL that wants a GET). The URL usually
 * holds the check's key, so write it as `${HEARTBEAT_URL}`: no message here ever quotes it.
 *
 * Which service it is comes from the URL's shape (`detectHeartbeatKind`), or from `kind:` when
 * the shape does not tell (a self-hosted service behind a proxy path, say).
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import { strict, type Path, type RawIssue } from './zod-helpers';

export const HEARTBEAT_KINDS = ['healthchecks', 'uptime-kuma', 'betterstack', 'plain'] as const;
export type HeartbeatKind = (typeof HEARTBEAT_KINDS)[number];

export interface HeartbeatConfig {
  /** The check's ping URL (a secret: never logged, never in job data or messages). */
  url: string;
  /** One ping per interval across every worker (a BullMQ Job Scheduler). */
  everyMs: number;
  kind: HeartbeatKind;
}

export const HeartbeatSchema = strict({
  url: z.string(),
  every: z.unknown().optional(),
  kind: z.enum(HEARTBEAT_KINDS).optional(),
});

export const HEARTBEAT_EVERY = { defaultMs: 60_000, minMs: 10_000, maxMs: 3_600_000 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The rule, in order (first match wins; the path is the URL's path without a trailing slash):
 * - `…/api/push/<token>`: Uptime Kuma (its push URL, with or without `?status=up&msg=OK&ping=`);
 * - host `uptime.betterstack.com`, or `…/api/v1/heartbeat/<token>`: Better Stack;
 * - host `hc-ping.com` (or a subdomain), or `/ping/<uuid>` or `/ping/<ping-key>/<slug>` at the
 *   root of the path (a self-hosted Healthchecks): Healthchecks;
 * - anything else: plain.
 */
export function detectHeartbeatKind(url: URL): HeartbeatKind {
  const path = url.pathname.replace(/\/+$/, '');
  const segments = path.split('/').filter(Boolean);
  const host = url.hostname.toLowerCase();
  if (/\/api\/push\/[^/]+$/.test(path)) return 'uptime-kuma';
  if (host === 'uptime.betterstack.com' || /\/api\/v1\/heartbeat\/[^/]+(\/[^/]+)?$/.test(path)) return 'betterstack';
  if (host === 'hc-ping.com' || host.endsWith('.hc-ping.com')) return 'healthchecks';
  if (segments[0] === 'ping' && ((segments.length === 2 && UUID.test(segments[1]!)) || segments.length === 3)) return 'healthchecks';
  return 'plain';
}

/** A URL that already names a signal (`/fail`, `/start`, an exit status): the success URL is wanted. */
function signalSuffix(url: URL, kind: HeartbeatKind): string | null {
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  if (kind === 'betterstack') {
    const i = segments.indexOf('heartbeat');
    return i >= 0 && segments.length > i + 2 ? last : null;
  }
  if (kind !== 'healthchecks') return null;
  if (['fail', 'start', 'log'].includes(last)) return last;
  return /^\d{1,3}$/.test(last) && UUID.test(segments.at(-2) ?? '') ? last : null;
}

export function resolveHeartbeat(input: z.output<typeof HeartbeatSchema>, issues: RawIssue[]): HeartbeatConfig | undefined {
  const at: Path = ['heartbeat'];
  const before = issues.length;
  // Messages name the problem, never the URL: it is the check's key.
  const url = URL.canParse(input.url) ? new URL(input.url) : null;
  if (!url) issues.push({ path: [...at, 'url'], message: 'not a URL (write it as ${HEARTBEAT_URL} and set the variable)' });
  else if (url.protocol !== 'http:' && url.protocol !== 'https:')
    issues.push({ path: [...at, 'url'], message: 'protocol must be http(s)' });
  else if (url.hash) issues.push({ path: [...at, 'url'], message: 'must not have a #fragment' });
  const kind = input.kind ?? (url ? detectHeartbeatKind(url) : 'plain');
  const suffix = url && signalSuffix(url, kind);
  if (suffix)
    issues.push({
      path: [...at, 'url'],
      message: `ends in /${suffix}: give the check's ping URL (chainwatch adds /fail itself while it is blind)`,
    });
  const everyMs = input.every === undefined ? HEARTBEAT_EVERY.defaultMs : parseDuration(input.every);
  if (everyMs === undefined || everyMs < HEARTBEAT_EVERY.minMs || everyMs > HEARTBEAT_EVERY.maxMs)
    issues.push({ path: [...at, 'every'], message: 'not a duration from 10s to 1h (e.g. "60s")' });
  if (issues.length > before) return undefined;
  return { url: input.url, everyMs: everyMs!, kind };
}
