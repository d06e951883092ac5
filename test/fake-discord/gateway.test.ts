// The fake gateway at the wire level, with a raw WebSocket client (no discord.js).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import type { APIChatInputApplicationCommandGuildInteraction } from 'discord-api-types/v10';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord';

type Frame = { op: number; s: number | null; t: string | null; d: Record<string, unknown> | null | boolean };

/** A raw gateway connection that queues frames so a test can await them in order. */
function connect(url: string): { ws: WebSocket; next: () => Promise<Frame>; closed: Promise<number> } {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const waiting: ((f: Frame) => void)[] = [];
  ws.on('message', (raw) => {
    const f = JSON.parse(raw.toString()) as Frame;
    const w = waiting.shift();
    if (w) w(f);
    else frames.push(f);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const next = () =>
    new Promise<Frame>((resolve) => {
      const f = frames.shift();
      if (f) resolve(f);
      else waiting.push(resolve);
    });
  return { ws, next, closed };
}

describe('fake gateway (raw WebSocket)', () => {
  let fake: FakeDiscord;
  const url = () => `${fake.gatewayUrl}?v=10&encoding=json`;

  before(async () => {
    fake = await startFakeDiscord({ interactionDeadlineMs: 50, guild: { id: '111', textChannels: [{ id: '222', name: 'ops' }] } });
  });
  after(() => fake.stop());

  test('HELLO, heartbeat ACK, IDENTIFY -> READY + GUILD_CREATE with increasing s', async () => {
    const c = connect(url());
    assert.deepEqual(await c.next(), { op: 10, s: null, t: null, d: { heartbeat_interval: 41250 } });
    c.ws.send(JSON.stringify({ op: 1, d: null }));
    assert.equal((await c.next()).op, 11);
    c.ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }));
    const ready = await c.next();
    assert.equal(ready.t, 'READY');
    assert.equal(ready.s, 1);
    const d = ready.d as Record<string, unknown>;
    assert.equal((d.user as { id: string }).id, fake.botUserId);
    assert.deepEqual(d.guilds, [{ id: '111', unavailable: true }]);
    assert.equal(d.resume_gateway_url, fake.gatewayUrl);
    const guild = await c.next();
    assert.equal(guild.t, 'GUILD_CREATE');
    assert.equal(guild.s, 2);
    const g = guild.d as {
      id: string;
      roles: { id: string; name: string }[];
      channels: { id: string; type: number }[];
      members: { user: { id: string } }[];
    };
    assert.equal(g.id, '111');
    assert.equal(g.roles[0]?.id, '111'); // @everyone has the guild's id
    assert.deepEqual(
      g.channels.map((ch) => [ch.id, ch.type]),
      [['222', 0]],
    );
    assert.equal(g.members[0]?.user.id, fake.botUserId);
    c.ws.close();
    await c.closed;
  });

  test('INTERACTION_CREATE payload; answering after the 3 s deadline (50 ms here) is 10062', async () => {
    const c = connect(url());
    await c.next(); // HELLO
    c.ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }));
    await c.next();
    await c.next(); // READY, GUILD_CREATE
    const { id, token } = await fake.interact({
      kind: 'command',
      name: 'incident',
      member: { userId: '42', roles: [] },
      options: [{ name: 'who', type: 6, value: '43' }],
    });
    const frame = await c.next();
    assert.equal(frame.t, 'INTERACTION_CREATE');
    const i = frame.d as unknown as APIChatInputApplicationCommandGuildInteraction;
    assert.equal(i.id, id);
    assert.equal(i.token, token);
    assert.equal(i.type, 2);
    assert.equal(i.version, 1);
    assert.equal(i.guild_id, '111');
    assert.equal(i.channel_id, '222');
    assert.equal(i.channel?.id, '222');
    assert.equal(i.member.user.id, '42');
    assert.equal(typeof i.member.permissions, 'string');
    assert.deepEqual(i.authorizing_integration_owners, { 0: '111' });
    assert.equal(i.data.name, 'incident');
    assert.equal(i.data.resolved?.users?.['43']?.id, '43');
    await new Promise((r) => setTimeout(r, 80));
    const res = await fetch(`${fake.apiBase}/v10/interactions/${id}/${token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 5 }),
    });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { message: 'Unknown interaction', code: 10062 });
    c.ws.close();
    await c.closed;
  });

  test('bad token closes 4004; unknown RESUME gets op 9; wrong version closes 4012', async () => {
    const bad = connect(url());
    await bad.next();
    bad.ws.send(JSON.stringify({ op: 2, d: { token: 'nope', intents: 0, properties: {} } }));
    assert.equal(await bad.closed, 4004);
    assert.ok(fake.sessions.some((s) => s.token === 'nope'));

    const resume = connect(url());
    await resume.next();
    resume.ws.send(JSON.stringify({ op: 6, d: { token: fake.token, session_id: 'unknown', seq: 3 } }));
    assert.deepEqual(await resume.next(), { op: 9, s: null, t: null, d: false });
    resume.ws.close();
    await resume.closed;

    const old = connect(`${fake.gatewayUrl}?v=9&encoding=json`);
    assert.equal(await old.closed, 4012);
  });
});
