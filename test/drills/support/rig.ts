/**
 * What every drill shares: the fakes of Discord and X in the test process, a config file that
 * points the real processes at them, and readers that count what arrived where.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationCommandOptionType as T } from 'discord.js';
import { Redis } from 'ioredis';
import { type Incident, type IncidentEvent, keyspace, type Publication, type Sink } from '../../../src/model';
import { IncidentStore } from '../../../src/store/incidents';
import { nonceFor } from '../../../src/discord/publisher';
import { PublicationStore } from '../../../src/store/publications';
import { deleteByPrefix } from '../../../src/queue/delete-prefix';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord';
import { startFakeX, type FakeX } from '../../support/fake-x';
import type { Anvil } from '../../support/anvil';
import { killAll, type RoleProcess } from './processes';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MOD_ROLE = '400';
export const ALERTS_CHANNEL = '200';
export const MODERATOR = { userId: '5002', username: 'mod-bob', roles: [MOD_ROLE] };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Drill progress on stderr (the node test runner shows it beside the result). */
export function say(drill: string, line: string): void {
  process.stderr.write(`[drill ${drill}] ${line}\n`);
}

/** `nonceWindowMs`: how long fake Discord remembers a nonce (Discord: "the past few minutes"). */
export async function startFakes(opts: { nonceWindowMs?: number } = {}): Promise<{ discord: FakeDiscord; x: FakeX }> {
  const discord = await startFakeDiscord({ guild: { roles: [{ id: MOD_ROLE, name: 'Moderators' }] }, ...opts });
  const x = await startFakeX();
  return { discord, x };
}

/**
 * Every drill's `after`: its processes stopped (then any left killed, whole groups), the
 * observer closed (its keys deleted unless `keepKeys`: a private Redis is thrown away whole),
 * the fakes' outages ended and the fakes and anvil stopped. Parts a failed `before` never made
 * are skipped.
 */
export async function tearDownDrill(parts: {
  procs: readonly RoleProcess[];
  observer?: Observer;
  fakes?: { discord: FakeDiscord; x: FakeX };
  anvil?: Anvil;
  keepKeys?: boolean;
}): Promise<void> {
  parts.fakes?.discord.setFaults(null);
  parts.fakes?.x.setFaults(null);
  for (const p of parts.procs) await p.stop(5000).catch(() => undefined);
  killAll();
  await parts.observer?.close(!parts.keepKeys);
  await parts.fakes?.discord.stop();
  await parts.fakes?.x.stop();
  await parts.anvil?.stop();
}

export interface ConfigSpec {
  redisUrl: string;
  prefix: string;
  /** One network's YAML (a flow mapping). */
  network: string;
  discord?: FakeDiscord;
  x?: { fake: FakeX; maxPostsPerIncident?: number; minUpdateInterval?: string };
  concurrency?: number;
}

/** Writes the config file every process of a drill reads. */
export function writeConfig(spec: ConfigSpec): string {
  const lines = [
    `redis: { url: "${spec.redisUrl}", prefix: ${spec.prefix} }`,
    `log: { level: warn }`,
    `worker: { concurrency: ${spec.concurrency ?? 4} }`,
    `networks:`,
    `  - ${spec.network}`,
  ];
  if (spec.discord) {
    const d = spec.discord;
    lines.push(
      `discord:`,
      `  applicationId: "${d.applicationId}"`,
      `  guildId: "${d.guildId}"`,
      `  apiBaseUrl: "${d.apiBase}"`,
      `  channels: { default: "${ALERTS_CHANNEL}" }`,
      `  moderatorRoleIds: ["${MOD_ROLE}"]`,
      `  archiveAfter: 1h`,
    );
  }
  if (spec.x) {
    lines.push(
      `x:`,
      `  apiBaseUrl: "${spec.x.fake.baseUrl}"`,
      `  account: ${spec.x.fake.account.username}`,
      `  maxPostsPerIncident: ${spec.x.maxPostsPerIncident ?? 6}`,
      `  minUpdateInterval: ${spec.x.minUpdateInterval ?? '20m'}`,
      `  incidentLink: "https://status.example.org/incidents/{id}"`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'chainwatch-drill-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The secrets the processes read from the environment (never from the file). */
export function drillEnv(fakes: { discord?: FakeDiscord; x?: FakeX }, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { LOG_LEVEL: 'warn', X_BEARER_TOKEN: '', NODE_ENV: 'development', ...extra };
  if (fakes.discord) env.DISCORD_TOKEN = fakes.discord.token;
  if (fakes.x) {
    Object.assign(env, {
      X_APP_KEY: fakes.x.appKey,
      X_APP_SECRET: fakes.x.appSecret,
      X_ACCESS_TOKEN: fakes.x.account.accessToken,
      X_ACCESS_SECRET: fakes.x.account.accessSecret,
    });
  }
  return env;
}

/** Reads incidents, timelines and publications straight from Redis. */
export class Observer {
  readonly redis: Redis;
  readonly store: IncidentStore;
  readonly publications: PublicationStore;

  constructor(
    url: string,
    readonly prefix: string,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: null });
    this.redis.on('error', () => undefined); // a drill restarts Redis on purpose
    const keys = keyspace(prefix);
    this.store = new IncidentStore(this.redis, keys);
    this.publications = new PublicationStore(this.redis, keys);
  }

  async incidentIds(network: string): Promise<string[]> {
    return this.redis.zrange(keyspace(this.prefix).networkIncidents(network), '0', '-1');
  }

  async current(network: string): Promise<Incident | null> {
    return (await this.store.readState(network))?.incident ?? null;
  }

  async waitForIncident(network: string, pred: (i: Incident) => boolean, timeoutMs: number, what: string): Promise<Incident> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const inc = await this.current(network);
      if (inc && pred(inc)) return inc;
      if (Date.now() > deadline)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; incident: ${inc ? `${inc.id} ${inc.status} ${inc.severity} seq ${inc.seq}` : 'none'}`,
        );
      await sleep(200);
    }
  }

  /** Until every sink's cursor reached the incident's last event (and it is closed). */
  async waitDelivered(
    incidentId: string,
    sinks: Sink[],
    timeoutMs: number,
  ): Promise<{ incident: Incident; pubs: Record<string, Publication> }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const incident = await this.store.getIncident(incidentId);
      const pubs: Record<string, Publication> = {};
      for (const s of sinks) pubs[s] = await this.publications.read(s, incidentId);
      const closed = incident && (incident.status === 'resolved' || incident.status === 'dismissed');
      if (incident && closed && sinks.every((s) => pubs[s]!.cursor >= incident.seq)) return { incident, pubs };
      if (Date.now() > deadline) {
        const at = sinks.map((s) => `${s} ${pubs[s]!.cursor}`).join(', ');
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for delivery of ${incidentId}: status ${incident?.status}, seq ${incident?.seq}, cursors ${at}`,
        );
      }
      await sleep(250);
    }
  }

  async close(cleanup = true): Promise<void> {
    try {
      if (cleanup) await deleteByPrefix(this.redis, this.prefix);
    } finally {
      await this.store.close().catch(() => undefined);
      this.redis.disconnect();
    }
  }
}

