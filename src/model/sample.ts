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
  /** Transactions in this block (the length of its `transactions`, from the same answer). */
  txCount?: number;
  gasUsed?: number;
  gasLimit?: number;
  /** `eth_chainId`, when this poll asked for it (every few minutes per endpoint). */
  chainId?: number;
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
  /** The classified summary in chainwatch's words (see `failureSummary`): safe to show in public. */
  message: string;
  /** What the provider said, for the logs only (redacted, no control characters); never published. */
  detail?: string;
}

export type HeadSample = HeadOk | HeadFailure;

/** Well-known JSON-RPC error codes (JSON-RPC 2.0 and EIP-1474), in words. */
const RPC_CODES: Record<number, string> = {
  [-32700]: 'parse error',
  [-32600]: 'invalid request',
  [-32601]: 'method not supported',
  [-32602]: 'invalid params',
  [-32603]: 'internal error',
  [-32000]: 'server error',
  [-32001]: 'resource not found',
  [-32002]: 'resource unavailable',
  [-32003]: 'transaction rejected',
  [-32004]: 'method not supported',
  [-32005]: 'limit exceeded',
};

/**
 * A failure in chainwatch's own words: what may be shown in public about a provider's error.
 * The provider's text never is (it can carry keys, markup or terminal escapes): it goes to the
 * logs only, redacted.
 */
export function failureSummary(kind: FailureKind, status?: number | null): string {
  switch (kind) {
    case 'timeout':
      return 'request timed out';
    case 'http': {
      const what =
        status === 429 ? 'rate limited' : status === 401 || status === 403 ? 'refused' : status && status >= 500 ? 'server error' : null;
      return status ? `HTTP ${status}${what ? ` (${what})` : ''}` : 'HTTP error';
    }
    case 'rpc': {
      const what = status !== undefined && status !== null ? RPC_CODES[status] : undefined;
      return status !== undefined && status !== null ? `RPC error ${status}${what ? ` (${what})` : ''}` : 'RPC error';
    }
    case 'malformed':
      return 'not a valid answer';
    case 'unreachable':
      return 'connection failed';
  }
}
