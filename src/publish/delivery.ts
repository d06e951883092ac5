/**
 * Every delivery result is classified once (Alertmanager's retrier keeps a table of retryable
 * codes; its Discord notifier never retries a 429 — this does):
 * - ok: delivered;
 * - retry: transient (5xx, 408, network failure): BullMQ backoff;
 * - retry-after: rate limited: wait what the platform said, without spending an attempt;
 * - fatal: retrying cannot help (400 bad payload, 401 bad token, 403 missing permission,
 *   404 unknown channel): the event is recorded as failed and delivery moves on, so one bad
 *   event neither blocks the thread nor keeps sending invalid requests (Discord bans IPs that
 *   send 10,000 of those in 10 minutes).
 */
export type Delivery = { kind: 'ok' } | { kind: 'retry' } | { kind: 'retry-after'; ms: number } | { kind: 'fatal'; reason: string };

/**
 * The shortest wait before a delivery is tried again (a rate limit's `retry_after` of 0, a
 * contended lock): short enough not to delay a post, long enough not to spin on Redis.
 */
export const MIN_RETRY_DELAY_MS = 250;

/** `status` null: no HTTP answer at all (connection refused, reset, timeout). */
export function classifyDelivery(status: number | null, retryAfterMs?: number | null): Delivery {
  if (status === null) return { kind: 'retry' };
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status === 429) return { kind: 'retry-after', ms: Math.max(MIN_RETRY_DELAY_MS, Math.ceil(retryAfterMs ?? 1000)) };
  if (status === 408 || status === 425 || status >= 500) return { kind: 'retry' };
  const reason: Record<number, string> = {
    400: 'bad request (payload refused)',
    401: 'unauthorized (check the token)',
    403: 'forbidden (missing permission)',
    404: 'not found (unknown channel or message)',
  };
  return { kind: 'fatal', reason: reason[status] ?? `HTTP ${status}` };
}

/** Thrown by a publisher: the generic publish job maps it to BullMQ (delay, backoff, fail). */
export class DeliveryError extends Error {
  constructor(
    readonly delivery: Exclude<Delivery, { kind: 'ok' }>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}
