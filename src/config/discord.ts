/**
 * The `discord:` section. The bot token is never in the file: it is read from the environment
 * variable `tokenEnv` names (default DISCORD_TOKEN), or from the file `<tokenEnv>_FILE` names.
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import type { Secrets } from './secrets';
import { strict, type Path, type RawIssue } from './zod-helpers';

export interface DiscordConfig {
  token: string;
  /**
   * The application (client) id: Developer Portal → your application → General Information →
   * Application ID. Optional: null means "ask Discord" (GET /applications/@me with the bot token).
   */
  applicationId: string | null;
  /** deploy-commands registers per guild when set (instant), else globally. */
  guildId: string | null;
  /** REST base, e.g. https://discord.com/api or an @discordjs/proxy; the gateway is found through it. */
  apiBaseUrl: string;
  channels: { default: string; networks: Record<string, string> };
  /** Pinged (only) when an incident opens publicly. */
  pingRoleId: string | null;
  /** Members with one of these roles, or the Manage Server permission, are moderators. */
  moderatorRoleIds: string[];
  /** Resolved and dismissed threads are archived this long after closing. */
  archiveAfterMs: number;
  /** Attach the incident picture to the root message (default true). */
  images?: boolean;
}

const snowflake = z.string().regex(/^\d{1,20}$/, 'must be a Discord id (digits; quote it in YAML)');

export const DiscordSchema = strict({
  applicationId: snowflake.optional(),
  guildId: snowflake.optional(),
  apiBaseUrl: z.string().url('not a URL').optional(),
  tokenEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  token: z.never({ error: 'the bot token is read from the environment (DISCORD_TOKEN), never from the file' }).optional(),
  channels: strict({ default: snowflake, networks: z.record(z.string(), snowflake).optional() }),
  pingRoleId: snowflake.optional(),
  moderatorRoleIds: z.array(snowflake).max(50).optional(),
  archiveAfter: z.unknown().optional(),
  images: z.boolean().optional(),
});

export const DEFAULT_DISCORD_API = 'https://discord.com/api';
const DEFAULT_ARCHIVE_AFTER_MS = 24 * 3600_000;

export function resolveDiscord(
  input: z.output<typeof DiscordSchema>,
  networkNames: readonly string[],
  secrets: Secrets,
  issues: RawIssue[],
): DiscordConfig | undefined {
  const at: Path = ['discord'];
  const before = issues.length;
  const tokenEnv = input.tokenEnv ?? 'DISCORD_TOKEN';
  const token = secrets.get(tokenEnv);
  if (!token) issues.push({ path: at, message: `${secrets.why(tokenEnv)}: the bot token is read from the environment only` });
  for (const name of Object.keys(input.channels.networks ?? {})) {
    if (!networkNames.includes(name)) issues.push({ path: [...at, 'channels', 'networks', name], message: 'no network of that name' });
  }
  const archiveAfterMs = input.archiveAfter === undefined ? DEFAULT_ARCHIVE_AFTER_MS : parseDuration(input.archiveAfter);
  if (archiveAfterMs === undefined || archiveAfterMs > 30 * 24 * 3600_000)
    issues.push({ path: [...at, 'archiveAfter'], message: 'not a duration of at most 30 days' });
  if (issues.length > before) return undefined;
  return {
    token: token!,
    applicationId: input.applicationId ?? null,
    guildId: input.guildId ?? null,
    apiBaseUrl: (input.apiBaseUrl ?? DEFAULT_DISCORD_API).replace(/\/+$/, ''),
    channels: { default: input.channels.default, networks: input.channels.networks ?? {} },
    pingRoleId: input.pingRoleId ?? null,
    moderatorRoleIds: input.moderatorRoleIds ?? [],
    archiveAfterMs: archiveAfterMs!,
    images: input.images ?? true,
  };
}
