/** Incidents and their append-only timelines (DESIGN.md vocabulary). All JSON-serialisable. */
import type { Severity, SignalKind, SignalSource } from './signal';

export const STATUSES = ['suspected', 'investigating', 'monitoring', 'resolved', 'dismissed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

export interface Ack {
  by: string;
  at: number;
}

export interface Incident {
  /** `<network>-<yyyymmddThhmmssZ>`: readable, no `:` (BullMQ job ids embed it). */
  id: string;
  network: string;
  status: IncidentStatus;
  severity: Severity;
  kind: SignalKind;
  title: string;
  /** When the problem began as far as the evidence shows (a halt began at the last block). */
  startedAt: number;
  openedAt: number;
  updatedAt: number;
  /** When it first became public (investigating); null while only suspected. */
  confirmedAt: number | null;
  /** When the evidence last cleared (status went to monitoring). */
  recoveredAt: number | null;
  /**
   * When the chain's own evidence (polls, node, probe: not posts or a status page) of the
   * problem began; absent while only community or official evidence exists. Durations measure
   * from here when it is set (see outageSpan).
   */
  outageStartedAt?: number | null;
  resolvedAt: number | null;
  ack: Ack | null;
  /** Evaluations in which each kind was present, for the summary line. */
  signals: Partial<Record<SignalKind, number>>;
  /** The latest evidence in plain words. */
  summary: string;
  /** Number of events in the timeline so far (the last event's seq). */
  seq: number;
  /**
   * When the network's official status page first acknowledged the problem (an incident or a
   * degraded component on it), while this incident was open; null or absent: it has not.
   */
  officialAt?: number | null;
  /** How many times it came back after resolution. */
  reopened: number;
  /** How many times it came back while monitoring (slows the next "recovering"). */
  relapses?: number;
  /**
   * Condition keys (kind, or kind:endpoint) already told in the timeline, so new evidence is
   * told once. Bounded by kinds x endpoints.
   */
  seen: string[];
}

export const EVENT_TYPES = [
  'opened',
  'evidence',
  'severity_changed',
  'acknowledged',
  'update',
  'recovered',
  'relapsed',
  'resolved',
  'reopened',
  'dismissed',
] as const;
export type IncidentEventType = (typeof EVENT_TYPES)[number];

export interface IncidentEvent {
  incidentId: string;
  network: string;
  /** 1-based position in the incident's timeline. */
  seq: number;
  at: number;
  type: IncidentEventType;
  /** Incident state right after this event, so a renderer needs nothing else. */
  status: IncidentStatus;
  severity: Severity;
  kind: SignalKind;
  title: string;
  /** Plain-words line for the thread. */
  text: string;
  /** Who did it, for moderator events. */
  by?: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Open incidents can still change; closed ones (resolved, dismissed) only expire. */
const OPEN_STATUSES: ReadonlySet<IncidentStatus> = new Set(['suspected', 'investigating', 'monitoring']);

export function isOpen(incident: Pick<Incident, 'status'> | null | undefined): boolean {
  return !!incident && OPEN_STATUSES.has(incident.status);
}

export function isClosed(incident: Pick<Incident, 'status'> | null | undefined): boolean {
  return !!incident && !OPEN_STATUSES.has(incident.status);
}

/** The events that close an incident. */
export function isClosingEvent(event: Pick<IncidentEvent, 'type'>): boolean {
  return event.type === 'resolved' || event.type === 'dismissed';
}

/** Sources that see the chain itself; community posts and status pages only talk about it. */
export const WITNESS_SOURCES: ReadonlySet<SignalSource> = new Set<SignalSource>(['chain', 'node', 'probe']);

/**
 * What an incident's duration measures: from the chain's own evidence when there is any (a
 * halt from its last block, not from the first post about it), to when that evidence cleared
 * (`recoveredAt`, not resolution: the monitoring window after it is chainwatch's caution, not
 * the outage). `label` names the measure for a card field or a sentence ("Halted for").
 */
export function outageSpan(incident: Pick<Incident, 'kind' | 'startedAt' | 'recoveredAt' | 'outageStartedAt'>): {
  from: number;
  to: number | null;
  label: string;
} {
  const from = typeof incident.outageStartedAt === 'number' ? incident.outageStartedAt : incident.startedAt;
  const to = incident.recoveredAt === null ? null : Math.max(from, incident.recoveredAt);
  return { from, to, label: SPAN_LABEL[incident.kind] ?? 'Lasted' };
}

const SPAN_LABEL: Partial<Record<SignalKind, string>> = {
  halted: 'Halted for',
  rpc_unreachable: 'Unreachable for',
  low_throughput: 'Throughput low for',
  inclusion_delay: 'Inclusion delayed for',
};

/** `megaeth-20250307T120301Z`: readable, sortable, and free of `:` for BullMQ job ids. */
export function incidentId(network: string, at: number): string {
  const iso = new Date(at).toISOString();
  return `${network}-${iso.slice(0, 10).replaceAll('-', '')}T${iso.slice(11, 19).replaceAll(':', '')}Z`;
}

/** The network an incident id belongs to (ids are `<network>-<yyyymmdd>T<hhmmss>Z`). */
export function networkOfIncident(id: string): string {
  return id.replace(/-\d{8}T\d{6}Z$/, '');
}
