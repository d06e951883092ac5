// In-memory state of the fake Discord: ids, channels, messages, interactions, commands and the
// request log. REST handlers mutate it; the gateway reads it to build READY/GUILD_CREATE.
import { randomBytes } from 'node:crypto';
import type { APIApplicationCommand, APIApplicationCommandInteractionDataOption, APIMessage } from 'discord-api-types/v10';
import { Faults, type FaultScript as BaseFaultScript, type HeldRequest } from '../faults';

/** https://discord.com/developers/docs/reference#snowflakes : ms since 2015-01-01 << 22. */
const DISCORD_EPOCH = 1420070400000n;
let lastMs = 0n;
let increment = 0n;
export function snowflake(now = Date.now()): string {
  let ms = BigInt(now) - DISCORD_EPOCH;
  if (ms <= lastMs) ms = lastMs; // keep ids strictly increasing even if the clock stalls
  increment = ms === lastMs ? (increment + 1n) & 0xfffn : 0n;
  if (ms === lastMs && increment === 0n) ms += 1n; // 4096 ids in one ms: borrow the next ms
  lastMs = ms;
  return ((ms << 22n) | (1n << 17n) | increment).toString();
}

/** Discord sends ISO 8601 timestamps with microseconds and an explicit offset. */
export function isoTimestamp(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

export function randomToken(prefix: string): string {
  return Buffer.from(`${prefix}:${randomBytes(24).toString('hex')}`).toString('base64url');
}

export interface FakeGuildSpec {
  id?: string;
  name?: string;
  roles?: { id: string; name: string; permissions?: string }[];
  textChannels?: { id: string; name: string }[];
}

/** The message object the fake answered with (`nonce` included when the create carried one). */
export type FakeMessage = APIMessage & { nonce?: string | number };

export interface FakeChannel {
  id: string;
  type: number; // ChannelType: 0 GUILD_TEXT, 11 PUBLIC_THREAD
  name?: string;
  parentId?: string;
  guildId: string;
  topic?: string | null;
  archived?: boolean;
  locked?: boolean;
  autoArchiveDuration?: number;
  archiveTimestamp?: string;
  createdAt: number;
  lastMessageId?: string | null;
  messages: FakeMessage[];
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** What the bytes are (magic numbers), whatever the part claimed. */
  signature?: 'png' | 'jpeg' | 'gif' | 'webp' | null;
  /** From a PNG's IHDR. */
  width?: number;
  height?: number;
  data?: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Without the `/api/v10` prefix, e.g. `/channels/200/messages`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or the `payload_json` part of a multipart body; undefined when there was none. */
  body: unknown;
  files?: RecordedFile[];
  /** Lower-cased; `authorization` is redacted. */
  headers: Record<string, string>;
  /** The Authorization header was exactly `Bot <token>`. */
  authorized: boolean;
  at: number;
  status: number;
}

export interface FakeInteraction {
  id: string;
  token: string;
  type: 2 | 3 | 4;
  payload: Record<string, unknown>;
  channelId: string;
  createdAt: number;
  /** Body of the initial response (POST .../callback), once acknowledged. */
  callback?: { type: number; data?: Record<string, unknown> };
  /** Message behind `@original`: the response message, or the component's message for type 6/7. */
  originalMessageId?: string;
  followupIds: string[];
}

export interface RequestMatch {
  method?: string;
  path: RegExp;
}

export type FailAnswer =
  | { status: 429; retryAfterSec: number; global?: boolean; scope?: 'user' | 'global' | 'shared'; code?: number }
  | { status: 500 | 502 | 503 }
  | { status: number; code: number; message: string };

export type FaultScript = BaseFaultScript<FailAnswer>;
export type { HeldRequest };

export type CommandOption = APIApplicationCommandInteractionDataOption;

export function matches(m: RequestMatch, method: string, path: string): boolean {
  return (!m.method || m.method.toUpperCase() === method.toUpperCase()) && m.path.test(path);
}

export interface StateOptions {
  token: string;
  applicationId: string;
  botUserId: string;
  guild: FakeGuildSpec;
  /** More guilds the bot is in, beside `guild` (ids picked by a test to land on chosen shards). */
  guilds: FakeGuildSpec[];
  interactionDeadlineMs: number;
  nonceWindowMs: number;
  /** GET /gateway/bot `shards`: the shard count Discord recommends. */
  shards: number;
  /** `session_start_limit.max_concurrency`: shards that may IDENTIFY in the same 5 s. */
  maxConcurrency: number;
  /** A session with more guilds than this is closed with 4011 Sharding required (Discord: 2,500). */
  maxGuildsPerShard: number;
}

type Waiter = { match: RequestMatch; after: number; resolve: (r: RecordedRequest) => void };
/** Gateway hook: REST handlers announce events; the gateway filters by intents and sends. */
export type Dispatcher = (t: string, d: unknown) => void;

/** One guild the bot is in; @everyone's role id is the guild's id, as on Discord. */
export interface FakeGuild {
  id: string;
  name: string;
  roles: { id: string; name: string; permissions: string }[];
}

export class FakeState {
  /** The first guild's id, name and roles (most tests need one guild only). */
  readonly guildId: string;
  readonly guildName: string;
  readonly roles: { id: string; name: string; permissions: string }[];
  /** Every guild, the first one first. */
  readonly guilds: FakeGuild[];
  readonly botRoleId = snowflake();
  readonly ownerId = snowflake();
  readonly channels = new Map<string, FakeChannel>();
  /** Every message by id, including ephemeral interaction responses (not listed in a channel). */
  readonly messageIndex = new Map<string, FakeMessage>();
  /** `${channelId}:${authorId}:${nonce}` -> message id and creation time, for `enforce_nonce`. */
  readonly nonces = new Map<string, { messageId: string; at: number }>();
  readonly interactions = new Map<string, FakeInteraction>();
  /** Application commands by scope: 'global' or a guild id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly requests: RecordedRequest[] = [];
  readonly faults = new Faults<RequestMatch, FailAnswer>(matches);
  readonly joinedAt = isoTimestamp();
  /** Set once the server listens; GET /gateway/bot and READY hand it out. */
  gatewayUrl = '';
  /** Accepted IDENTIFYs, counted against `session_start_limit` as Discord does. */
  sessionStarts = 0;
  dispatch: Dispatcher = () => {};
  private waiters: Waiter[] = [];

  constructor(readonly opts: StateOptions) {
    const defaultTexts = [
      { id: '200', name: 'alerts' },
      { id: '201', name: 'alerts-2' },
    ];
    const specs = [{ ...opts.guild, id: opts.guild.id ?? '100', textChannels: opts.guild.textChannels ?? defaultTexts }, ...opts.guilds];
    this.guilds = [];
    specs.forEach((g, i) => this.guilds.push(this.addGuild(g, i)));
    const first = this.guilds[0]!;
    this.guildId = first.id;
    this.guildName = first.name;
    this.roles = first.roles;
  }

  private addGuild(spec: FakeGuildSpec, index: number): FakeGuild {
    const id = spec.id ?? snowflake();
    // The shard of a guild comes from its id's bits, so it must be a snowflake.
    if (!/^\d{1,20}$/.test(id)) throw new Error(`fake-discord: guild id ${id} is not a snowflake`);
    if (this.guilds.some((g) => g.id === id)) throw new Error(`fake-discord: guild ${id} given twice`);
    const guild = {
      id,
      name: spec.name ?? (index === 0 ? 'chainwatch-test' : `chainwatch-test-${index}`),
      roles: (spec.roles ?? []).map((r) => ({ ...r, permissions: r.permissions ?? '0' })),
    };
    for (const t of spec.textChannels ?? [{ id: snowflake(), name: 'general' }]) {
      if (this.channels.has(t.id)) throw new Error(`fake-discord: channel ${t.id} given twice`);
      this.channels.set(t.id, { id: t.id, type: 0, name: t.name, guildId: id, createdAt: Date.now(), messages: [] });
    }
    return guild;
  }

  guild(id: string): FakeGuild | undefined {
    return this.guilds.find((g) => g.id === id);
  }

  record(r: RecordedRequest): void {
    this.requests.push(r);
    const index = this.requests.length - 1;
    this.waiters = this.waiters.filter((w) => {
      if (index < w.after || !matches(w.match, r.method, r.path)) return true;
      w.resolve(r);
      return false;
    });
  }

  waitForRequest(match: RequestMatch, timeoutMs = 5000, after = 0): Promise<RecordedRequest> {
    const found = this.requests.slice(after).find((r) => matches(match, r.method, r.path));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.requests.slice(after).map((r) => `${r.method} ${r.path} -> ${r.status}`);
        reject(
          new Error(`fake-discord: no ${match.method ?? '*'} ${match.path} within ${timeoutMs} ms; saw: ${seen.join(', ') || 'nothing'}`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        after,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Adds a message to a channel (or only to the index when ephemeral) and keeps last_message_id. */
  storeMessage(channel: FakeChannel | undefined, message: FakeMessage, listed = true): void {
    this.messageIndex.set(message.id, message);
    if (channel && listed) {
      channel.messages.push(message);
      channel.lastMessageId = message.id;
    }
  }

  findMessage(channelId: string, messageId: string): FakeMessage | undefined {
    return this.channels.get(channelId)?.messages.find((m) => m.id === messageId);
  }

  interactionByToken(token: string): FakeInteraction | undefined {
    for (const i of this.interactions.values()) if (i.token === token) return i;
    return undefined;
  }

  commandIdByName(name: string, guildId = this.guildId): { id: string; guildId?: string } | undefined {
    const guildCmd = this.commands.get(guildId)?.find((c) => c.name === name);
    if (guildCmd) return { id: guildCmd.id, guildId };
    const globalCmd = this.commands.get('global')?.find((c) => c.name === name);
    return globalCmd ? { id: globalCmd.id } : undefined;
  }
}
