// A local fake of Discord's REST API (v10) and gateway that the real discord.js Client and
// @discordjs/rest talk to on loopback. Point discord.js at it with
//   new Client({ intents, rest: { api: fake.apiBase } }); client.login(fake.token)
// (REST builds `${api}/v10${route}`; the gateway URL comes from GET /gateway/bot).
// Tests assert on `fake.requests`, the exact REST calls the code made.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway, shardOf, type ShardSession } from './gateway';
import { buildInteraction, type InteractionSpec, type MemberSpec } from './interactions';
import { buildMessage } from './messages';
import { member, user } from './payloads';
import { createRestHandler } from './rest';
import { appRoutes } from './routes-app';
import { channelRoutes } from './routes-channels';
import { interactionRoutes } from './routes-interactions';
import {
  type FailAnswer,
  type FakeChannel,
  type FakeGuildSpec,
  type FakeInteraction,
  type FakeMessage,
  FakeState,
  type FaultScript,
  type HeldRequest,
  type RecordedRequest,
  type RequestMatch,
} from './state';

export type {
  FailAnswer,
  FakeChannel,
  FakeGuildSpec,
  FakeInteraction,
  FakeMessage,
  FaultScript,
  HeldRequest,
  InteractionSpec,
  MemberSpec,
  RecordedRequest,
  RequestMatch,
  ShardSession,
};
export { shardOf };

export interface FakeDiscordOptions {
  applicationId?: string;
  botUserId?: string;
  guild?: FakeGuildSpec;
  /** The bot token the fake accepts (`Authorization: Bot <token>`, gateway IDENTIFY). Default 'test-token'. */
  token?: string;
  /** Initial interaction response deadline; Discord's is 3 s. */
  interactionDeadlineMs?: number;
  /** How long `enforce_nonce` remembers a nonce ("the past few minutes"). Default 2 minutes. */
  nonceWindowMs?: number;
  /** More guilds the bot is in; pick ids with `guildIdOnShard` to spread them over shards. */
  guilds?: FakeGuildSpec[];
  /** The shard count GET /gateway/bot recommends (`shards: auto`). Default 1. */
  shards?: number;
  /** `max_concurrency` of GET /gateway/bot: shards identifying at once (discord.js waits 5 s per turn). Default 1. */
  maxConcurrency?: number;
  /** More guilds than this on one shard closes its session with 4011 Sharding required. Default 2500, as Discord. */
  maxGuildsPerShard?: number;
}

export interface FakeDiscord {
  /** e.g. 'http://127.0.0.1:PORT/api': the value for discord.js `rest: { api }`. */
  apiBase: string;
  /** ws://127.0.0.1:PORT/gateway, as returned by GET /gateway/bot. */
  gatewayUrl: string;
  token: string;
  applicationId: string;
  botUserId: string;
  guildId: string;
  /** Every REST call, in the order answered. */
  requests: RecordedRequest[];
  /** Text channels and threads by id. */
  channels: Map<string, FakeChannel>;
  /** Interactions dispatched with `interact`, with the recorded callback. */
  interactions: Map<string, FakeInteraction>;
  messagesIn(channelId: string): FakeMessage[];
  /** Fault injection: the next `times` requests matching (method, path regex) get this answer instead. */
  failNext(match: RequestMatch, answer: FailAnswer, times?: number): void;
  /** Fault injection for minutes: `script` answers for every request (after failNext rules); null ends it. */
  setFaults(script: FaultScript | null): void;
  /**
   * The next request matching is carried out (a message is created) but its answer is withheld
   * for `ms` (default 60 s) or until released: a response lost or slow on the way back.
   * Resolves once that request has arrived.
   */
  hold(match: RequestMatch, ms?: number): Promise<HeldRequest>;
  /**
   * Gateway: dispatch INTERACTION_CREATE to the shard of the channel's guild; returns the
   * interaction id and token so tests can find the callback, and the shard ids it went to.
   * Throws when no session of that shard is connected.
   */
  interact(spec: InteractionSpec): Promise<{ id: string; token: string; shards: number[] }>;
  /** A community member posts in a channel: stored and dispatched as MESSAGE_CREATE (intents permitting). */
  userMessage(channelId: string, from: MemberSpec, content: string): FakeMessage;
  waitForRequest(match: RequestMatch, timeoutMs?: number, after?: number): Promise<RecordedRequest>;
  /** Sessions that IDENTIFYed (tokens seen, intents), accepted or not. */
  sessions: { token: string; intents: number }[];
  /** Sends op 7 RECONNECT to connected clients (they RESUME). */
  requestReconnect(): void;
  /** Identified sessions with their shard ([id, count]), whether connected, and RESUMEs. */
  shardSessions(): ShardSession[];
  /** Cuts one shard's connections without a close frame (a network failure); returns how many. */
  dropShard(shardId: number): number;
  stop(): Promise<void>;
}

