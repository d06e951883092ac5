/**
 * What the inclusion probe sees of the chain (src/chain/probe.ts reads it, src/engine/probe.ts
 * decides on it): its signed transactions, their receipts, and the nonces and fees of one tick.
 * Wei amounts are decimal strings, so every one of them is plain JSON (Redis, network state).
 */

export interface ProbeTx {
  hash: string;
  /** The signed transaction: a resend is the very same transaction, never a second one. */
  raw: string;
  maxFeeWei: string;
  tipWei: string;
  gas: string;
}

export type ProbeFees = Pick<ProbeTx, 'maxFeeWei' | 'tipWei' | 'gas'>;

export interface ProbeReceipt {
  hash: string;
  block: number;
  /** The including block's timestamp (s), when known. */
  blockTimestamp: number | null;
  /** gasUsed × effectiveGasPrice (+ an L1 data fee where the chain charges one). */
  costWei: string;
}

/** What the chain says this tick. */
export interface ProbeFacts {
  latestNonce: number;
  pendingNonce: number;
  /** The receipt of one of the in-flight versions, if the chain has it. */
  receipt: ProbeReceipt | null;
  head: number;
  /** The latest block's base fee; null on a chain without EIP-1559. */
  baseFeeWei: string | null;
  tipWei: string;
  /** What a zero-value transfer to itself needs (eth_estimateGas). */
  gas: string;
}

/** Replacements of one nonce at most (src/engine/probe.ts): a ledger holds at most this + 1 signed versions. */
export const PROBE_MAX_REPLACEMENTS = 3;

export interface ProbeInFlight {
  nonce: number;
  /** Every signed version of this nonce, first first; the last is the one (re)broadcast. */
  txs: ProbeTx[];
  /** First broadcast; null while signed but not yet sent (a crash in between resends it). */
  sentAt: number | null;
  /** The head when it was first sent: "blocks came meanwhile" counts from here. */
  sentHead: number | null;
  /** The last replacement: a late probe is replaced at most once per deadline. */
  replacedAt: number | null;
}

/** The prober's own record (Redis hash `keys.probe(network)`), so a restarted worker continues. */
export interface ProbeLedger {
  address: string;
  inFlight: ProbeInFlight | null;
  /** When the last probe was signed: the next is due `everyMs` later. */
  lastSentAt: number | null;
  /** UTC day (YYYY-MM-DD) that `spentWei` counts. */
  day: string;
  spentWei: string;
  /** The last problem logged ("budget:2026-12-01", "send:funds"): each is logged once, whatever the workers. */
  logged: string | null;
}
