import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { classifyDelivery, DeliveryError } from '../publish/delivery';

/** Discord's answer codes that mean "already done": treat as success, not as failure. */
export const THREAD_ALREADY_CREATED = 160004;

/** discord.js REST errors -> one DeliveryError, classified once (src/publish/delivery.ts). */
export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) {
    return new DeliveryError(
      classifyDelivery(429, err.retryAfter) as DeliveryError['delivery'],
      `${what}: rate limited (${err.scope}, ${err.retryAfter} ms)`,
      { cause: err },
    );
  }
  if (err instanceof DiscordAPIError || err instanceof HTTPError) {
    const d = classifyDelivery(err.status);
    const code = err instanceof DiscordAPIError ? ` code ${err.code}` : '';
    if (d.kind === 'ok') return new DeliveryError({ kind: 'retry' }, `${what}: unexpected ${err.status}`, { cause: err });
    return new DeliveryError(d, `${what}: HTTP ${err.status}${code}: ${err.message}`, { cause: err });
  }
  // No HTTP answer: connection refused or reset, or the request timed out.
  return new DeliveryError({ kind: 'retry' }, `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
