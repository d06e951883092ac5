import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startChainwatch, type Running } from '../../src/app/start';
import type { AppConfig, DiscordConfig } from '../../src/config';
import { createLogger } from '../../src/util/log';
import { startAnvil, type Anvil } from '../support/anvil';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/fake-discord';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL } from '../support/pipeline';

/**
 * The whole path with the real discord.js REST client against the fake Discord API: a halt on
 * a real anvil chain becomes one root message with a role ping and a thread; recovery and
 * resolution are thread messages; the root embed is edited; the thread is archived. Discord
 * answers 429 and 500 on the way, and nothing is posted twice.
 */
let anvil: Anvil;
let fake: FakeDiscord;
let running: Running;
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  fake = await startFakeDiscord();
  const discord: DiscordConfig = {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiBaseUrl: fake.apiBase,
    channels: { default: '200', networks: { 'discord-it': '201' } },
    pingRoleId: '300',
    moderatorRoleIds: ['400'],
    archiveAfterMs: 1000,
  };
  const network = testNetwork({
    name: 'discord-it',
    displayName: 'Discord IT',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: { pollIntervalMs: 250, requestTimeoutMs: 1000, stallMs: 2500, resolveAfterMs: 1500, safeLagBlocks: null },
  });
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 4 },
    networks: [network],
    discord,
  };
  running = await startChainwatch(config, { role: 'all', log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
});

after(async () => {
  await running?.stop();
  await fake?.stop();
  await anvil?.stop();
  await deleteKeys(prefix);
});

/** The first recorded request that satisfies `pred`, waiting for it. */
async function request(pred: (r: RecordedRequest) => boolean, timeoutMs: number, what: string): Promise<RecordedRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = fake.requests.find(pred);
    if (hit) return hit;
    if (Date.now() > deadline)
      throw new Error(`no ${what} within ${timeoutMs} ms; saw ${fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a halt becomes one pinged root message with a thread, updated until it is resolved and archived', async () => {
  await new Promise((r) => setTimeout(r, 1500));
  // Discord is rate limiting and then failing when the incident opens.
  fake.failNext({ method: 'POST', path: /^\/channels\/201\/messages$/ }, { status: 429, retryAfterSec: 1 }, 1);
  fake.failNext({ method: 'POST', path: /^\/channels\/201\/messages$/ }, { status: 500 }, 1);
  await anvil.halt();
  const root = await request((r) => r.method === 'POST' && r.path === '/channels/201/messages' && r.status === 200, 15_000, 'root message');
  const body = root.body as Record<string, any>;
  assert.equal(body.content, '<@&300>');
  assert.deepEqual(body.allowed_mentions, { parse: [], roles: ['300'] });
  assert.match(body.embeds[0].title, /Discord IT: Block production halted/);
  assert.equal(body.enforce_nonce, true);
  assert.equal(typeof body.nonce, 'string');
  // The incident picture rides along: files[0] is a PNG the embed shows.
  assert.equal(root.files?.[0]?.signature, 'png');
  assert.deepEqual([root.files?.[0]?.width, root.files?.[0]?.height], [1200, 675]);
  assert.equal(body.embeds[0].image.url, 'attachment://incident.png');
  const thread = await request((r) => r.method === 'POST' && /^\/channels\/201\/messages\/\d+\/threads$/.test(r.path), 5000, 'thread');
  const rootId = fake.messagesIn('201')[0]!.id;
  assert.equal(thread.path, `/channels/201/messages/${rootId}/threads`);

  await anvil.resume(1);
  await request((r) => r.method === 'PATCH' && r.path === `/channels/${rootId}`, 20_000, 'archive');

  assert.equal(fake.messagesIn('201').length, 1, 'one root message despite the 429 and the 500');
  const inThread = fake.messagesIn(rootId);
  const labels = inThread.map((m) => /^\*\*([^*]+)\*\*/.exec(m.content)?.[1]);
  assert.deepEqual(labels, ['Recovering', 'Resolved']);
  for (const r of fake.requests.filter((q) => q.method === 'POST' && q.path === `/channels/${rootId}/messages`)) {
    assert.deepEqual((r.body as any).allowed_mentions, { parse: [] }, 'thread messages never ping');
  }
  const edits = fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/201/messages/${rootId}`);
  assert.ok(edits.length >= 2, 'the root embed follows the status');
  const last = edits.at(-1)!.body as any;
  assert.match(JSON.stringify(last.embeds[0]), /Resolved/);
  assert.deepEqual(last.components, [], 'no buttons on a resolved incident');
  assert.equal(last.content, undefined, 'an edit never re-pings');
  // The resolution redraws the picture and replaces the first one.
  assert.equal(edits.at(-1)!.files?.[0]?.signature, 'png');
  assert.deepEqual(
    last.attachments.map((a: { id: number }) => a.id),
    [0],
  );
  const rootNow = fake.messagesIn('201')[0]!;
  assert.equal(rootNow.attachments.length, 1);
  assert.equal(rootNow.embeds[0]!.image?.url, rootNow.attachments[0]!.url);
  const archive = fake.requests.find((r) => r.method === 'PATCH' && r.path === `/channels/${rootId}`)!;
  assert.deepEqual(archive.body, { archived: true });
  assert.ok(
    fake.requests.every((r) => r.path.startsWith('/interactions') || r.path.startsWith('/webhooks') || r.authorized),
    'every REST call carried the bot token',
  );
});

test('the bot process connected to the gateway with the configured REST base', () => {
  assert.equal(fake.sessions.length, 1);
  assert.equal(fake.sessions[0]!.token, fake.token);
  assert.ok(fake.requests.some((r) => r.path === '/gateway/bot'));
  assert.equal(fake.messagesIn('200').length, 0, 'the network has its own channel; the default one stays quiet');
});
