import { randomBytes } from 'node:crypto';
import { REST, Routes } from 'discord.js';
import { renderRoot } from '../../../src/discord/render';
import { startChainwatch, type Running } from '../../../src/app/start';
import type { AppConfig, DiscordConfig, XConfig } from '../../../src/config';
import type { Network } from '../../../src/config/network';
import { step, initialNetworkState, type NetworkState } from '../../../src/engine';
import { createLogger } from '../../../src/util/log';
import { okSample } from '../../engine/detectors/builders';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../../support/fake-discord';
import { testNetwork } from '../../support/network';
import { deleteKeys, REDIS_URL } from '../../support/pipeline';

export interface BotRig {
  fake: FakeDiscord;
  /** A message in the alerts channel that buttons can hang off. */
  messageId: string;
  running: Running;
  prefix: string;
  networks: Network[];
  stop(): Promise<void>;
  /** Sends an interaction and waits until its answer is complete (callback, and the edit after a defer). */
  ask(
    spec: Parameters<FakeDiscord['interact']>[0],
  ): Promise<{ callback: { type: number; data?: Record<string, any> }; edit?: Record<string, any>; elapsedMs: number }>;
}

export const MOD_ROLE = '400';

/**
 * The bot role of chainwatch (real discord.js client) against the fake Discord, over the real
 * Redis, with `count` networks seeded through the real detectors: the first one halted (an
 * open incident), the others advancing.
 */
export async function startBotRig(count = 3): Promise<BotRig> {
  const fake = await startFakeDiscord({ guild: { roles: [{ id: MOD_ROLE, name: 'Moderators' }] } });
  const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
  const names = ['alpha', 'beta', 'gamma', ...Array.from({ length: Math.max(0, count - 3) }, (_, i) => `net-${i + 4}`)].slice(0, count);
  const networks = names.map((name) => testNetwork({ name, displayName: name[0]!.toUpperCase() + name.slice(1) }));
  const discord: DiscordConfig = {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiBaseUrl: fake.apiBase,
    channels: { default: '200', networks: {} },
    pingRoleId: null,
    moderatorRoleIds: [MOD_ROLE],
    archiveAfterMs: 60_000,
  };
  // An X section, so /status has a month's spend to show moderators (the bot role never calls X).
  const x: XConfig = {
    apiBaseUrl: 'http://127.0.0.1:9',
    monthlyBudgetUsd: 50,
    prices: { readUsd: 0.005, postUsd: 0.015, postWithUrlUsd: 0.2 },
    account: null,
    maxPostsPerIncident: 6,
    minUpdateIntervalMs: 20 * 60_000,
    incidentLink: null,
    bearerToken: 'test-bearer',
    user: null,
  };
  const config: AppConfig = { redis: { url: REDIS_URL, prefix }, log: { level: 'warn' }, worker: { concurrency: 2 }, networks, discord, x };
  const running = await startChainwatch(config, { role: 'bot', log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  await seed(running, networks);
  await waitFor(() => fake.sessions.length > 0, 10_000);
  // The incident's root message with its moderator buttons, as the Discord publisher posts it.
  const incident = (await running.store.readState(networks[0]!.name))!.incident!;
  const rest = new REST({ api: fake.apiBase }).setToken(fake.token);
  const root = (await rest.post(Routes.channelMessages('200'), {
    body: renderRoot(incident, { networkName: networks[0]!.displayName }, Date.now()),
  })) as { id: string };
  const messageId = root.id;
  return {
    fake,
    messageId,
    running,
    prefix,
    networks,
    async stop() {
      await running.stop();
      await fake.stop();
      await deleteKeys(prefix);
    },
    async ask(spec) {
      const started = Date.now();
      const { id } = await fake.interact(spec);
      await waitFor(() => !!fake.interactions.get(id)?.callback, 5000);
      const inter = fake.interactions.get(id)!;
      const callback = inter.callback as { type: number; data?: Record<string, any> };
      let edit: Record<string, any> | undefined;
      if (callback.type === 5) {
        const req = await waitForReq(
          fake,
          (r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${inter.token}/messages/@original`,
          5000,
        );
        edit = req.body as Record<string, any>;
      }
      return { callback, ...(edit ? { edit } : {}), elapsedMs: Date.now() - started };
    },
  };
}

/** Network 0 halted for a minute (open incident), the rest advancing, all through evaluateChain. */
async function seed(running: Running, networks: Network[]): Promise<void> {
  const now = Date.now();
  for (const [i, network] of networks.entries()) {
    let state = initialNetworkState();
    for (let t = now - 120_000; t <= now; t += 5000) {
      const n = i === 0 ? 1000 + Math.min(t, now - 60_000) / 1000 - (now - 120_000) / 1000 : 1000 + (t - (now - 120_000)) / 1000;
      const ts = i === 0 ? Math.floor(Math.min(t, now - 60_000) / 1000) : Math.floor(t / 1000);
      const samples = ['rpc-a', 'rpc-b'].map((ep) => okSample(ep, Math.floor(n), t, { network: network.name, timestamp: ts }));
      const result = step(state, { type: 'poll', samples: samples }, network, t);
      await running.store.apply<NetworkState>(network.name, `seed-${t}`, initialNetworkState, () => result);
      state = result.state;
    }
  }
}

export async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForReq(fake: FakeDiscord, pred: (r: RecordedRequest) => boolean, timeoutMs: number): Promise<RecordedRequest> {
  let hit: RecordedRequest | undefined;
  await waitFor(() => !!(hit = fake.requests.find(pred)), timeoutMs).catch(() => {
    throw new Error(`no matching request; saw ${fake.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  });
  return hit!;
}