/** Timeline of one incident, checked gap-free and in order: seqs 1..n, once each. */
export function assertGapFree(timeline: IncidentEvent[]): void {
  assert.deepEqual(
    timeline.map((e) => e.seq),
    timeline.map((_, i) => i + 1),
    'timeline seqs are 1..n, each once',
  );
  assert.equal(timeline[0]?.type, 'opened');
}

export interface DiscordCount {
  roots: number;
  threadMessages: number;
  /** seq of each thread message in thread order (null: a message no event explains). */
  order: (number | null)[];
}

/**
 * Discord got the incident once: one root message in the alerts channel (nonce "root"), and in
 * its thread one message per later event (nonce "e<seq>"), each once, in timeline order.
 */
export function assertDiscordOnceInOrder(fake: FakeDiscord, incidentId: string, timeline: IncidentEvent[], threadId: string): DiscordCount {
  const roots = fake.messagesIn(ALERTS_CHANNEL).filter((m) => m.nonce === nonceFor(incidentId, 'root'));
  assert.equal(roots.length, 1, 'one root message');
  assert.equal(roots[0]!.id, threadId, 'the thread hangs off the root');
  const bySeq = new Map(timeline.map((e) => [nonceFor(incidentId, `e${e.seq}`), e.seq]));
  const thread = fake.messagesIn(threadId);
  const order = thread.map((m) => bySeq.get(String(m.nonce)) ?? null);
  const expected = timeline.filter((e) => e.seq > 1).map((e) => e.seq);
  assert.deepEqual(order, expected, `thread messages = events 2..${timeline.length}, once each, in order`);
  return { roots: roots.length, threadMessages: thread.length, order };
}

export interface XCount {
  posts: number;
  texts: string[];
}

/** X got one root and a chain of replies, each once, each replying to the one before. */
export function assertXChain(fake: FakeX, incidentId: string, pub: Publication, maxPosts: number): XCount {
  const posts = fake.timeline(); // one fake X per drill, one incident on it
  assert.ok(posts.length >= 1, 'a root post');
  assert.equal(posts[0]!.inReplyTo, undefined, 'the root replies to nothing');
  assert.match(posts[0]!.text, new RegExp(`incidents/${incidentId}`), 'the root links to the incident');
  for (let i = 1; i < posts.length; i++) assert.equal(posts[i]!.inReplyTo, posts[i - 1]!.id, `post ${i + 1} replies to post ${i}`);
  assert.equal(new Set(posts.map((p) => p.text)).size, posts.length, 'no text posted twice');
  assert.equal(pub.ids.rootPostId, posts[0]!.id, 'the recorded root is the only root');
  assert.equal(pub.ids.lastPostId, posts.at(-1)!.id, 'the recorded last post is the chain end');
  assert.equal(Number(pub.ids.posted), posts.length, 'recorded post count = posts at X');
  assert.ok(posts.length <= maxPosts, `${posts.length} posts, at most ${maxPosts}`);
  assert.match(posts.at(-1)!.text, /^Resolved/, 'the chain ends with the resolution');
  return { posts: posts.length, texts: posts.map((p) => p.text) };
}

/** A moderator's `/incident update` through the bot process (gateway → bot → ActionService). */
export async function moderatorUpdate(fake: FakeDiscord, incidentId: string, text: string, timeoutMs = 15_000): Promise<void> {
  const options = [
    {
      name: 'update',
      type: T.Subcommand,
      options: [
        { name: 'incident', type: T.String, value: incidentId },
        { name: 'text', type: T.String, value: text },
      ],
    },
  ] as never;
  const { token } = await fake.interact({ kind: 'command', name: 'incident', options, member: MODERATOR });
  const edit = await fake.waitForRequest(
    { method: 'PATCH', path: new RegExp(`^/webhooks/${fake.applicationId}/${token}/messages/@original$`) },
    timeoutMs,
  );
  assert.equal(edit.status, 200, 'the bot answered the moderator');
}

/** Until the bot process has a gateway session. */
export async function waitForBot(fake: FakeDiscord, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fake.sessions.length === 0) {
    if (Date.now() > deadline) throw new Error('the bot never connected to the fake gateway');
    await sleep(100);
  }
  // READY then GUILD_CREATE: give discord.js a moment to mark the guild available.
  await sleep(500);
}
