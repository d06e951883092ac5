/**
 * Errors of the X adapters. twitter-api-v2's errors carry the raw request (`error.request`,
 * whose headers hold the Authorization value) and response; a logger that serializes them
 * would leak credentials. So adapters convert them to these plain errors at the boundary.
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';

export interface XRateLimit {
  limit: number;
  remaining: number;
  /** Unix seconds, as in `x-rate-limit-reset`. */
  reset: number;
}

/** Any failed X call: HTTP status (0 when the request never got an answer) and X's problem text. */
export class XApiError extends Error {
  override name = 'XApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly title: string | null,
    readonly detail: string | null,
    readonly rateLimit: XRateLimit | null,
  ) {
    super(message);
  }
}

/** 429: wait until `resetAt` (ms epoch, from `x-rate-limit-reset`) before calling again. */
export class XRateLimitedError extends XApiError {
  override name = 'XRateLimitedError';
  constructor(
    readonly resetAt: number,
    rateLimit: XRateLimit | null,
    message = `X rate limit hit; resets at ${new Date(resetAt).toISOString()}`,
  ) {
    super(message, 429, 'Too Many Requests', null, rateLimit);
  }
}

/** X refused a post identical to a recent one by the same account: it went out before. */
export class XDuplicateContentError extends XApiError {
  override name = 'XDuplicateContentError';
}

/** When no reset header came with a 429, wait this long. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

function rateLimitOf(e: ApiResponseError): XRateLimit | null {
  const rl = e.rateLimit;
  if (!rl || !Number.isFinite(rl.reset)) return null;
  return { limit: rl.limit, remaining: rl.remaining, reset: rl.reset };
}

/** Duplicate-content refusal of POST /2/tweets (v2: 403 + detail; v1.1: code 187). */
export function isDuplicateContent(e: unknown): boolean {
  if (e instanceof XDuplicateContentError) return true;
  if (!(e instanceof ApiResponseError)) return false;
  const detail = typeof e.data?.detail === 'string' ? e.data.detail : '';
  return (e.code === 403 && /duplicate content/i.test(detail)) || e.hasErrorCode(187);
}

/**
 * Converts a twitter-api-v2 error to an XApiError without request, headers or tokens.
 * `now` is only used for a 429 that came without `x-rate-limit-reset`.
 */
export function toXError(e: unknown, now: number): Error {
  if (e instanceof XApiError) return e;
  if (e instanceof ApiResponseError) {
    const rl = rateLimitOf(e);
    if (e.rateLimitError) {
      const resetAt = rl && rl.reset > 0 ? rl.reset * 1000 : now + DEFAULT_RATE_LIMIT_WAIT_MS;
      return new XRateLimitedError(resetAt, rl);
    }
    const title = typeof e.data?.title === 'string' ? e.data.title : null;
    const detail = typeof e.data?.detail === 'string' ? e.data.detail : null;
    const firstError = e.data?.errors?.[0] as { message?: unknown } | undefined;
    const message = typeof firstError?.message === 'string' ? firstError.message : (detail ?? title ?? 'request failed');
    const text = `X API ${e.code}: ${message}`;
    if (isDuplicateContent(e)) return new XDuplicateContentError(text, e.code, title, detail, rl);
    return new XApiError(text, e.code, title, detail, rl);
  }
  if (e instanceof ApiRequestError || e instanceof ApiPartialResponseError) {
    const cause: Error | undefined = e instanceof ApiRequestError ? e.requestError : e.responseError;
    return new XApiError(`X API request failed: ${cause?.message ?? e.message}`, 0, null, null, null);
  }
  if (e instanceof Error) return e;
  return new Error(String(e));
}
