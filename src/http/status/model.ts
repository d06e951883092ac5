import { networkHealth, publicIncident, type NetworkSnapshot } from '../../engine';
import { type Incident, isClosed, isEndpointKind, isSilenced, type OutageRecord, type Severity, type SignalKind } from '../../model';

/**
 * What the status page says about a network, in words and colour, and the 90 days of daily
 * bars. Pure: rows and records in, `now` as an argument.
 */

export type PageStatus = 'operational' | 'degraded' | 'partial' | 'major' | 'maintenance' | 'unknown';

/** Worst first (overview order, and the colour of a day with several outages). */
export const STATUS_ORDER: readonly PageStatus[] = ['major', 'partial', 'degraded', 'maintenance', 'unknown', 'operational'];

export const STATUS_LABEL: Record<PageStatus, string> = {
  operational: 'Operational',
  degraded: 'Degraded',
  partial: 'Partial outage',
  major: 'Major outage',
  maintenance: 'Maintenance',
  unknown: 'No data',
};

/** Colours with at least 3:1 contrast against white text in the badges and pills. */
export const STATUS_COLOUR: Record<PageStatus, string> = {
  operational: '#1f883d',
  degraded: '#9a6700',
  partial: '#d1580f',
  major: '#cf222e',
  maintenance: '#0969da',
  unknown: '#6e7781',
};

/**
 * How bad an incident is for the people using the network:
 * - halted or RPC unreachable, or critical (long, or confirmed so by a moderator): major outage;
 * - major severity (network-wide disruption: slow blocks, deep reorg, community reports): partial outage;
 * - minor, or one provider's problem: degraded.
 */
export function incidentLevel(i: { severity: Severity; kind: SignalKind }): 'major' | 'partial' | 'degraded' {
  if (i.kind === 'halted' || i.kind === 'rpc_unreachable' || i.severity === 'critical') return 'major';
  // One provider's problem is not the network's (DESIGN.md: quorum before alarm).
  if (isEndpointKind(i.kind)) return 'degraded';
  return i.severity === 'major' ? 'partial' : 'degraded';
}

/** Open and public: suspected incidents are not confirmed and stay off the page (/status's rule, as a type guard). */
export function isPublicOpen(i: Incident | null | undefined): i is Incident {
  return publicIncident(i ?? null) !== null;
}

/** Public at some point: closed incidents that were never confirmed never happened for readers. */
export function wasPublic(i: Incident): boolean {
  return i.confirmedAt !== null;
}

/** A past incident the page lists: closed, and public while it was open. */
export function isPastPublic(i: Incident): boolean {
  return isClosed(i) && wasPublic(i);
}

/**
 * A silence (maintenance) wins, as in /status: people were told. An open public incident
 * gives its level, except while monitoring (blocks are back, chainwatch waits before
 * resolving): degraded. Without one, the /status verdict on the endpoints (a provider down
 * or behind: degraded; nothing seen: no data).
 */
export function networkStatus(row: NetworkSnapshot, now: number): PageStatus {
  if (isSilenced(row.silence, now)) return 'maintenance';
  if (isPublicOpen(row.incident)) return row.incident.status === 'monitoring' ? 'degraded' : incidentLevel(row.incident);
  // Without an incident or a silence, /status's verdict is one of the page's words already.
  return networkHealth({ ...row, incident: null, silence: null }, now);
}

export const worst = (statuses: readonly PageStatus[]): PageStatus =>
  statuses.reduce<PageStatus>((w, s) => (STATUS_ORDER.indexOf(s) < STATUS_ORDER.indexOf(w) ? s : w), 'operational');

export const UPTIME_DAYS = 90;
const DAY = 86_400_000;

export interface DayBar {
  /** UTC date, "2026-11-24". */
  date: string;
  status: PageStatus;
  /** Time in a partial or major outage that day, ms. */
  downMs: number;
  /** Titles of the outages that touched the day (at most three). */
  titles: string[];
}

export interface Uptime {
  bars: DayBar[];
  /** Share of watched time over the 90 days not in a partial or major outage; null before any data. */
  ratio: number | null;
  /** When the ratio's watched time began, when that is within the 90 days (else null: all of them). */
  since: number | null;
}

/** A window of trouble: a closed incident's record, or the open incident up to `now`. */
export interface OutageWindow {
  startedAt: number;
  endedAt: number;
  severity: Severity;
  kind: SignalKind;
  title: string;
}

export function openWindow(i: Incident, now: number): OutageWindow {
  return { startedAt: i.startedAt, endedAt: i.recoveredAt ?? now, severity: i.severity, kind: i.kind, title: i.title };
}

/**
 * 90 UTC days ending today, each coloured by the worst outage that touched it. A day before
 * chainwatch started watching (`since`) has no data. Degraded time does not count as down.
 */
export function uptimeBars(
  windows: readonly (OutageWindow | OutageRecord)[],
  since: number | null,
  now: number,
  days = UPTIME_DAYS,
): Uptime {
  const today = Math.floor(now / DAY) * DAY;
  const first = today - (days - 1) * DAY;
  const bars: DayBar[] = [];
  let watched = 0;
  let down = 0;
  for (let d = first; d <= today; d += DAY) {
    const end = Math.min(d + DAY, now);
    const from = since === null ? end : Math.max(d, since);
    const date = new Date(d).toISOString().slice(0, 10);
    if (from >= end) {
      bars.push({ date, status: 'unknown', downMs: 0, titles: [] });
      continue;
    }
    const touching = windows.filter((w) => w.startedAt < end && w.endedAt >= d);
    const downMs = mergedLength(
      touching.filter((w) => incidentLevel(w) !== 'degraded').map((w) => [Math.max(w.startedAt, from), Math.min(w.endedAt, end)] as const),
    );
    watched += end - from;
    down += downMs;
    bars.push({ date, status: worst(touching.map(incidentLevel)), downMs, titles: [...new Set(touching.map((w) => w.title))].slice(0, 3) });
  }
  return { bars, ratio: watched > 0 ? Math.max(0, 1 - down / watched) : null, since: since !== null && since > first ? since : null };
}

/** Total length of possibly overlapping intervals. */
function mergedLength(spans: (readonly [number, number])[]): number {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cur: [number, number] | null = null;
  for (const [a, b] of sorted) {
    if (cur && a <= cur[1]) cur[1] = Math.max(cur[1], b);
    else {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    }
  }
  return total + (cur ? cur[1] - cur[0] : 0);
}

/** "99.95 %": two decimals, never rounded up to 100 while there was downtime. */
export function formatUptime(ratio: number): string {
  const pct = Math.floor(ratio * 10_000) / 100;
  return `${pct.toFixed(2)} %`;
}
