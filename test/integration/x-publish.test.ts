import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startChainwatch, type Running } from '../../src/app/start';
import type { AppConfig, XConfig } from '../../src/config';
import { createLogger } from '../../src/util/log';
import { startAnvil, type Anvil } from '../support/anvil';
import { startFakeX, type FakeX } from '../support/fake-x';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL, waitUntil } from '../support/pipeline';

/** A halt on a real chain, told on the X account as one reply chain: root, then resolution. */
let anvil: Anvil;
let fakeX: FakeX;
let running: Running;
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  fakeX = await startFakeX();
  const x: XConfig = {
    apiBaseUrl: fakeX.baseUrl,
    monthlyBudgetUsd: 100,
    prices: { readUsd: 0.005, postUsd: 0.015, postWithUrlUsd: 0.2 },
    account: fakeX.account.username,
    maxPostsPerIncident: 6,
    minUpdateIntervalMs: 1_200_000,
    incidentLink: 'https://status.example.org/incidents/{id}',
    bearerToken: null,
    user: {
      appKey: fakeX.appKey,
      appSecret: fakeX.appSecret,
      accessToken: fakeX.account.accessToken,
      accessSecret: fakeX.account.accessSecret,
    },
  };
  const network = testNetwork({
    name: 'x-it',
    displayName: 'Devnet',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: { pollIntervalMs: 250, requestTimeoutMs: 1000, stallMs: 2500, resolveAfterMs: 1500, safeLagBlocks: null },
  });
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 4 },
    networks: [network],
    x,
  };
  running = await startChainwatch(config, { log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
});

after(async () => {
  await running?.stop();
  await fakeX?.stop();
  await anvil?.stop();
  await deleteKeys(prefix);
});

test('the X account posts a root with the link, then replies in the same thread', async () => {
  await new Promise((r) => setTimeout(r, 1500));
  await anvil.halt();
  await waitUntil(() => fakeX.timeline().length >= 1, 15_000, 'the root post');
  const [root] = fakeX.timeline();
  assert.match(
    root!.text,
    /^Devnet: block production halted since \d\d:\d\d UTC\. Investigating\. https:\/\/status\.example\.org\/incidents\/x-it-/,
  );
  await anvil.resume(1);
  await waitUntil(() => fakeX.timeline().some((p) => /^Resolved/.test(p.text)), 20_000, 'the resolution post');
  const posts = fakeX.timeline();
  const creates = fakeX.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
  assert.ok(creates.every((r) => r.auth === 'oauth1'));
  const bodies = creates.filter((r) => r.status === 201).map((r) => r.body as { text: string; reply?: { in_reply_to_tweet_id: string } });
  assert.equal(bodies[0]!.reply, undefined, 'the root replies to nothing');
  for (let i = 1; i < bodies.length; i++)
    assert.equal(bodies[i]!.reply?.in_reply_to_tweet_id, posts[i - 1]!.id, 'each post replies to the previous one');
  assert.equal(posts.filter((p) => /https?:\/\//.test(p.text)).length, 1, 'only the root carries a link');
  assert.equal(new Set(posts.map((p) => p.text)).size, posts.length, 'nothing posted twice');
  // The root carries the incident picture, uploaded with its alt text; the replies carry none.
  const media = fakeX.media(root!.mediaIds?.[0] ?? '');
  assert.equal(media?.data?.subarray(1, 4).toString('latin1'), 'PNG');
  assert.match(media?.altText ?? '', /^Chart of Devnet block intervals/);
  assert.ok(posts.slice(1).every((p) => p.mediaIds === undefined));
});
