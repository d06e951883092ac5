/**
 * The chain detectors' memory between polls. Plain JSON: it is stored in Redis between
 * polls and replayed from recordings, so no Map, bigint or class instances, and every
 * array has a stated bound (DESIGN.md: "every buffer, key and queue it owns is bounded").
 */
import type { Network } from '../../config/network';
import type { FailureKind, Head } from '../../model';
import type { ChainRhythm, ThroughputState } from '../learn';

/** Canonical blocks kept for reorg checks: deeper reorgs than this are reported with an unknown fork point. */
export const CANON_MAX = 128;
/** Replaced hashes remembered so a lagging endpoint still on one is not read as another reorg. */
export const ORPHANS_MAX = 256;
/** Timing points for slow_blocks; thinned to about `TIMING_PER_WINDOW` per window, hard cap here. */
export const TIMING_MAX = 256;
export const TIMING_PER_WINDOW = 120;
export const STATE_VERSION = 1;

export interface EndpointState {
  label: string;
  /** observedAt of the last sample folded (ok or failure): older or equal samples are ignored. */
  lastObservedAt: number;
  /** Whether the last folded sample was ok. */
  ok: boolean;
  latencyMs: number;
  /** Latest head this endpoint answered with; kept through failures. */
  head: Head | null;
  /** When `head` last changed (number or hash). */
  headChangedAt: number | null;
  /** Consecutive failed polls; an ok sample resets it. */
  failures: number;
  failingSince: number | null;
  /** The last failure of the current streak; null once an ok sample arrives. */
  lastFailure: { kind: FailureKind; status: number | null; message: string } | null;
  /**
   * When this endpoint's head last went above the network's best head: it saw the chain move
   * before anyone else had agreed on it. What the halt detector asks ("did any trusted endpoint
   * see the head advance?"). Absent in states written before quorum.
   */
  frontierAt?: number | null;
  /** The last `eth_chainId` answer and when it came (checked every few minutes). */
  chainId?: number | null;
  chainIdAt?: number | null;
  /**
   * Since when (and from which height, with the others where) this endpoint has claimed a head
   * no other endpoint has reached: a liar keeps claiming, an honest leader is caught up with.
   */
  ahead?: { number: number; since: number; othersAt: number } | null;
  /** Left out of the network's view: serving another chain, or claiming a chain nobody else sees. */
  excluded?: Exclusion | null;
}

/** Why an endpoint's answers are left out of the network's view (DESIGN.md principle 6). */
export type Exclusion =
  | { reason: 'wrong_chain'; since: number; chainId: number }
  | { reason: 'divergent'; since: number; why: 'unconfirmed' | 'future_timestamp'; claimed: number; othersAt: number | null };

export interface CanonBlock {
  number: number;
  hash: string;
  parentHash: string;
}

export interface TimingPoint {
  number: number;
  timestamp: number;
  observedAt: number;
}

export interface SafeObservation {
  safe: number;
  latest: number;
  observedAt: number;
  endpoint: string;
}

export interface ChainState {
  version: typeof STATE_VERSION;
  /** One entry per configured endpoint that has answered (bounded by `network.endpoints`). */
  endpoints: EndpointState[];
  /**
   * The network's head: the highest that a quorum of trusted endpoints reached (not the highest
   * anyone claims), lowered when a reorg replaces it or a liar is left out.
   */
  best: (Head & { endpoint: string }) | null;
  /** When a trusted endpoint last saw the head advance past the best (the halt detector's clock). */
  bestAdvanceAt: number | null;
  canon: {
    /** Canonical chain, ascending by number, may have gaps; at most CANON_MAX entries. */
    blocks: CanonBlock[];
    /** Hashes replaced by reorgs, oldest first; at most ORPHANS_MAX entries. */
    orphans: string[];
  };
  /** Best-head advances, ascending, thinned and pruned to the slow window; at most TIMING_MAX. */
  timing: TimingPoint[];
  /** Freshest sample that carried a `safe` number. */
  safe: SafeObservation | null;
  /** What this network normally does (learnt.ts); absent in states written before learning. ≤ ~3 KB. */
  learnt?: LearntState;
}

/** The learnt rhythm and throughput of a network (src/engine/learn), bounded by their own layouts. */
export interface LearntState {
  rhythm: ChainRhythm;
  throughput: ThroughputState;
  /** Fewest transactions any block seen carried (capped at 1): the system transaction, if every block has one. */
  minTx: number | null;
}

export function initialChainState(): ChainState {
  return {
    version: STATE_VERSION,
    endpoints: [],
    best: null,
    bestAdvanceAt: null,
    canon: { blocks: [], orphans: [] },
    timing: [],
    safe: null,
  };
}

/**
 * An answer older than this is no evidence about the present: with no fresh answer an
 * endpoint counts as neither healthy nor down (quorum before alarm: silence is not a halt).
 */
export function staleAfterMs(network: Network): number {
  return Math.max(network.thresholds.stallMs, 3 * network.thresholds.pollIntervalMs);
}

export function findEndpoint(state: ChainState, label: string): EndpointState | undefined {
  return state.endpoints.find((e) => e.label === label);
}

/** Latest sample ok, recent enough to speak for now, and not left out of the view. */
export function isHealthy(ep: EndpointState | undefined, network: Network, now: number): ep is EndpointState {
  return ep !== undefined && ep.ok && !ep.excluded && now - ep.lastObservedAt <= staleAfterMs(network);
}

/** Left out of the view (another chain, or a head nobody else reaches). */
export function isExcluded(ep: EndpointState | undefined): boolean {
  return !!ep?.excluded;
}

export function isDown(ep: EndpointState | undefined, network: Network): ep is EndpointState {
  return ep !== undefined && !ep.excluded && ep.failures >= network.thresholds.endpointDownFailures;
}

/** State of the endpoints still configured, in config order (one pass: networks may have many). */
export function configuredEndpoints(state: ChainState, network: Network): (EndpointState | undefined)[] {
  const byLabel = new Map(state.endpoints.map((e) => [e.label, e]));
  return network.endpoints.map((e) => byLabel.get(e.label));
}
