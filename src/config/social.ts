/** A network's `social:` section: how posts name it, where to read them, how to weigh them. */
import { z } from 'zod';
import type { NetworkSocial } from './network';
import { parseDuration } from './duration';
import { strict } from './zod-helpers';
import { DEFAULT_SOCIAL } from './defaults';

const snowflake = z.string().regex(/^\d{1,20}$/, 'must be a Discord channel id (digits; quote it in YAML)');

export const SocialSchema = strict({
  terms: z.array(z.string().min(1).max(60)).max(30).optional(),
  query: z.string().min(1).max(512, 'X allows at most 512 characters in a query').optional(),
  discordChannels: z.array(snowflake).max(50).optional(),
  window: z.unknown().optional(),
  minReporters: z.number().int().min(1).max(1000).optional(),
  reporterErrorRate: z.number().gt(0).lt(1).optional(),
  minConfidence: z.number().gt(0).lt(1).optional(),
  baselineFactor: z.number().min(1).max(1000).optional(),
});

export type SocialInput = z.output<typeof SocialSchema>;

/** Defaults from src/social/evidence.ts; `terms` empty means "derive from the network's names". */
export function resolveSocial(input: SocialInput | null | undefined): { social?: NetworkSocial; error?: { key: string; message: string } } {
  const windowMs = input?.window === undefined ? DEFAULT_SOCIAL.windowMs : parseDuration(input.window);
  if (windowMs === undefined || windowMs < 60_000 || windowMs > 24 * 3600_000)
    return { error: { key: 'window', message: 'not a duration from 1 minute to 24 hours' } };
  return {
    social: {
      terms: input?.terms ?? [],
      ...(input?.query ? { query: input.query } : {}),
      discordChannels: input?.discordChannels ?? [],
      windowMs,
      minReporters: input?.minReporters ?? DEFAULT_SOCIAL.minReporters,
      reporterErrorRate: input?.reporterErrorRate ?? DEFAULT_SOCIAL.reporterErrorRate,
      minConfidence: input?.minConfidence ?? DEFAULT_SOCIAL.minConfidence,
      baselineFactor: input?.baselineFactor ?? DEFAULT_SOCIAL.baselineFactor,
    },
  };
}
