// The bot on several gateway shards: the real discord.js client (its own sharding through
// @discordjs/ws), started as `chainwatch start --role bot` starts it, against the fake Discord
// whose guilds sit on different shards by Discord's formula (guild_id >> 22) % count.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { WebSocket } from 'ws';
import { startChainwatch, type Running } from '../../../src/app/start';
import { parseConfig } from '../../../src/config';
import { startBot } from '../../../src/discord/bot/bot';
import type { BotContext } from '../../../src/discord/bot/context';
import { type FakeDiscord, guildIdOnShard, shardOf, startFakeDiscord } from '../../support/fake-discord';
import { deleteKeys, REDIS_URL } from '../../support/pipeline';

type LogLine = { level: number; msg: string; shard?: number; shards?: unknown; shardCount?: number; [k: string]: unknown };
const WARN = 40;

/** Channel ids: 200 in the first guild (shard 0), 30k in the guild placed on shard k of 4. */
const channelOnShard = (k: number) => (k === 0 ? '200' : `30${k}`);
const member = { userId: '5001', username: 'alice' };

async function waitUntil<T>(probe: () => T | undefined | false, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = probe();
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function capture(): { log: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { log: pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }), lines };
}

/** The YAML an operator writes, through the real config parser. */
function config(fake: FakeDiscord, prefix: string, shards: string, env: Record<string, string> = {}) {
  const yaml = `
redis: { url: "${REDIS_URL}", prefix: ${prefix} }
networks:
  - { name: megaeth, chain: megaeth }
discord:
  apiBaseUrl: ${fake.apiBase}
  channels: { default: "200" }
${shards ? `  shards: ${shards}\n` : ''}`;
  return parseConfig(yaml, { DISCORD_TOKEN: fake.token, ...env });
}

