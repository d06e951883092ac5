/**
 * What one poll of one endpoint saw. A failed poll is a HeadSample of a failure kind,
 * never a throw: the detectors reason about failures as evidence.
 */

/** A block as far as reorg tracking needs it. */
export interface BlockRef {
  number: number;
  hash: string;
  parentHash: string;
  /** Block timestamp in seconds (as the chain reports it). */
  timestamp: number;
}

/**
 * A head as chainwatch saw it: the block an endpoint (or the network) was at, and when that
 * was observed. The one head shape of the tree: places that need less take a `Pick` of it.
 */
export interface Head {
  number: number;
  hash: string;
  /** Block timestamp in seconds. */
  timestamp: number;
  /** Wall-clock ms of the sample that carried it. */
  observedAt: number;
}

export interface HeadOk extends BlockRef {
  ok: true;
  network: string;
  /** Endpoint label (never the URL: URLs may carry API keys). */
  endpoint: string;
  /** Wall-clock ms when the answer arrived. */
  observedAt: number;
  latencyMs: number;
  /** `safe` / `finalized` block numbers where the chain serves those tags. */
  safe?: number;
  finalized?: number;
  /**
   * Blocks below this head fetched to settle a suspected reorg, newest first
   * (head.parentHash first). Only present when the detectors asked for them.
   */
  ancestors?: BlockRef[];
}

/**
 * timeout: no answer within the request timeout; http: non-2xx status;
 * rpc: a JSON-RPC error object; malformed: an answer that is not a valid block;
 * unreachable: connection refused, reset or DNS failure (no HTTP status at all).
 */
export type FailureKind = 'timeout' | 'http' | 'rpc' | 'malformed' | 'unreachable';

export interface HeadFailure {
  ok: false;
  network: string;
  endpoint: string;
  observedAt: number;
  latencyMs: number;
  kind: FailureKind;
  /** HTTP status for `http`, JSON-RPC error code for `rpc`. */
  status?: number;
  /** Short, redacted reason (no URLs). */
  message: string;
}

export type HeadSample = HeadOk | HeadFailure;
