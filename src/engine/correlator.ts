import type { Network } from '../config/network';
import { BLINDNESS, HELD_WHILE_BLIND } from './blindness';
import { qualifying, updateConditions, type Condition } from './conditions';
import * as text from './event-text';
import { acknowledgedAt, officialLeadMs } from './official-evidence';
import { incidentTitle, kindRank, maxSeverity, severityRank, worseKind } from './titles';
import {
  incidentId,
  isOpen,
  outageSpan,
  WITNESS_SOURCES,
  type Head,
  type Incident,
  type IncidentEvent,
  type IncidentEventType,
  type Severity,
  type Signal,
  type SignalSource,
} from '../model';

/**
 * The correlator: Signals in, at most one active Incident per network out, with its
 * timeline as IncidentEvents. Pure: the store runs it inside one atomic Redis transaction
 * per network, replay runs it in simulated time.
 */

export interface CorrelatorState {
  /** Bounded by kinds x endpoints of the network. */
  conditions: Record<string, Condition>;
  /** The open incident, or the last closed one (kept so a relapse can reopen it). */
  incident: Incident | null;
  /** Since when no condition at all has held; null while any holds. */
  healthySince: number | null;
  /**
   * Condition keys a moderator closed an incident over: ignored until they clear, so a
   * resolve or dismiss is not undone by the next poll. Bounded by the condition keys.
   */
  suppressed?: string[];
  /** While chainwatch is blind: since when (set by each chain poll; kept for the other sources' steps). */
  hold?: { since: number } | null;
  /** Since when no condition from a witness source (chain, node, probe) has held; null while one holds. */
  witnessQuietSince?: number | null;
}

export interface CorrelateInput {
  now: number;
  signals: Signal[];
  /** Sources whose complete condition set `signals` is (see updateConditions). */
  evaluated: readonly SignalSource[];
  /** Latest head, for recovery lines. */
  head?: Pick<Head, 'number' | 'timestamp'> | null;
  /**
   * chainwatch is blind (src/engine/blindness.ts) since `since`: evidence blindness itself
   * produces, begun in its window, is held (kept, but opens and raises nothing) until sight
   * returns. Absent: as the last chain poll said.
   */
  hold?: { since: number } | null;
}

export interface CorrelateResult {
  state: CorrelatorState;
  events: IncidentEvent[];
}

export function initialCorrelatorState(): CorrelatorState {
  return { conditions: {}, incident: null, healthySince: null, suppressed: [] };
}

export function correlate(prev: CorrelatorState, input: CorrelateInput, network: Network): CorrelateResult {
  const { now } = input;
  const conditions = updateConditions(prev.conditions, input.signals, input.evaluated, network, now);
  const suppressed = (prev.suppressed ?? []).filter((key) => key in conditions);
  // A chain poll says whether chainwatch is blind; community and node steps keep what it said.
  const hold = input.hold !== undefined ? input.hold : (prev.hold ?? null);
  const held = (c: Condition) => !!hold && HELD_WHILE_BLIND.has(c.kind) && c.since >= hold.since - BLINDNESS.windowMs;
  const witnessHolds = Object.values(conditions).some((c) => WITNESS_SOURCES.has(c.source));
  const witnessQuietSince = witnessHolds ? null : (prev.witnessQuietSince ?? now);
  const hearsay = aboutEndedOutage(prev.incident, witnessQuietSince);
  const counts = (c: Condition) => !suppressed.includes(c.key) && !held(c) && !hearsay(c);
  const live = Object.keys(conditions).filter((key) => counts(conditions[key]!));
  const healthy = live.length === 0;
  const healthySince = healthy ? (prev.healthySince ?? now) : null;
  const ready = qualifying(conditions, network, now).filter(counts).sort(byWorst);
  // Cloned: a pure function never mutates its input (replay and tests reuse states).
  const timeline = new Timeline(prev.incident && structuredClone(prev.incident), now);

  const inc = timeline.incident;
  if (inc && isOpen(inc)) {
    progressOpen(timeline, ready, healthySince, input, network);
  } else if (ready.length > 0) {
    const relapse = inc && inc.status === 'resolved' && canReopen(inc, ready[0]!, network, now);
    if (relapse) reopen(timeline, ready, now);
    else open(timeline, ready, network, now);
  }
  recordOfficial(timeline.incident, conditions, now);
  const state: CorrelatorState = { conditions, incident: timeline.incident, healthySince, suppressed, witnessQuietSince };
  if (hold) state.hold = hold;
  return { state, events: timeline.events };
}

/**
 * Community posts and status-page entries made during an outage the chain itself witnessed are
 * evidence about that outage, not that it goes on: once no witness condition holds, those that
 * began before the witnesses went quiet keep nothing open (a 27 s halt with six reports is a
 * 27 s halt, not a 10 min one: the reports' window is 10 min) and reopen nothing. Reports that
 * begin after it are new evidence. Without witness evidence (a suspected incident from posts
 * alone) they count as ever.
 */