describe('discord shards', () => {
  let fake: FakeDiscord;
  const prefixes: string[] = [];
  const running: Running[] = [];
  let fourShards: { lines: LogLine[] } | undefined;

  before(async () => {
    // Guild 100 (shard 0 of any count) and one guild on each of shards 1..3 of 4; with 2 shards they
    // fall on k % 2. The fake recommends 2 shards; 4 may identify at once (max_concurrency).
    const guilds = [1, 2, 3].map((k) => ({ id: guildIdOnShard(k, 4), textChannels: [{ id: channelOnShard(k), name: `alerts-${k}` }] }));
    fake = await startFakeDiscord({ guilds, shards: 2, maxConcurrency: 4 });
    for (const [k, g] of guilds.entries()) assert.equal(shardOf(g.id, 4), k + 1, 'the guild ids land where the test needs them');
  });
  after(async () => {
    for (const r of running) await r.stop();
    await fake?.stop();
    for (const p of prefixes) await deleteKeys(p);
  });

  async function startBotRole(shards: string, env: Record<string, string> = {}) {
    const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
    prefixes.push(prefix);
    const { log, lines } = capture();
    const started = Date.now();
    const r = await startChainwatch(config(fake, prefix, shards, env), { role: 'bot', log });
    running.push(r);
    return { running: r, lines, startedMs: Date.now() - started };
  }

  /** An interaction in `channelId` reaches the shard of its guild, and the bot answers it (deferred, then edited). */
  async function answeredOn(channelId: string): Promise<number[]> {
    const { id, token, shards } = await fake.interact({ kind: 'command', name: 'status', member, channelId });
    const callback = await waitUntil(
      () => fake.interactions.get(id)?.callback,
      5000,
      () => `the callback of /status in ${channelId}`,
    );
    assert.deepEqual(callback, { type: 5, data: { flags: 64 } });
    const edit = `/webhooks/${fake.applicationId}/${token}/messages/@original`;
    await fake.waitForRequest({ method: 'PATCH', path: new RegExp(`^${edit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }, 5000);
    return shards;
  }

  const connectedShards = () =>
    fake
      .shardSessions()
      .filter((s) => s.connected)
      .map((s) => s.shard)
      .sort((a, b) => a[0] - b[0]);

  test('shards: 4 runs four shards in one process; an interaction on each shard is answered', async () => {
    const bot = await startBotRole('4');
    fourShards = bot;
    assert.deepEqual(connectedShards(), [
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    for (const k of [0, 1, 2, 3]) assert.deepEqual(await answeredOn(channelOnShard(k)), [k], `delivered on shard ${k} only`);
    const connecting = bot.lines.find((l) => l.msg === 'Discord bot connecting');
    assert.deepEqual([connecting?.shards, connecting?.shardCount], [[0, 1, 2, 3], 4]);
    const ready = await waitUntil(
      () => bot.lines.find((l) => l.msg === 'Discord bot connected'),
      5000,
      () => 'the ready log',
    );
    assert.deepEqual([ready.shards, ready.shardCount, ready.guilds], [[0, 1, 2, 3], 4, 4]);
    const perShard = bot.lines.filter((l) => l.msg === 'Discord shard ready').map((l) => l.shard);
    assert.deepEqual(perShard.sort(), [0, 1, 2, 3]);
    console.log(`# 4 shards: login took ${bot.startedMs} ms`);
  });

  test('a dropped shard is logged, resumes, and answers again; the others stayed up', async () => {
    const lines = fourShards!.lines;
    const session = () => fake.shardSessions().find((s) => s.connected && s.shard[0] === 1 && s.shard[1] === 4);
    const before = session()!;
    assert.ok(before, 'shard 1 of 4 is connected');
    assert.equal(fake.dropShard(1), 1);
    const droppedAt = Date.now();
    const resumed = await waitUntil(
      () => fake.shardSessions().find((s) => s.sessionId === before.sessionId && s.connected && s.resumes === before.resumes + 1),
      10_000,
      () => `shard 1 to resume; sessions: ${JSON.stringify(fake.shardSessions())}`,
    );
    assert.deepEqual(resumed.shard, [1, 4]);
    console.log(`# shard 1 resumed ${Date.now() - droppedAt} ms after its connection was cut`);
    assert.deepEqual(await answeredOn(channelOnShard(1)), [1]);
    assert.equal(connectedShards().length, 4);
    const dropped = lines.filter((l) => l.msg === 'Discord shard disconnected; reconnecting');
    assert.deepEqual(
      dropped.map((l) => [l.shard, l.level]),
      [[1, WARN]],
    );
    await waitUntil(
      () => lines.find((l) => l.msg === 'Discord shard resumed' && l.shard === 1),
      5000,
      () => 'the resumed log',
    );
  });

  test('shards: auto takes the count GET /gateway/bot recommends, through apiBaseUrl', async () => {
    for (const r of running.splice(0)) await r.stop();
    const from = fake.requests.length;
    const bot = await startBotRole('auto');
    assert.ok(
      fake.requests.slice(from).some((r) => r.method === 'GET' && r.path === '/gateway/bot'),
      'asked the fake, not discord.com',
    );
    assert.deepEqual(connectedShards(), [
      [0, 2],
      [1, 2],
    ]);
    assert.deepEqual(await answeredOn(channelOnShard(1)), [1]);
    assert.deepEqual(await answeredOn(channelOnShard(2)), [0]);
    const ready = await waitUntil(
      () => bot.lines.find((l) => l.msg === 'Discord bot connected'),
      5000,
      () => 'the ready log',
    );
    assert.deepEqual([ready.shards, ready.shardCount], [[0, 1], 2]);
  });

  test('two processes with ids 0-1 and 2-3 of 4: each connects only its shards; together they answer every guild', async () => {
    for (const r of running.splice(0)) await r.stop();
    const a = await startBotRole('{ count: 4, ids: [0, 1] }');
    assert.deepEqual(connectedShards(), [
      [0, 4],
      [1, 4],
    ]);
    await assert.rejects(answeredOn(channelOnShard(2)), /no connected session of the shard for guild \d+; connected shards: 0\/4, 1\/4/);
    assert.deepEqual(await answeredOn(channelOnShard(1)), [1]);
    const connecting = a.lines.find((l) => l.msg === 'Discord bot connecting');
    assert.deepEqual([connecting?.shards, connecting?.shardCount], [[0, 1], 4]);
    // The second process, its ids from the environment as a range.
    await startBotRole('{ count: 4, ids: "${SHARD_IDS}" }', { SHARD_IDS: '2-3' });
    assert.deepEqual(
      connectedShards().map(([id]) => id),
      [0, 1, 2, 3],
    );
    for (const k of [0, 1, 2, 3]) assert.deepEqual(await answeredOn(channelOnShard(k)), [k]);
  });
});

describe('discord shards: Discord requires more', () => {
  test('one shard for two guilds where Discord allows one per shard: a clear error naming discord.shards; auto connects', async () => {
    const fake = await startFakeDiscord({
      guilds: [{ id: guildIdOnShard(1, 2), textChannels: [{ id: '301', name: 'alerts-1' }] }],
      shards: 2,
      maxConcurrency: 2,
      maxGuildsPerShard: 1,
    });
    try {
      const base = { ...config(fake, 'unused', '1').discord! };
      const { log, lines } = capture();
      const noCtx = {} as BotContext;
      await assert.rejects(
        startBot(base, noCtx, new Map(), log),
        /Discord closed gateway shard 0 \(code 4011\): sharding required: .* set discord\.shards to auto or a larger count/,
      );
      assert.ok(lines.some((l) => l.msg === 'Discord shard closed for good' && l.code === 4011 && l.level > WARN));
      const bot = await startBot({ ...base, shards: 'auto' }, noCtx, new Map(), log);
      assert.deepEqual([...bot.client.ws.shards.keys()], [0, 1]);
      await bot.stop();
      assert.ok(!lines.some((l) => l.msg === 'Discord shard disconnected; reconnecting'), 'no reconnect warning on stop');
    } finally {
      await fake.stop();
    }
  });
});

describe('fake gateway shards (raw WebSocket, the wire format)', () => {
  type Frame = { op: number; t: string | null; d: Record<string, unknown> | null };
  /** IDENTIFYs with `shard` and collects frames until `count` dispatches or a close. */
  async function identify(fake: FakeDiscord, shard: unknown, count: number): Promise<{ frames: Frame[]; closed?: number }> {
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const frames: Frame[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`saw only ${JSON.stringify(frames.map((f) => f.t ?? f.op))}`)), 5000);
      const done = (closed?: number) => {
        clearTimeout(timer);
        ws.close();
        resolve({ frames, ...(closed ? { closed } : {}) });
      };
      ws.on('message', (raw) => {
        const f = JSON.parse(raw.toString()) as Frame;
        if (f.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard } }));
        if (f.op !== 0) return;
        frames.push(f);
        if (frames.length === count) done();
      });
      ws.on('close', (code) => done(code));
    });
  }

  test("READY per shard lists that shard's guilds and carries `shard`; GUILD_CREATE only for them; a bad shard closes 4010", async () => {
    const onOne = guildIdOnShard(1, 4);
    const fake = await startFakeDiscord({ guilds: [{ id: onOne }, { id: guildIdOnShard(2, 4) }], shards: 4 });
    try {
      const res = await fetch(`${fake.apiBase}/v10/gateway/bot`, { headers: { authorization: `Bot ${fake.token}` } });
      const info = (await res.json()) as { shards: number; session_start_limit: { max_concurrency: number } };
      assert.deepEqual([info.shards, info.session_start_limit.max_concurrency], [4, 1]);
      const { frames } = await identify(fake, [1, 4], 2);
      assert.deepEqual(
        frames.map((f) => f.t),
        ['READY', 'GUILD_CREATE'],
      );
      assert.deepEqual(frames[0]!.d!.shard, [1, 4]);
      assert.deepEqual(frames[0]!.d!.guilds, [{ id: onOne, unavailable: true }]);
      assert.equal(frames[1]!.d!.id, onOne);
      const zero = await identify(fake, [0, 4], 2);
      assert.deepEqual(zero.frames[0]!.d!.guilds, [{ id: fake.guildId, unavailable: true }]);
      for (const bad of [[4, 4], [0, 0], [-1, 4], 'x']) assert.equal((await identify(fake, bad, 1)).closed, 4010, JSON.stringify(bad));
    } finally {
      await fake.stop();
    }
  });
});
