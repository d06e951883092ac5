import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startChainwatch, type Running } from '../../src/app/start';
import type { AppConfig, XConfig } from '../../src/config';
import { createLogger } from '../../src/util/log';
import { SpendTracker, CursorStore } from '../../src/x';
import { startAnvil, type Anvil } from '../support/anvil';
import { startFakeX, type FakeX } from '../support/fake-x';
import { testNetwork } from '../support/network';
import { CapturePublisher, deleteKeys, REDIS_URL, waitUntil } from '../support/pipeline';
import { keyspace } from '../../src/model';

/**
 * The live social path: the X search scheduler, the real twitter-api-v2 client against the
 * fake X API, the classifier and the social evidence model. The chain is healthy; people on X
 * say MegaETH is down; a suspected incident opens. Spend and the since_id cursor are kept.
 */
let anvil: Anvil;
let fakeX: FakeX;
let running: Running;
const capture = new CapturePublisher();
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const POSTS: [string, string, string, string][] = [
  ['1', 'alice', 'en', 'is megaeth down? rpc not responding for me'],
  ['2', 'kenji', 'ja', 'MegaETHのRPCが繋がらない、ダウンしてる？'],
  ['3', 'wei', 'zh', 'MegaETH 节点宕机了吗？交易一直卡住'],
  ['4', 'trader', 'en', 'MegaETH down 12% today lol'],
];

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  fakeX = await startFakeX();
  const x: XConfig = {
    apiBaseUrl: fakeX.baseUrl,
    monthlyBudgetUsd: 5000,
    prices: { readUsd: 0.005, postUsd: 0.015, postWithUrlUsd: 0.2 },
    account: 'chainwatch_bot',
    maxPostsPerIncident: 6,
    minUpdateIntervalMs: 1_200_000,
    incidentLink: null,
    bearerToken: fakeX.bearerToken,
    user: null,
  };
  const network = testNetwork({
    name: 'megaeth',
    displayName: 'MegaETH',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: { pollIntervalMs: 500, requestTimeoutMs: 1000, safeLagBlocks: null },
  });
  network.social = {
    terms: ['MegaETH', '@megaeth'],
    discordChannels: [],
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
    x,
  };
  // People are already talking when chainwatch starts: its first search finds them.
  const now = Date.now();
  for (const [i, username, lang, text] of POSTS) {
    fakeX.addPost({
      text,
      lang,
      authorId: `10${i}`,
      username,
      createdAt: now - 60_000,
      authorCreatedAt: '2020-01-01T00:00:00Z',
      followers: 500,
    });
  }
  running = await startChainwatch(config, { log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), publishers: [capture] });
});

after(async () => {
  await running?.stop();
  await fakeX?.stop();
  await anvil?.stop();
  await deleteKeys(prefix);
});

test('reports on X open a suspected incident; each post is read and billed once', async () => {
  const opened = await capture
    .waitFor((e) => e.type === 'opened', 20_000, 'a suspected incident')
    .catch((err) => {
      throw new Error(`${err.message}; X requests: ${fakeX.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
    });
  assert.equal(opened.kind, 'social_reports');
  assert.equal(opened.status, 'suspected');
  assert.match(opened.text, /3 people reported problems with MegaETH/);

  const searches = fakeX.requests.filter((r) => r.path === '/2/tweets/search/recent');
  assert.ok(searches.length >= 1);
  assert.equal(searches[0]!.auth, 'bearer');
  const query = new URLSearchParams(searches[0]!.query as Record<string, string>).get('query') ?? '';
  assert.ok(query.length <= 512 && /-is:retweet/.test(query) && /-from:chainwatch_bot/.test(query), query);
  // Later polls start from the cursor: nothing is read (or billed) twice.
  await waitUntil(() => fakeX.requests.filter((r) => r.path === '/2/tweets/search/recent').length >= 2, 30_000, 'a second search');
  const second = fakeX.requests.filter((r) => r.path === '/2/tweets/search/recent')[1]!;
  assert.equal((second.query as Record<string, string>).since_id, fakeX.postsBy('104')[0]!.id);
  const spend = await new SpendTracker(running.redis, keyspace(prefix)).spentThisMonth();
  assert.equal(spend, 4 * 0.005, 'four posts read, billed once each');
  assert.equal(await new CursorStore(running.redis, keyspace(prefix)).get('megaeth'), fakeX.postsBy('104')[0]!.id);
});
