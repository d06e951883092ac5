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
import type { FailureKind } from '../model';
import { redactUrls } from '../util/redact';

export interface ClassifiedRpcError {
  kind: FailureKind;
  /** HTTP status for `http`, JSON-RPC error code for `rpc`. */
  status?: number;
  /** Short and redacted: never contains a URL (RPC URLs can carry API keys). */
  message: string;
}

const MAX_MESSAGE_CHARS = 160;
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
  if (chain.some((e) => e.name === 'TimeoutError')) return { kind: 'timeout', message: 'request timed out' };

  const withStatus = chain.find((e) => (e.name === 'HttpRequestError' || e.name === 'RpcRequestError') && typeof e.status === 'number');
  if (withStatus) {
    const status = withStatus.status as number;
    return { kind: 'http', status, message: shorten(`HTTP ${status}`, detailOf(withStatus)) };
  }

  const rpc = chain.find(isJsonRpcError);
  if (rpc) {
    const code = rpc.code as number;
    return { kind: 'rpc', status: code, message: shorten(`RPC error ${code}`, detailOf(rpc)) };
  }

  if (chain.some((e) => e.name === 'SyntaxError')) {
    return { kind: 'malformed', message: 'response body is not JSON' };
  }
  if (chain.some((e) => e.name === 'ResponseBodyTooLargeError')) {
    return { kind: 'malformed', message: 'response body too large' };
  }
  return { kind: 'unreachable', message: unreachableMessage(chain) };
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

function unreachableMessage(chain: ErrorLike[]): string {
  // The deepest system code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET) says the most and
  // carries no host name.
  const coded = [...chain].reverse().find((e) => typeof e.code === 'string' && e.code);
  if (coded) return `connection failed (${coded.code as string})`;
  const deepest = chain[chain.length - 1] as ErrorLike & { shortMessage?: unknown };
  const text = typeof deepest.shortMessage === 'string' ? deepest.shortMessage : detailOf(deepest);
  return shorten('connection failed', text);
}

function shorten(prefix: string, detail: string): string {
  const firstLine = redactUrls(detail.split('\n')[0] ?? '')
    .replace(/\s+/g, ' ')
    .replace(/^"|"$/g, '')
    .trim();
  const text = firstLine ? `${prefix}: ${firstLine}` : prefix;
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text;
}
