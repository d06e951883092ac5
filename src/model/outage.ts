/**
 * The outage a public incident leaves behind once it closes: its window, for the status
 * page's 90 days of uptime, which outlive the incidents themselves (closed incidents expire).
 */
import { isClosed, outageSpan, type Incident } from './incident';
import type { Severity, SignalKind } from './signal';

export interface OutageRecord {
  id: string;
  startedAt: number;
  /** When the evidence cleared (recoveredAt), else when it was resolved. */
  endedAt: number;
  severity: Severity;
  kind: SignalKind;
  title: string;
}

/** A network's records, and when chainwatch began watching it (null: not marked yet). */
export interface NetworkOutages {
  since: number | null;
  outages: OutageRecord[];
}

/**
 * The record an incident leaves, or null when it leaves none: still open, never public
 * (a suspected incident that closed unconfirmed), or dismissed as a false alarm.
 */
export function outageOf(incident: Incident): OutageRecord | null {
  if (!isClosed(incident) || incident.status !== 'resolved' || incident.confirmedAt === null) return null;
  // The outage as measured (outageSpan): what the uptime bars and "lasted" figures show.
  const span = outageSpan(incident);
  const endedAt = span.to ?? incident.resolvedAt ?? incident.updatedAt;
  return {
    id: incident.id,
    startedAt: span.from,
    endedAt: Math.max(endedAt, span.from),
    severity: incident.severity,
    kind: incident.kind,
    title: incident.title,
  };
}
