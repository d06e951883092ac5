/**
 * X API errors -> one DeliveryError, classified once (src/publish/delivery.ts):
 * 429 waits until `x-rate-limit-reset`, 5xx and network failures are retried with backoff,
 * 401/403/400/404 are fatal. The duplicate-content 403 never gets here: the publisher looks the
 * earlier post up instead (see publisher.ts).
 */
import { classifyDelivery, DeliveryError } from '../publish/delivery';
import { toXError, XApiError, XRateLimitedError } from './errors';

/** `now`: the clock of the caller, for the wait until the reset. */
export function toDeliveryError(err: unknown, what: string, now: number): DeliveryError {
  if (err instanceof DeliveryError) return err;
  // toXError drops the request (and its Authorization header) from twitter-api-v2's errors.
  const x = toXError(err, now);
  if (x instanceof XRateLimitedError) {
    const d = classifyDelivery(429, x.resetAt - now) as DeliveryError['delivery'];
    return new DeliveryError(d, `${what}: rate limited until ${new Date(x.resetAt).toISOString()}`, { cause: x });
  }
  if (x instanceof XApiError) {
    const d = classifyDelivery(x.status === 0 ? null : x.status);
    if (d.kind === 'ok') return new DeliveryError({ kind: 'retry' }, `${what}: unexpected ${x.status}`, { cause: x });
    const delivery = d.kind === 'fatal' && x.detail ? { kind: 'fatal' as const, reason: `${d.reason}: ${x.detail.slice(0, 200)}` } : d;
    return new DeliveryError(delivery, `${what}: ${x.message}`, { cause: x });
  }
  // No HTTP answer of a known shape: treat as transient.
  return new DeliveryError({ kind: 'retry' }, `${what}: ${x.message}`, { cause: x });
}

/** X answered for certain that nothing was posted (so no in-flight marker needs keeping). */
export function refusedForCertain(err: DeliveryError): boolean {
  const cause = err.cause;
  return cause instanceof XApiError && cause.status >= 400 && cause.status < 500 && cause.status !== 408;
}
