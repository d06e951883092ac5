/**
 * Maps whatever a viem request threw to a FailureKind. Pure: no I/O, no clock.
 *
 * Matching is by error `name` and fields rather than `instanceof`, so errors from another
 * copy of viem (or a test double) classify the same way. What viem 2.57 throws, from
 * src/utils/rpc/http.ts and src/utils/buildRequest.ts:
 * - no answer in time: TimeoutError;
 * - non-2xx: HttpRequestError with `status`, or RpcRequestError with `status` when the
 *   body is a JSON-RPC error object (then possibly wrapped, e.g. LimitExceededRpcError);
 * - 200 with a JSON-RPC error: RpcRequestError (code), often wrapped in a class per code;
 * - 200 whose body is not JSON: HttpRequestError without status, cause SyntaxError;
 * - refused/reset/DNS: HttpRequestError without status, cause TypeError "fetch failed"
 *   whose own cause carries the system code (ECONNREFUSED, UND_ERR_SOCKET, ...).
 */
import { failureSummary, type FailureKind } from '../model';
import { safeUpstreamText } from '../util/redact';

export interface ClassifiedRpcError {
  kind: FailureKind;
  /** HTTP status for `http`, JSON-RPC error code for `rpc`. */
  status?: number;
  /**
   * The classified summary, in chainwatch's own words ("HTTP 503 (server error)", "request timed
   * out"): what may be shown in public. Never the provider's text.
   */
  message: string;
  /**
   * What the provider said, for the logs only: one line, URLs and key-like tokens redacted,
   * control characters removed, cut short. Absent when it said nothing useful.
   */
  detail?: string;
}

/**
 * A JSON-RPC answer whose `id` is not the request's (viem does not check): the answer may be
 * another request's, so it says nothing about this one.
 */
export class ResponseIdMismatchError extends Error {
  override readonly name = 'ResponseIdMismatchError';
  constructor() {
    super('JSON-RPC response id does not match the request');
  }
}

/** Upstream text kept for the logs. */
const MAX_DETAIL_CHARS = 200;
/** Cause chains are short; the bound only guards against cycles. */
const MAX_CAUSE_DEPTH = 8;
/** viem's RpcError code for "not a JSON-RPC error" (UnknownRpcError). */
const UNKNOWN_RPC_CODE = -1;

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  details?: unknown;
  message?: unknown;
  cause?: unknown;
  /** A WebSocket ErrorEvent (ws, isows) carries the system error here, not in `cause`. */
  error?: unknown;
};

export function classifyRpcError(err: unknown): ClassifiedRpcError {
  const chain = causeChain(err);
  if (chain.some((e) => e.name === 'TimeoutError')) return { kind: 'timeout', message: failureSummary('timeout') };
  if (chain.some((e) => e.name === 'ResponseIdMismatchError'))
    return { kind: 'malformed', message: 'JSON-RPC response id does not match the request' };

  const withStatus = chain.find((e) => (e.name === 'HttpRequestError' || e.name === 'RpcRequestError') && typeof e.status === 'number');
  if (withStatus) {
    const status = withStatus.status as number;
    return withDetail({ kind: 'http', status, message: failureSummary('http', status) }, detailOf(withStatus));
  }

  const rpc = chain.find(isJsonRpcError);
  if (rpc) {
    const code = rpc.code as number;
    return withDetail({ kind: 'rpc', status: code, message: failureSummary('rpc', code) }, detailOf(rpc));
  }

  if (chain.some((e) => e.name === 'SyntaxError')) {
    return { kind: 'malformed', message: 'response body is not JSON' };
  }
  if (chain.some((e) => e.name === 'ResponseBodyTooLargeError')) {
    return { kind: 'malformed', message: 'response body too large' };
  }
  return unreachable(chain);
}

function withDetail(c: ClassifiedRpcError, upstream: string): ClassifiedRpcError {
  const detail = safeUpstreamText(upstream, MAX_DETAIL_CHARS);
  return detail ? { ...c, detail } : c;
}

function causeChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = err;
  while (chain.length < MAX_CAUSE_DEPTH && current !== null && typeof current === 'object') {
    const e = current as ErrorLike;
    chain.push(e);
    current = e.cause ?? e.error;
  }
  if (chain.length === 0) chain.push({ message: String(err) });
  return chain;
}

/** A JSON-RPC error object, or a viem error carrying its code (not viem's -1 placeholder). */
function isJsonRpcError(e: ErrorLike): boolean {
  if (typeof e.code !== 'number') return false;
  return !(e.code === UNKNOWN_RPC_CODE && e.name === 'UnknownRpcError');
}

/**
 * viem's `message` lists the URL and request body, so only `details` (the server's own
 * words) or a plain error's message is used, and even those are redacted.
 */
function detailOf(e: ErrorLike): string {
  if (typeof e.details === 'string' && e.details) return e.details;
  if (typeof e.message === 'string' && !('shortMessage' in e)) return e.message;
  return '';
}

function unreachable(chain: ErrorLike[]): ClassifiedRpcError {
  // The deepest system code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET) says the most and
  // carries no host name. Only a code of capitals is taken as one: it is shown in public.
  const coded = [...chain].reverse().find((e) => typeof e.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(e.code));
  if (coded) return { kind: 'unreachable', message: `connection failed (${coded.code as string})` };
  const deepest = chain[chain.length - 1] as ErrorLike & { shortMessage?: unknown };
  const text = typeof deepest.shortMessage === 'string' ? deepest.shortMessage : detailOf(deepest);
  return withDetail({ kind: 'unreachable', message: 'connection failed' }, text);
}
