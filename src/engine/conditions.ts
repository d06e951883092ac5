import type { Network } from '../config/network';
import { EVENT_KINDS, type Severity, type Signal, type SignalKind, type SignalSource } from '../model';

/**
 * A condition is a Signal that holds over time: it starts (`since`) on the first evaluation
 * that reports it and ends on the first evaluation of its source that does not.
 * Event kinds (a reorg) hold for `confirmMs` after they happened, so an incident about a
 * past event does not "recover" one poll later.
 */
export interface Condition {
  key: string;
  kind: SignalKind;
  source: SignalSource;
  endpoint?: string;
  since: number;
  lastAt: number;
  severity: Severity;
  summary: string;
  weak: boolean;
  details: Signal['details'];
}

/**
 * Kinds whose detector already waited for persistence (stall threshold, N failures, a reorg
 * is a fact, social reports are counted over their own window, a memory trend must hold over
 * its fit window and two scrapes in a row: waiting longer would eat the warning's lead time).
 */
const IMMEDIATE: ReadonlySet<SignalKind> = new Set<SignalKind>([
  'halted',
  'rpc_unreachable',
  'endpoint_down',
  'reorg',
  'social_reports',
  'memory_pressure',
]);

export function conditionKey(s: Pick<Signal, 'kind' | 'endpoint'>): string {
  return s.endpoint ? `${s.kind}:${s.endpoint}` : s.kind;
}

/**
 * Folds one evaluation into the condition set. `evaluated` names the sources whose complete
 * condition set `signals` carries: their conditions missing from `signals` have cleared, while
 * conditions of other sources are left alone (a chain poll says nothing about posts on X).
 */
export function updateConditions(
  prev: Record<string, Condition>,
  signals: Signal[],
  evaluated: readonly SignalSource[],
  network: Network,
  now: number,
): Record<string, Condition> {
  const next: Record<string, Condition> = {};
  const reported = new Set(signals.map(conditionKey));
  for (const [key, c] of Object.entries(prev)) {
    if (EVENT_KINDS.has(c.kind)) {
      if (now - c.lastAt < network.thresholds.confirmMs) next[key] = c;
    } else if (!evaluated.includes(c.source) || reported.has(key)) {
      next[key] = c;
    }
  }
  for (const s of signals) {
    const key = conditionKey(s);
    const old = next[key];
    next[key] = {
      key,
      kind: s.kind,
      source: s.source,
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      since: old && !EVENT_KINDS.has(s.kind) ? old.since : s.at,
      lastAt: s.at,
      severity: s.severity,
      summary: s.summary,
      weak: s.weak ?? false,
      details: s.details,
    };
  }
  return next;
}

/** Conditions that have persisted long enough to open or keep an incident. */
export function qualifying(conditions: Record<string, Condition>, network: Network, now: number): Condition[] {
  return Object.values(conditions).filter((c) => IMMEDIATE.has(c.kind) || now - c.since >= network.thresholds.confirmMs);
}
