/**
 * The inclusion probe, pure (the adapter is src/chain/probe.ts, the job jobs/probe.ts):
 * - the prober's plan: from its ledger in Redis and what the chain says now (nonces, the
 *   receipt, fees), what to do this tick: record an inclusion, keep waiting (rebroadcasting the
 *   same signed transaction when the pool lost it), replace a late one with a higher fee at the
 *   same nonce, or send the next one. One nonce in flight at a time, spend bounded per UTC day;
 * - the network's side: `inclusion_delay` while the probe in flight is older than its deadline
 *   and the chain made blocks meanwhile (a chain that stopped is `halted`, not this); it clears
 *   when a probe is included.
 * Wei amounts are decimal strings (JSON-safe in Redis and in the network state).
 */
import type { Network } from '../config/network';
import type { ProbeSettings } from '../config/probe';
import {
  PROBE_MAX_REPLACEMENTS,
  type Head,
  type ProbeInFlight as InFlight,
  type ProbeFacts,
  type ProbeFees as Fees,
  type ProbeLedger,
  type ProbeReceipt,
  type ProbeTx,
  type Signal,
} from '../model';

export type { ProbeInFlight as InFlight, ProbeLedger } from '../model';
import { formatCount, formatDuration } from '../util/format';

/** Replacements per nonce: the fee rises 12.5% (or to twice the base fee) each time; past this the probe waits. */
export const MAX_REPLACEMENTS = PROBE_MAX_REPLACEMENTS;
/** Blocks after the send before a late probe counts: the block being built when it was sent may already have been sealed. */
export const MIN_BLOCKS_AFTER_SEND = 2;
/** Inclusion times kept for the median in /status. */
export const RECENT_MAX = 20;

/** Why a late probe is not replaced: the day's budget would not cover it, or it was replaced enough. */
export type Held = 'budget' | 'replacements' | null;

export type ProbePlan =
  | { action: 'include'; receipt: ProbeReceipt }
  /** The nonce was used by a transaction that is none of ours (the key is shared): forget ours. */
  | { action: 'forget' }
  | { action: 'keep'; rebroadcast: boolean; pricedOut: boolean; held: Held }
  | { action: 'replace'; fees: Fees }
  | { action: 'send'; nonce: number; fees: Fees }
  | { action: 'skip'; why: 'not_due' | 'budget' | 'foreign_pending' };

export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function emptyLedger(address: string, now: number): ProbeLedger {
  return { address, inFlight: null, lastSentAt: null, day: utcDay(now), spentWei: '0', logged: null };
}

/** A new probe is due: nothing in flight and `everyMs` since the last. Needs no chain read. */
export function probeDue(ledger: ProbeLedger, settings: ProbeSettings, now: number): boolean {
  return ledger.inFlight !== null || ledger.lastSentAt === null || now - ledger.lastSentAt >= settings.everyMs;
}

/** How often the scheduler ticks: often enough to see a deadline pass, never more than once a second. */
export function probeTickMs(settings: ProbeSettings): number {
  return Math.round(Math.min(Math.max(Math.min(settings.everyMs, settings.deadlineMs / 3), 1000), 30_000));
}

export function planProbe(ledger: ProbeLedger, facts: ProbeFacts, settings: ProbeSettings, now: number): ProbePlan {
  const f = ledger.inFlight;
  if (f) {
    if (facts.receipt) return { action: 'include', receipt: facts.receipt };
    if (facts.latestNonce > f.nonce) return { action: 'forget' };
    const last = f.txs.at(-1)!;
    const pricedOut = facts.baseFeeWei !== null && BigInt(facts.baseFeeWei) > BigInt(last.maxFeeWei);
    let held: Held = null;
    if (f.sentAt !== null && now - (f.replacedAt ?? f.sentAt) >= settings.deadlineMs) {
      const fees = bumpFees(last, facts);
      if (f.txs.length > MAX_REPLACEMENTS) held = 'replacements';
      else if (affordable(ledger, fees, settings, now)) return { action: 'replace', fees };
      else held = 'budget';
    }
    return { action: 'keep', rebroadcast: f.sentAt === null || facts.pendingNonce <= f.nonce, pricedOut, held };
  }
  // Transactions of this key that the ledger does not know: another sender shares the key.
  if (facts.pendingNonce > facts.latestNonce) return { action: 'skip', why: 'foreign_pending' };
  if (!probeDue(ledger, settings, now)) return { action: 'skip', why: 'not_due' };
  const fees = freshFees(facts);
  if (!affordable(ledger, fees, settings, now)) return { action: 'skip', why: 'budget' };
  return { action: 'send', nonce: facts.latestNonce, fees };
}