/**
 * A guild id that Discord's formula puts on `shard` of `count`: the id's timestamp bits
 * ((id >> 22) % count) pick the shard. `n` makes several distinct ids for one shard.
 */
export function guildIdOnShard(shard: number, count: number, n = 0): string {
  return (((BigInt(count) * BigInt(1_000_000 + n) + BigInt(shard)) << 22n) | 1n).toString();
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const state = new FakeState({
    token: opts.token ?? 'test-token',
    applicationId: opts.applicationId ?? '900000000000000001',
    botUserId: opts.botUserId ?? opts.applicationId ?? '900000000000000001',
    guild: opts.guild ?? {},
    interactionDeadlineMs: opts.interactionDeadlineMs ?? 3000,
    nonceWindowMs: opts.nonceWindowMs ?? 120_000,
    guilds: opts.guilds ?? [],
    shards: opts.shards ?? 1,
    maxConcurrency: opts.maxConcurrency ?? 1,
    maxGuildsPerShard: opts.maxGuildsPerShard ?? 2500,
  });
  const handler = createRestHandler(state, [...channelRoutes(), ...interactionRoutes(), ...appRoutes()]);
  const server = createServer((req, res) => void handler(req, res));
  const gateway = new FakeGateway(state, server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    gatewayUrl: state.gatewayUrl,
    token: state.opts.token,
    applicationId: state.opts.applicationId,
    botUserId: state.opts.botUserId,
    guildId: state.guildId,
    requests: state.requests,
    channels: state.channels,
    interactions: state.interactions,
    sessions: gateway.identifies,
    messagesIn: (channelId) => state.channels.get(channelId)?.messages ?? [],
    failNext: (match, answer, times) => state.faults.failNext(match, answer, times),
    setFaults: (script) => state.faults.setScript(script),
    hold: (match, ms) => state.faults.hold(match, ms),
    waitForRequest: (match, timeoutMs, after) => state.waitForRequest(match, timeoutMs, after),
    async interact(spec) {
      const i = buildInteraction(state, spec);
      state.interactions.set(i.id, i);
      const shards = await gateway.dispatchAndFlush('INTERACTION_CREATE', i.payload);
      i.createdAt = Date.now(); // the 3 s deadline runs from delivery
      return { id: i.id, token: i.token, shards };
    },
    userMessage(channelId, from, content) {
      const ch = state.channels.get(channelId);
      if (!ch) throw new Error(`fake-discord: unknown channel ${channelId}`);
      const author = user(from.userId, from.username ?? `user${from.userId.slice(-4)}`);
      const message = buildMessage(state, ch.id, { content }, { author });
      state.storeMessage(ch, message);
      const { user: _u, ...partialMember } = member(state, author, from.roles ?? []);
      state.dispatch('MESSAGE_CREATE', { ...message, guild_id: ch.guildId, member: partialMember });
      return message;
    },
    requestReconnect: () => gateway.requestReconnect(),
    shardSessions: () => gateway.shardSessions(),
    dropShard: (shardId) => gateway.dropShard(shardId),
    async stop() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
