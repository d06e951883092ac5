/**
 * The `discord:` section. The bot token is never in the file: it is read from the environment
 * variable `tokenEnv` names (default DISCORD_TOKEN), or from the file `<tokenEnv>_FILE` names.
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import type { Secrets } from './secrets';
import { didYouMean, strict, type Path, type RawIssue } from './zod-helpers';

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
  /**
   * `operators`: where chainwatch tells its operators about itself (its own blindness), never a
   * public channel; absent: the log line only.
   */
  channels: { default: string; networks: Record<string, string>; operators?: string };
  /** Pinged (only) when an incident opens publicly. */
  pingRoleId: string | null;
  /** Members with one of these roles, or the Manage Server permission, are moderators. */
  moderatorRoleIds: string[];
  /** Resolved and dismissed threads are archived this long after closing. */
  archiveAfterMs: number;
  /** Attach the incident picture to the root message (default true). */
  images?: boolean;
  /** The gateway shards this bot process runs; absent means 'auto'. */
  shards?: ShardPlan;
}

/**
 * `auto`: as many shards as Discord recommends (GET /gateway/bot, through `apiBaseUrl`), all in
 * this process. `{ count, ids }`: this process runs only `ids` of `count`, so that several
 * processes share the bot; every one of them must be given the same `count`.
 */
export type ShardPlan = 'auto' | { count: number; ids: number[] };
/** A typo guard: 16,384 shards of at most 2,500 guilds is far beyond any bot. */
export const MAX_SHARDS = 16_384;

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
  channels: strict({ default: snowflake, networks: z.record(z.string(), snowflake).optional(), operators: snowflake.optional() }),
  pingRoleId: snowflake.optional(),
  moderatorRoleIds: z.array(snowflake).max(50).optional(),
  archiveAfter: z.unknown().optional(),
  images: z.boolean().optional(),
  shards: z.unknown().optional(),
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
  const shards = input.shards === undefined ? undefined : resolveShards(input.shards, [...at, 'shards'], issues);
  if (issues.length > before) return undefined;
  return {
    token: token!,
    applicationId: input.applicationId ?? null,
    guildId: input.guildId ?? null,
    apiBaseUrl: (input.apiBaseUrl ?? DEFAULT_DISCORD_API).replace(/\/+$/, ''),
    channels: {
      default: input.channels.default,
      networks: input.channels.networks ?? {},
      ...(input.channels.operators ? { operators: input.channels.operators } : {}),
    },
    pingRoleId: input.pingRoleId ?? null,
    moderatorRoleIds: input.moderatorRoleIds ?? [],
    archiveAfterMs: archiveAfterMs!,
    images: input.images ?? true,
    ...(shards ? { shards } : {}),
  };
}

/** A whole number >= 0, or a string of digits (what `${VAR}` gives). */
const whole = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/** `shards: auto | <count> | { count, ids }`; ids a list or a string of ranges ("0-1", "0,2-3") for `${VAR}`. */
function resolveShards(raw: unknown, at: Path, issues: RawIssue[]): ShardPlan | undefined {
  if (raw === 'auto') return 'auto';
  const form = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  const count = whole(form ? form.count : raw);
  const countAt = form ? [...at, 'count'] : at;
  const before = issues.length;
  for (const key of Object.keys(form ?? {}).filter((k) => k !== 'count' && k !== 'ids'))
    issues.push({ path: [...at, key], message: `unknown key${didYouMean(key, ['count', 'ids'])}` });
  if (form && form.count === undefined)
    issues.push({ path: countAt, message: 'required: every process of the bot must use the same count' });
  else if (count === undefined || count < 1 || count > MAX_SHARDS) {
    const range = `from 1 to ${MAX_SHARDS}`;
    issues.push({
      path: countAt,
      message: form ? `must be a whole number ${range}` : `must be auto, a number of shards ${range}, or { count, ids }`,
    });
  }
  if (issues.length > before) return undefined;
  if (!form || form.ids === undefined) return { count: count!, ids: Array.from({ length: count! }, (_, i) => i) };
  const ids = shardIds(form.ids, count!, [...at, 'ids'], issues);
  return ids && { count: count!, ids };
}

/** One list item or comma-separated part: an id, or an inclusive range "lo-hi". */
function idRange(item: unknown): [number, number] | undefined {
  const range = typeof item === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(item) : null;
  const [lo, hi] = range ? [Number(range[1]), Number(range[2])] : [whole(item), whole(item)];
  return lo !== undefined && hi !== undefined && lo <= hi ? [lo, hi] : undefined;
}

function shardIds(raw: unknown, count: number, at: Path, issues: RawIssue[]): number[] | undefined {
  const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : [];
  if (items.length === 0) {
    issues.push({ path: at, message: 'must list shard ids, e.g. [0, 1], or ranges such as "0-1" or "0,2-3"' });
    return undefined;
  }
  const ids = new Set<number>();
  for (const [i, item] of items.entries()) {
    const where = typeof raw === 'string' ? at : [...at, i];
    const range = idRange(item);
    if (!range || range[1] >= count) {
      const message = !range
        ? `item ${i + 1} is not a shard id or a range such as 0-1`
        : `shard ${range[1]} does not exist: ids run from 0 to count - 1 (${count - 1})`;
      issues.push({ path: where, message, plain: !range ? message : 'no such shard: ids run from 0 to count - 1' });
      return undefined;
    }
    for (let id = range[0]; id <= range[1]; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}