/** Twice the base fee plus the tip: room for six full blocks of EIP-1559 increases. */
export function freshFees(facts: Pick<ProbeFacts, 'baseFeeWei' | 'tipWei' | 'gas'>): Fees {
  const tip = BigInt(facts.tipWei);
  return { maxFeeWei: (2n * BigInt(facts.baseFeeWei ?? '0') + tip).toString(), tipWei: tip.toString(), gas: facts.gas };
}

/** Both fees up by more than the 10% nodes require of a replacement, and at least what a fresh probe would pay. */
export function bumpFees(last: Fees, facts: Pick<ProbeFacts, 'baseFeeWei' | 'tipWei' | 'gas'>): Fees {
  const up = (v: string) => (BigInt(v) * 9n) / 8n + 1n;
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const tip = max(up(last.tipWei), BigInt(facts.tipWei));
  const fresh = 2n * BigInt(facts.baseFeeWei ?? '0') + tip;
  return {
    maxFeeWei: max(up(last.maxFeeWei), fresh).toString(),
    tipWei: tip.toString(),
    gas: max(BigInt(last.gas), BigInt(facts.gas)).toString(),
  };
}

export function spentToday(ledger: ProbeLedger, now: number): bigint {
  return ledger.day === utcDay(now) ? BigInt(ledger.spentWei) : 0n;
}

/** The worst a probe can cost (gas × max fee) must fit in what is left of the day's budget. */
function affordable(ledger: ProbeLedger, fees: Fees, settings: ProbeSettings, now: number): boolean {
  return spentToday(ledger, now) + BigInt(fees.gas) * BigInt(fees.maxFeeWei) <= BigInt(settings.maxDailyGasWei);
}

// Ledger transitions: what the job writes after each step of the plan.

export function withSigned(ledger: ProbeLedger, nonce: number, tx: ProbeTx, now: number): ProbeLedger {
  const prev = ledger.inFlight?.nonce === nonce ? ledger.inFlight : null;
  const inFlight: InFlight = prev
    ? { ...prev, txs: [...prev.txs, tx], replacedAt: now }
    : { nonce, txs: [tx], sentAt: null, sentHead: null, replacedAt: null };
  return { ...ledger, inFlight, lastSentAt: prev ? ledger.lastSentAt : now };
}

export function withSent(ledger: ProbeLedger, head: number, now: number): ProbeLedger {
  const f = ledger.inFlight;
  if (!f || f.sentAt !== null) return ledger;
  return { ...ledger, inFlight: { ...f, sentAt: now, sentHead: head } };
}

/** The probe is in: its cost counts on today's spend (a new UTC day starts from zero). */
export function withIncluded(ledger: ProbeLedger, receipt: ProbeReceipt, now: number): ProbeLedger {
  const day = utcDay(now);
  return { ...ledger, inFlight: null, day, spentWei: (spentToday(ledger, now) + BigInt(receipt.costWei)).toString() };
}

/**
 * When a probe was included: when its receipt was seen if the job was watching for it (polled a
 * few times a block), else the including block's timestamp when it lies between the send and
 * the sighting (a chain's clock may be off), else the sighting.
 */
export function includedAt(sentAt: number, seenAt: number, blockTimestamp: number | null, watching: boolean): number {
  const fromBlock = blockTimestamp === null ? NaN : blockTimestamp * 1000;
  if (watching || !(fromBlock >= sentAt && fromBlock <= seenAt)) return seenAt;
  return fromBlock;
}

// The network's side: the step input and the state kept in the network's state key.

export type ProbeReport =
  | {
      kind: 'pending';
      nonce: number;
      hash: string;
      sentAt: number;
      sentHead: number | null;
      /** The base fee is above the probe's cap: congestion, not a chain that ignores transactions. */
      pricedOut: boolean;
      baseFeeGwei: number | null;
      maxFeeGwei: number;
      held: Held;
    }
  | { kind: 'included'; nonce: number; hash: string; sentAt: number; includedAt: number; block: number }
  | { kind: 'idle'; paused: 'budget' | 'foreign_pending' | null };

