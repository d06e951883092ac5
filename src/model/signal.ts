/** Signals: one piece of evidence about a network at a time (DESIGN.md vocabulary). JSON. */

export const SEVERITIES = ['minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Signal kinds, worst first: an incident's `kind` is the worst kind seen while it was open.
 * - chain: halted, rpc_unreachable, low_throughput (blocks keep coming nearly empty),
 *   reorg, slow_blocks, safe_lag, and one provider's problems (endpoint_*);
 * - probe: inclusion_delay (a probe transaction was not included in time);
 * - node: memory_pressure (a node the operator runs is heading for out-of-memory);
 * - official: status_page (the network's own status page reports a problem);
 * - social: social_reports (community evidence).
 */
export const SIGNAL_KINDS = [
  'halted',
  'rpc_unreachable',
  'low_throughput',
  'inclusion_delay',
  'reorg',
  'slow_blocks',
  'memory_pressure',
  'safe_lag',
  'status_page',
  'endpoint_down',
  'endpoint_lagging',
  'endpoint_divergent',
  'endpoint_wrong_chain',
  'social_reports',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/**
 * Kinds that are facts at one moment (a reorg happened) rather than conditions that hold
 * while they last (the chain is halted). Conditions are re-emitted on every evaluation
 * while true; an event kind is emitted once.
 */
export const EVENT_KINDS: ReadonlySet<SignalKind> = new Set<SignalKind>(['reorg']);

export type SignalSource = 'chain' | 'social' | 'node' | 'probe' | 'official' | 'moderator';

/** Kinds about one provider, not the network (DESIGN.md principle 6: one witness does not decide). */
export const ENDPOINT_KINDS: ReadonlySet<SignalKind> = new Set<SignalKind>([
  'endpoint_down',
  'endpoint_lagging',
  'endpoint_divergent',
  'endpoint_wrong_chain',
]);

export function isEndpointKind(kind: SignalKind): boolean {
  return ENDPOINT_KINDS.has(kind);
}

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
