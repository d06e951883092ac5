import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { GatewayIntentBits } from 'discord.js';
import { startChainwatch, type Running } from '../../../src/app/start';
import type { AppConfig } from '../../../src/config';
import type { NetworkState } from '../../../src/engine';
import { createLogger } from '../../../src/util/log';
import { startAnvil, type Anvil } from '../../support/anvil';
import { startFakeDiscord, type FakeDiscord } from '../../support/fake-discord';
import { testNetwork } from '../../support/network';
import { deleteKeys, REDIS_URL, waitUntil } from '../../support/pipeline';

/** Community channels read through the gateway (MESSAGE_CREATE) become social evidence. */
let fake: FakeDiscord;
let anvil: Anvil;
let running: Running;
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;

before(async () => {
  fake = await startFakeDiscord();
  anvil = await startAnvil({ blockTime: 1 });
  const network = testNetwork({
    name: 'megaeth',
    displayName: 'MegaETH',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: { pollIntervalMs: 500, safeLagBlocks: null },
  });
  network.social = {
    terms: ['MegaETH'],
    discordChannels: ['201'],
    windowMs: 600_000,
    minReporters: 3,
    reporterErrorRate: 0.4,
    minConfidence: 0.9,
    baselineFactor: 3,
  };
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 4 },
    networks: [network],
    discord: {
      token: fake.token,
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      apiBaseUrl: fake.apiBase,
      channels: { default: '200', networks: {} },
      pingRoleId: null,
      moderatorRoleIds: [],
      archiveAfterMs: 60_000,
    },
  };
  running = await startChainwatch(config, { role: 'all', log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  await waitUntil(() => fake.sessions.length > 0, 10_000, 'the bot on the gateway');
});

after(async () => {
  await running?.stop();
  await fake?.stop();
  await anvil?.stop();
  await deleteKeys(prefix);
});

test('the bot asks for message content only because community channels are configured', () => {
  const intents = fake.sessions[0]!.intents;
  assert.ok(intents & GatewayIntentBits.GuildMessages && intents & GatewayIntentBits.MessageContent);
});

test('members reporting trouble in the community channel open a suspected incident; chatter does not', async () => {
  fake.userMessage('201', { userId: '7001', username: 'ann' }, 'gm everyone, megaeth price looks great today');
  fake.userMessage('201', { userId: '7002', username: 'ben' }, 'is the rpc down? my txs are pending forever');
  fake.userMessage('201', { userId: '7003', username: 'cho' }, 'MegaETHのRPCが繋がらない');
  fake.userMessage('201', { userId: '7004', username: 'dee' }, 'explorer stuck at block 18,233,001 for 20 min');
  fake.userMessage('200', { userId: '7005', username: 'eve' }, 'megaeth is down!! (the alerts channel is not a community channel)');
  const incident = await openedIncident(15_000);
  assert.equal(incident.kind, 'social_reports');
  assert.equal(incident.status, 'suspected');
  assert.match(incident.summary, /^3 people reported problems with MegaETH/);
  assert.equal(fake.messagesIn('200').filter((m) => m.author.id === fake.botUserId).length, 0, 'suspected: nothing posted');
});

async function openedIncident(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await running.store.readState<NetworkState>('megaeth');
    if (stored?.incident) return stored.incident;
    if (Date.now() > deadline) throw new Error('no incident opened');
    await new Promise((r) => setTimeout(r, 200));
  }
}