export interface ProbeState {
  pending: Omit<Extract<ProbeReport, { kind: 'pending' }>, 'kind'> | null;
  last: { hash: string; block: number; sentAt: number; includedAt: number } | null;
  /** Recent inclusion times (ms), oldest first, at most RECENT_MAX. */
  recentMs: number[];
  paused: 'budget' | 'foreign_pending' | null;
}

export function initialProbeState(): ProbeState {
  return { pending: null, last: null, recentMs: [], paused: null };
}

/**
 * One tick's report into the network's probe state; the signal while the probe in flight is
 * late. `best` is the network's agreed head (the chain detectors'). A network without a probe
 * configured drops its probe state, which clears the condition.
 */
export function observeProbe(
  prev: ProbeState | undefined,
  report: ProbeReport,
  network: Network,
  best: Pick<Head, 'number'> | null,
  now: number,
): { state: ProbeState | undefined; signals: Signal[] } {
  if (!network.probe) return { state: undefined, signals: [] };
  const base = prev ?? initialProbeState();
  if (report.kind === 'idle') return { state: { ...base, pending: null, paused: report.paused }, signals: [] };
  if (report.kind === 'included') {
    const { hash, block, sentAt, includedAt } = report;
    const fresh = base.last?.hash !== hash;
    const recentMs = fresh ? [...base.recentMs, Math.max(0, includedAt - sentAt)].slice(-RECENT_MAX) : base.recentMs;
    return { state: { pending: null, paused: null, last: { hash, block, sentAt, includedAt }, recentMs }, signals: [] };
  }
  const { kind: _, ...pending } = report;
  const state = { ...base, pending, paused: null };
  const late = lateSignal(pending, network, best, now);
  return { state, signals: late ? [late] : [] };
}

function lateSignal(
  p: NonNullable<ProbeState['pending']>,
  network: Network,
  best: Pick<Head, 'number'> | null,
  now: number,
): Signal | null {
  const deadlineMs = network.probe!.deadlineMs;
  const ageMs = now - p.sentAt;
  const blocks = best && p.sentHead !== null ? best.number - p.sentHead : 0;
  if (ageMs < deadlineMs || blocks < MIN_BLOCKS_AFTER_SEND) return null;
  let summary = `A probe transaction sent ${formatDuration(ageMs)} ago is not included while ${formatCount(blocks)} blocks were produced (deadline ${formatDuration(deadlineMs)})`;
  if (p.pricedOut && p.baseFeeGwei !== null)
    summary += `; the base fee (${gwei(p.baseFeeGwei)} gwei) is above what the probe may pay (${gwei(p.maxFeeGwei)} gwei)`;
  if (p.held === 'budget') summary += '; the daily gas budget allows no higher fee';
  return {
    network: network.name,
    kind: 'inclusion_delay',
    // Priced out is congestion (the chain works for those who pay more): minor. Paying enough and
    // still left out while blocks come means the chain is not taking transactions: major.
    severity: p.pricedOut ? 'minor' : 'major',
    at: now,
    source: 'probe',
    summary,
    details: {
      pendingForMs: ageMs,
      deadlineMs,
      blocksSince: blocks,
      nonce: p.nonce,
      hash: p.hash,
      pricedOut: p.pricedOut,
      baseFeeGwei: p.baseFeeGwei,
      maxFeeGwei: p.maxFeeGwei,
    },
    evidence: [network.explorerUrl ? `${network.explorerUrl.replace(/\/+$/, '')}/tx/${p.hash}` : p.hash],
  };
}

function gwei(v: number): string {
  return v >= 100 ? formatCount(Math.round(v)) : String(Number(v.toPrecision(3)));
}

/** What /status and /metrics show of the probe. */
export interface ProbeView {
  lastMs: number | null;
  lastAt: number | null;
  medianMs: number | null;
  samples: number;
  /** Age of the probe in flight, and whether it is past the deadline. */
  pendingForMs: number | null;
  late: boolean;
  paused: ProbeState['paused'];
}

export function probeView(state: ProbeState | undefined, settings: ProbeSettings, now: number): ProbeView {
  const s = state ?? initialProbeState();
  const sorted = [...s.recentMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length === 0 ? null : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const pendingForMs = s.pending ? Math.max(0, now - s.pending.sentAt) : null;
  return {
    lastMs: s.last ? Math.max(0, s.last.includedAt - s.last.sentAt) : null,
    lastAt: s.last?.includedAt ?? null,
    medianMs: median,
    samples: sorted.length,
    pendingForMs,
    late: pendingForMs !== null && pendingForMs >= settings.deadlineMs,
    paused: s.paused,
  };
}
