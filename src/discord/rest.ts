import { REST } from 'discord.js';
import type { DiscordConfig } from '../config';

/**
 * REST client for publishing from workers (no gateway needed). No retries and no waiting
 * inside: a 429 throws a RateLimitError and a 5xx an error, so the publish job decides
 * (delay without spending an attempt, or backoff) and nothing blocks a worker slot.
 */
export function createDiscordRest(config: DiscordConfig): REST {
  return new REST({ api: config.apiBaseUrl, retries: 0, rejectOnRateLimit: () => true, timeout: 15_000 }).setToken(config.token);
}