function aboutEndedOutage(incident: Incident | null, witnessQuietSince: number | null): (c: Condition) => boolean {
  const witnessed = typeof incident?.outageStartedAt === 'number';
  return (c) => witnessed && witnessQuietSince !== null && !WITNESS_SOURCES.has(c.source) && c.since < witnessQuietSince;
}

/** When the witnesses' evidence began, the first time any of it reaches this incident. */
function noteOutageStart(inc: Incident, ready: Condition[], now: number): void {
  if (typeof inc.outageStartedAt === 'number') return;
  const witnesses = ready.filter((c) => WITNESS_SOURCES.has(c.source));
  if (witnesses.length > 0) inc.outageStartedAt = Math.min(...witnesses.map((c) => problemStart(c, now)));
}

/**
 * When the official status page first acknowledged the open incident (`Incident.officialAt`):
 * the first step in which its condition holds while the incident is open, or opens it.
 */
function recordOfficial(inc: Incident | null, conditions: Record<string, Condition>, now: number): void {
  const c = conditions.status_page;
  if (inc && c && isOpen(inc) && typeof inc.officialAt !== 'number') inc.officialAt = acknowledgedAt(c, now);
}

function byWorst(a: Condition, b: Condition): number {
  return kindRank(a.kind) - kindRank(b.kind) || severityRank(b.severity) - severityRank(a.severity);
}

/** Appends events to one incident, keeping `seq` and the snapshot fields in step. */
class Timeline {
  readonly events: IncidentEvent[] = [];
  constructor(
    public incident: Incident | null,
    private readonly now: number,
  ) {}

  emit(type: IncidentEventType, line: string, details?: IncidentEvent['details']): void {
    const inc = this.incident!;
    inc.seq += 1;
    inc.updatedAt = this.now;
    this.events.push({
      incidentId: inc.id,
      network: inc.network,
      seq: inc.seq,
      at: this.now,
      type,
      status: inc.status,
      severity: inc.severity,
      kind: inc.kind,
      title: inc.title,
      text: line,
      ...(details ? { details } : {}),
    });
  }
}

function open(t: Timeline, ready: Condition[], network: Network, now: number): void {
  const worst = ready[0]!;
  const allWeak = ready.every((c) => c.weak);
  t.incident = {
    id: incidentId(network.name, now),
    network: network.name,
    status: allWeak ? 'suspected' : 'investigating',
    severity: ready.map((c) => c.severity).reduce(maxSeverity),
    kind: worst.kind,
    title: incidentTitle(worst.kind, worst.endpoint),
    startedAt: Math.min(...ready.map((c) => problemStart(c, now))),
    openedAt: now,
    updatedAt: now,
    confirmedAt: allWeak ? null : now,
    recoveredAt: null,
    resolvedAt: null,
    ack: null,
    signals: {},
    summary: worst.summary,
    seq: 0,
    reopened: 0,
    seen: ready.map((c) => c.key),
  };
  noteOutageStart(t.incident, ready, now);
  count(t.incident, ready);
  t.emit('opened', text.openedText(t.incident, worst, ready.slice(1)), headDetails(worst));
}

/**
 * When the problem began: a halt began at the last block, not when the threshold was crossed.
 * The block's own timestamp is used when it is plausible (chain clocks can be skewed), else
 * the moment the last advance was observed.
 */
function problemStart(c: Condition, now: number): number {
  const stalled = c.details.stalledForMs;
  if (c.kind !== 'halted' || typeof stalled !== 'number') return c.since;
  const observed = now - stalled;
  const blockTs = c.details.lastBlockTimestamp;
  const fromBlock = typeof blockTs === 'number' ? blockTs * 1000 : NaN;
  return fromBlock <= observed && fromBlock >= observed - 60_000 ? fromBlock : observed;
}

/** The evidence's raw numbers travel with the event (head, stalledForMs, depth …). */
function headDetails(c: Condition): IncidentEvent['details'] {
  return { ...c.details, kind: c.kind, ...(c.endpoint ? { endpoint: c.endpoint } : {}) };
}

/**
 * Evidence must stay away this long before "recovering" is told: three polls (at least 5 s),
 * doubling after each relapse up to the resolve window, so an endpoint that flaps every few
 * seconds does not flap the thread.
 */
function recoverAfterMs(inc: Incident, network: Network): number {
  const base = Math.max(3 * network.thresholds.pollIntervalMs, 5000);
  return Math.min(network.thresholds.resolveAfterMs, base * 2 ** Math.min(inc.relapses ?? 0, 6));
}

/** A relapse is a problem this incident already had, coming back soon after resolution. */
function canReopen(inc: Incident, worst: Condition, network: Network, now: number): boolean {
  return inc.seen.includes(worst.key) && inc.resolvedAt !== null && now - inc.resolvedAt <= network.thresholds.reopenWindowMs;
}

