/** Shared vocabulary of DESIGN.md: Signal, Incident, IncidentEvent. All JSON-serialisable. */

export const SEVERITIES = ['minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['suspected', 'investigating', 'monitoring', 'resolved', 'dismissed'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

/**
 * Signal kinds, worst first: an incident's `kind` is the worst kind seen while it was open.
 * `memory_pressure` and `social_reports` come from node telemetry and community posts.
 */
export const SIGNAL_KINDS = [
  'halted',
  'rpc_unreachable',
  'reorg',
  'slow_blocks',
  'memory_pressure',
  'safe_lag',
  'endpoint_down',
  'endpoint_lagging',
  'social_reports',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/**
 * Kinds that are facts at one moment (a reorg happened) rather than conditions that hold
 * while they last (the chain is halted). Conditions are re-emitted on every evaluation
 * while true; an event kind is emitted once.
 */
export const EVENT_KINDS: ReadonlySet<SignalKind> = new Set<SignalKind>(['reorg']);

export type SignalSource = 'chain' | 'social' | 'node' | 'moderator';

export interface Signal {
  network: string;
  kind: SignalKind;
  severity: Severity;
  /** ms epoch of the evaluation that produced it. */
  at: number;
  source: SignalSource;
  /** Endpoint label for endpoint-level kinds. */
  endpoint?: string;
  /** One sentence in plain words, e.g. "No new block for 45 s; last block #1,234 at 12:03:01 UTC". */
  summary: string;
  details: Record<string, string | number | boolean | null>;
  /** References a person can follow: block hashes, post URLs. */
  evidence?: string[];
  /** Weak evidence opens a `suspected` incident instead of a public one. */
  weak?: boolean;
}

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
  resolvedAt: number | null;
  ack: Ack | null;
  /** Evaluations in which each kind was present, for the summary line. */
  signals: Partial<Record<SignalKind, number>>;
  /** The latest evidence in plain words. */
  summary: string;
  /** Number of events in the timeline so far (the last event's seq). */
  seq: number;
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
