import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startChainwatch, type Running } from '../../src/app/start';
import type { AppConfig, DiscordConfig, XConfig } from '../../src/config';
import { startFaultProxy, type FaultProxy } from '../../src/devnet/fault-proxy';
import { keyspace } from '../../src/model';
import { createLogger } from '../../src/util/log';
import { startAnvil, type Anvil } from '../support/anvil';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord';
import { startFakeX, type FakeX } from '../support/fake-x';
import { freePort } from '../support/free-port';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL, waitUntil } from '../support/pipeline';

/**
 * chainwatch's own blindness, end to end: three networks (one anvil chain, each endpoint behind
 * its own fault proxy) go dark in the same moment while the connectivity checks point at closed
 * local ports (the world is unreachable too). Nothing public goes out, the operators' channel
 * hears it once, /readyz says why. Then sight returns, and later two of the three networks go
 * dark while the third answers: those are two real outages, posted as usual.
 */
const NETS = ['alpha', 'beta', 'gamma'];
const PUBLIC = '200';
const OPERATORS = '250';
let anvil: Anvil;
let fake: FakeDiscord;
let fakeX: FakeX;
let running: Running;
const proxies = new Map<string, FaultProxy[]>();
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  fake = await startFakeDiscord({
    guild: {
      textChannels: [
        { id: PUBLIC, name: 'alerts' },
        { id: OPERATORS, name: 'chainwatch-ops' },
      ],
    },
  });
  fakeX = await startFakeX();
  for (const n of NETS) proxies.set(n, [await startFaultProxy(anvil.url), await startFaultProxy(anvil.url)]);
  const discord: DiscordConfig = {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiBaseUrl: fake.apiBase,
    channels: { default: PUBLIC, networks: {}, operators: OPERATORS },
    pingRoleId: null,
    moderatorRoleIds: [],
    archiveAfterMs: 60_000,
    images: false,
  };
  const x: XConfig = {
    apiBaseUrl: fakeX.baseUrl,
    monthlyBudgetUsd: 100,
    prices: { readUsd: 0.005, postUsd: 0.015, postWithUrlUsd: 0.2 },
    account: fakeX.account.username,
    maxPostsPerIncident: 6,
    minUpdateIntervalMs: 1_200_000,
    incidentLink: 'https://status.example.org/incidents/{id}',
    images: false,
    bearerToken: null,
    user: {
      appKey: fakeX.appKey,
      appSecret: fakeX.appSecret,
      accessToken: fakeX.account.accessToken,
      accessSecret: fakeX.account.accessSecret,
    },
  };
  const closed = [await freePort(), await freePort()];
  const networks = NETS.map((name) =>
    testNetwork({
      name,
      chainId: 31337,
      endpoints: proxies.get(name)!.map((p, i) => ({ label: `rpc-${i}`, url: p.url })),
      thresholds: {
        pollIntervalMs: 500,
        requestTimeoutMs: 400,
        stallMs: 5000,
        endpointDownFailures: 3,
        resolveAfterMs: 2000,
        safeLagBlocks: null,
      },
    }),
  );
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 6 },
    networks,
    discord,
    x,
    http: { port: 0, host: '127.0.0.1', statusPage: false },
    connectivity: {
      checks: closed.map((port) => ({ kind: 'tcp' as const, host: '127.0.0.1', port, label: `127.0.0.1:${port}` })),
      everyMs: 1000,
      timeoutMs: 300,
    },
  };
  running = await startChainwatch(config, { role: 'all', log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  await new Promise((r) => setTimeout(r, 2500));
});

after(async () => {
  await running?.stop();
  for (const list of proxies.values()) for (const p of list) await p.stop();
  await fake?.stop();
  await fakeX?.stop();
  await anvil?.stop();
  await deleteKeys(prefix);
});

const dark = (names: string[], on: boolean) => {
  for (const n of names) for (const p of proxies.get(n)!) p.setMode(on ? { kind: 'refuse' } : { kind: 'pass' });
};
const publicPosts = () => fake.messagesIn(PUBLIC).length;
const operatorPosts = () => fake.messagesIn(OPERATORS);
const readyz = async () => {
  const res = await fetch(`${running.httpUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
};

test('every endpoint of every network dark at once, the checks failing too: nothing public, one operators message, /readyz says why', async () => {
  assert.equal(publicPosts(), 0);
  dark(NETS, true);
  const darkAt = Date.now();
  await waitUntil(() => operatorPosts().length >= 1, 20_000, 'the operators message');
  console.log(
    `# blindness told to operators ${((Date.now() - darkAt) / 1000).toFixed(1)} s after every endpoint went dark (polls every 500 ms)`,
  );
  assert.match(operatorPosts()[0]!.content, /chainwatch is blind/);
  const m = operatorPosts()[0]!;
  assert.ok(!m.mention_everyone && m.mentions.length === 0 && m.mention_roles.length === 0, 'pings nobody');
  const r = await readyz();
  assert.equal(r.status, 503, JSON.stringify(r.body));
  assert.match(
    r.body.checks.blind ?? '',
    /^blind since .*: every endpoint of 3 of 3 networks stopped answering at once, and the connectivity checks fail too/,
  );
  // Long past endpoint_down (3 failures) and rpc_unreachable: still nothing public.
  await new Promise((r) => setTimeout(r, 6000));
  assert.equal(publicPosts(), 0, 'no public Discord message');
  assert.equal(fakeX.timeline().length, 0, 'no post on X');
  assert.equal(operatorPosts().length, 1, 'told once');
  const state = await running.store.readState<{ corr: { conditions: Record<string, unknown> } }>('alpha');
  assert.ok(state?.state.corr.conditions.rpc_unreachable, 'the evidence is recorded, held');

  dark(NETS, false);
  await waitUntil(() => operatorPosts().length >= 2, 20_000, 'the "sees again" message');
  assert.match(operatorPosts()[1]!.content, /chainwatch sees again/);
  assert.equal((await readyz()).body.checks.blind, 'no');
  assert.equal(publicPosts(), 0, 'sight returned before any failure outlasted it');
  assert.equal(await running.redis.exists(keyspace(prefix).watcherBlind), 0);
});

test('then two networks of three dark while the third answers: two real outages, posted', async () => {
  dark(['alpha', 'beta'], true);
  await waitUntil(() => publicPosts() >= 2, 20_000, 'two public root messages');
  const roots = fake.messagesIn(PUBLIC).map((m) => JSON.stringify(m.embeds));
  assert.ok(roots.some((t) => /alpha/i.test(t)) && roots.some((t) => /beta/i.test(t)), roots.join('\n'));
  assert.ok(roots.every((t) => !/gamma/i.test(t)));
  await waitUntil(() => fakeX.timeline().length >= 2, 20_000, 'two X roots');
  assert.equal(operatorPosts().length, 2, 'no blindness told');
  dark(['alpha', 'beta'], false);
});