function reopen(t: Timeline, ready: Condition[], now: number): void {
  const inc = t.incident!;
  const worst = ready[0]!;
  const sinceResolved = now - (inc.resolvedAt ?? now);
  inc.status = inc.confirmedAt !== null || !ready.every((c) => c.weak) ? 'investigating' : 'suspected';
  inc.confirmedAt ??= inc.status === 'investigating' ? now : null;
  inc.resolvedAt = null;
  inc.recoveredAt = null;
  inc.reopened += 1;
  inc.kind = worseKind(inc.kind, worst.kind);
  inc.title = incidentTitle(inc.kind, inc.kind === worst.kind ? worst.endpoint : undefined);
  inc.severity = ready.map((c) => c.severity).reduce(maxSeverity, inc.severity);
  inc.summary = worst.summary;
  markSeen(inc, ready);
  noteOutageStart(inc, ready, now);
  count(inc, ready);
  t.emit('reopened', text.reopenedText(worst, sinceResolved), headDetails(worst));
}

function progressOpen(t: Timeline, ready: Condition[], healthySince: number | null, input: CorrelateInput, network: Network): void {
  const inc = t.incident!;
  const { now } = input;
  if (ready.length === 0) {
    if (inc.status !== 'monitoring' && healthySince !== null && now - healthySince >= recoverAfterMs(inc, network)) {
      inc.status = 'monitoring';
      // Recovered when the evidence cleared, not when it was judged to have stayed away.
      inc.recoveredAt = healthySince;
      t.emit('recovered', text.recoveredText(inc, input.head, network.thresholds.resolveAfterMs, now), { recoveredAt: healthySince });
    } else if (inc.status === 'monitoring' && healthySince !== null) {
      const healthyFor = now - healthySince;
      if (healthyFor >= network.thresholds.resolveAfterMs) {
        inc.status = 'resolved';
        inc.resolvedAt = now;
        const lead = officialLeadMs(inc);
        const span = outageSpan(inc);
        const details = { durationMs: (span.to ?? now) - span.from, ...(lead !== null ? { officialLeadMs: lead } : {}) };
        t.emit('resolved', text.resolvedText(inc, healthyFor, now), details);
      }
    }
    return;
  }
  noteOutageStart(inc, ready, now);
  count(inc, ready);
  const worst = ready[0]!;
  if (inc.status === 'monitoring') {
    inc.status = inc.confirmedAt !== null || !ready.every((c) => c.weak) ? 'investigating' : 'suspected';
    inc.confirmedAt ??= inc.status === 'investigating' ? now : null;
    inc.recoveredAt = null;
    inc.relapses = (inc.relapses ?? 0) + 1;
    escalateKind(inc, worst);
    markSeen(inc, ready);
    t.emit('relapsed', text.relapsedText(worst), headDetails(worst));
  } else {
    tellNewEvidence(t, ready);
  }
  raiseSeverity(t, ready, network, now);
}

function tellNewEvidence(t: Timeline, ready: Condition[]): void {
  const inc = t.incident!;
  for (const c of ready) {
    const confirms = inc.status === 'suspected' && !c.weak;
    if (inc.seen.includes(c.key) && !confirms) continue;
    if (confirms) {
      inc.status = 'investigating';
      inc.confirmedAt = c.lastAt;
    }
    escalateKind(inc, c);
    markSeen(inc, [c]);
    t.emit('evidence', text.evidenceText(c, confirms), headDetails(c));
  }
}

function escalateKind(inc: Incident, c: Condition): void {
  if (kindRank(c.kind) < kindRank(inc.kind)) {
    inc.kind = c.kind;
    inc.title = incidentTitle(c.kind, c.endpoint);
    inc.summary = c.summary;
  }
}

function raiseSeverity(t: Timeline, ready: Condition[], network: Network, now: number): void {
  const inc = t.incident!;
  let target: Severity = ready.map((c) => c.severity).reduce(maxSeverity);
  const outage = ready.find((c) => c.kind === 'halted' || c.kind === 'rpc_unreachable');
  const outageFor = outage ? now - problemStart(outage, now) : null;
  if (outageFor !== null && outageFor >= network.thresholds.criticalAfterMs) target = 'critical';
  if (severityRank(target) <= severityRank(inc.severity)) return;
  inc.severity = target;
  t.emit('severity_changed', text.severityText(target, outage ?? ready[0]!, outageFor), { severity: target });
}

function markSeen(inc: Incident, cs: Condition[]): void {
  for (const c of cs) if (!inc.seen.includes(c.key)) inc.seen.push(c.key);
}

function count(inc: Incident, cs: Condition[]): void {
  for (const kind of new Set(cs.map((c) => c.kind))) inc.signals[kind] = (inc.signals[kind] ?? 0) + 1;
  inc.summary = cs[0]?.summary ?? inc.summary;
}
