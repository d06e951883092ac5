/**
 * The fake X API v2 driven by the REAL twitter-api-v2 client, pointed at it with the recipe of
 * apis.md §2 (a plugin rewriting `params.url` in onBeforeRequestConfig, plus an http Agent).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ApiResponseError,
  type ITwitterApiClientPlugin,
  type TweetV2,
  type Tweetv2SearchParams,
  TwitterApi,
  type UserV2,
} from 'twitter-api-v2';
import { DUPLICATE_CONTENT, type FakeX, startFakeX } from '../support/fake-x';

let fake: FakeX;

function redirect(baseUrl: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig(args) {
      args.params.url = args.params.url.replace(/^https:\/\/api\.x\.com/, baseUrl);
    },
  };
}

function appClient(token = fake.bearerToken): TwitterApi {
  return new TwitterApi(token, { plugins: [redirect(fake.baseUrl)], httpAgent: new http.Agent() });
}

function userClient(over: Partial<{ appSecret: string; accessSecret: string }> = {}): TwitterApi {
  return new TwitterApi(
    {
      appKey: fake.appKey,
      appSecret: over.appSecret ?? fake.appSecret,
      accessToken: fake.account.accessToken,
      accessSecret: over.accessSecret ?? fake.account.accessSecret,
    },
    { plugins: [redirect(fake.baseUrl)], httpAgent: new http.Agent() },
  );
}

async function rejection(p: Promise<unknown>): Promise<ApiResponseError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiResponseError, `expected ApiResponseError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the request to fail');
}

const SEARCH_FIELDS: Partial<Tweetv2SearchParams> = {
  'tweet.fields': ['created_at', 'lang', 'author_id', 'referenced_tweets'],
  expansions: ['author_id'],
  'user.fields': ['created_at', 'public_metrics'],
};

/** The `message` of the first entry of a 400 problem's `errors`. */
function firstMessage(e: ApiResponseError): string {
  const first = e.data.errors?.[0] as { message?: string } | undefined;
  return first?.message ?? '';
}

const T0 = Date.parse('2026-05-04T12:00:00Z');

describe('fake X API v2 with the real twitter-api-v2 client', () => {
  before(async () => {
    fake = await startFakeX();
  });
  after(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  test('recent search: pages with next_token, newest first, includes.users, then since_id', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const p = fake.addPost({
        text: `megaeth rpc down again #${i}`,
        lang: 'en',
        authorId: String(5000 + (i % 5)),
        username: `user${i % 5}`,
        createdAt: T0 + i * 1000,
        authorCreatedAt: '2021-06-01T00:00:00Z',
        followers: 10 * i,
      });
      ids.push(p.id);
    }
    fake.addPost({ text: 'unrelated post about cats', lang: 'en', authorId: '6000', username: 'cats', createdAt: T0 });
    const client = appClient();
    const first = await client.v2.search('megaeth down', { ...SEARCH_FIELDS, max_results: 10 });
    assert.equal(first.tweets.length, 10);
    assert.equal(first.meta.result_count, 10);
    assert.deepEqual(
      first.tweets.map((t) => t.id),
      ids.slice(15).reverse(),
    );
    assert.equal(first.meta.newest_id, ids[24]);
    assert.equal(first.meta.oldest_id, ids[15]);
    assert.ok(first.meta.next_token);
    const t0 = first.tweets[0]!;
    assert.equal(t0.lang, 'en');
    assert.equal(t0.created_at, new Date(T0 + 24_000).toISOString());
    assert.deepEqual(t0.edit_history_tweet_ids, [t0.id]);
    const author = first.includes.author(t0) as UserV2;
    assert.equal(author.username, 'user4');
    assert.equal(author.created_at, '2021-06-01T00:00:00.000Z');
    assert.equal(author.public_metrics?.followers_count, 240);
    assert.equal(first.includes.users.length, 5);

    const second = await first.next(10);
    assert.deepEqual(
      second.tweets.map((t) => t.id),
      ids.slice(5, 15).reverse(),
    );
    const third = await second.next(10);
    assert.deepEqual(
      third.tweets.map((t) => t.id),
      ids.slice(0, 5).reverse(),
    );
    assert.equal(third.meta.next_token, undefined);
    const sent = fake.requests.filter((r) => r.path === '/2/tweets/search/recent');
    assert.equal(sent.length, 3);
    assert.equal(sent[1]!.query.next_token, first.meta.next_token);
    assert.equal(sent[0]!.auth, 'bearer');
    assert.equal(sent[0]!.query['tweet.fields'], 'created_at,lang,author_id,referenced_tweets');

    // since_id: only what is newer than the cursor.
    const newer = fake.addPost({ text: 'MegaETH is down?', lang: 'en', authorId: '5001', username: 'user1', createdAt: T0 + 60_000 });
    const sinceRes = await client.v2.search('megaeth down', { ...SEARCH_FIELDS, since_id: ids[24]! });
    assert.deepEqual(
      sinceRes.tweets.map((t) => t.id),
      [newer.id],
    );
    const none = await client.v2.search('megaeth down', { since_id: newer.id });
    assert.equal(none.tweets.length, 0);
    assert.deepEqual(none.data, { meta: { result_count: 0 } });
  });

  test('several languages, OR groups, quoted phrases, lang:, -is:retweet', async () => {
    const posts = [
      { text: 'ベースのRPCがダウンしてる', lang: 'ja' },
      { text: 'Base 链宕机了吗', lang: 'zh' },
      { text: 'base 먹통인가요', lang: 'ko' },
      { text: 'base está caído', lang: 'es' },
      { text: 'base fora do ar de novo', lang: 'pt' },
      { text: 'base не работает уже час', lang: 'ru' },
      { text: 'base çöktü mü', lang: 'tr' },
      { text: 'base bị sập rồi', lang: 'vi' },
      { text: 'base en panne ce matin', lang: 'fr' },
      { text: 'base ist ausgefallen', lang: 'de' },
      { text: 'base countdown to mainnet', lang: 'en' },
    ].map((p, i) => fake.addPost({ ...p, authorId: String(7000 + i), username: `b${i}`, createdAt: T0 + i * 1000 }));
    const rt = fake.addPost({ text: 'base down', lang: 'en', authorId: '7100', username: 'rter', createdAt: T0 + 20_000, retweet: true });
    const q =
      '(base OR ベース) (down OR ダウン OR 宕机 OR 먹통 OR caído OR "fora do ar" OR "не работает" OR çöktü OR sập OR "en panne" OR ausgefallen)';
    const client = appClient();
    const all = await client.v2.search(`${q} -is:retweet`, { ...SEARCH_FIELDS, max_results: 100 });
    assert.deepEqual(new Set(all.tweets.map((t) => t.lang)), new Set(['ja', 'zh', 'ko', 'es', 'pt', 'ru', 'tr', 'vi', 'fr', 'de']));
    assert.ok(!all.tweets.some((t) => t.id === posts[10]!.id), '"down" must not match "countdown"');
    assert.ok(!all.tweets.some((t) => t.id === rt.id));
    const withRt = await client.v2.search(q, { ...SEARCH_FIELDS, max_results: 100 });
    const rtSeen = withRt.tweets.find((t) => t.id === rt.id) as TweetV2;
    assert.deepEqual(
      rtSeen.referenced_tweets?.map((r) => r.type),
      ['retweeted'],
    );
    assert.match(rtSeen.text, /^RT @/);
    const ja = await client.v2.search(`${q} lang:ja`, SEARCH_FIELDS);
    assert.deepEqual(
      ja.tweets.map((t) => t.id),
      [posts[0]!.id],
    );
  });

  test('invalid queries and parameters get 400 with X problem JSON', async () => {
    const client = appClient();
    const long = await rejection(client.v2.search('a'.repeat(513)));
    assert.equal(long.code, 400);
    assert.equal(long.data.title, 'Invalid Request');
    assert.match(firstMessage(long), /too long/);
    await client.v2.search('b'.repeat(512));
    const bad = await rejection(client.v2.search('megaeth', { max_results: 5 }));
    assert.equal(bad.code, 400);
    const neg = await rejection(client.v2.search('-is:retweet lang:en'));
    assert.equal(neg.code, 400);
    const paren = await rejection(client.v2.search('(megaeth down'));
    assert.equal(paren.code, 400);
  });

  test('authentication: wrong bearer 401; app-only cannot post (403); bad OAuth signature 401', async () => {
    const wrong = await rejection(appClient('nope').v2.search('megaeth'));
    assert.equal(wrong.code, 401);
    const appOnly = await rejection(appClient().v2.tweet('hello'));
    assert.equal(appOnly.code, 403);
    assert.equal(appOnly.data.title, 'Unsupported Authentication');
    const badSig = await rejection(userClient({ accessSecret: 'wrong' }).v2.tweet('hello'));
    assert.equal(badSig.code, 401);
    assert.equal(fake.timeline().length, 0);
    assert.ok(
      fake.requests.every((r) => !JSON.stringify(r).includes(fake.bearerToken)),
      'tokens are not recorded',
    );
  });

  test('posting: root, reply chain, /users/me, /users/:id/tweets; duplicate 403; >280 weighted 400', async () => {
    const client = userClient();
    const me = await client.v2.me();
    assert.equal(me.data.id, fake.account.userId);
    assert.equal(me.data.username, fake.account.username);
    const root = await client.v2.tweet('MegaETH: block production halted since 12:03 UTC. Investigating. https://example.com/i/1');
    assert.match(root.data.id, /^\d+$/);
    assert.deepEqual((root.data as { edit_history_tweet_ids?: string[] }).edit_history_tweet_ids, [root.data.id]);
    const r1 = await client.v2.reply('Update: still halted, 30 min.', root.data.id);
    const r2 = await client.v2.tweet('Resolved after 3 h 12 min.', { reply: { in_reply_to_tweet_id: r1.data.id } });
    const tl = fake.timeline();
    assert.deepEqual(
      tl.map((p) => p.id),
      [root.data.id, r1.data.id, r2.data.id],
    );
    assert.equal(tl[1]!.inReplyTo, root.data.id);
    assert.equal(tl[2]!.inReplyTo, r1.data.id);
    assert.ok(tl.every((p) => p.conversationId === root.data.id));
    const createReq = fake.requests.find((r) => r.method === 'POST')!;
    assert.equal(createReq.auth, 'oauth1');
    assert.equal(createReq.status, 201);

    const dup = await rejection(client.v2.tweet('Resolved after 3 h 12 min.'));
    assert.equal(dup.code, 403);
    assert.equal(dup.rateLimitError, false);
    assert.equal(dup.data.detail, DUPLICATE_CONTENT);
    assert.deepEqual(dup.data, { detail: DUPLICATE_CONTENT, type: 'about:blank', title: 'Forbidden', status: 403 });
    assert.ok(/duplicate content/i.test(String(dup.data.detail)), 'detectable as apis.md says');

    const cjkOk = await client.v2.tweet('日'.repeat(140));
    assert.ok(cjkOk.data.id);
    const cjkLong = await rejection(client.v2.tweet('日'.repeat(141)));
    assert.equal(cjkLong.code, 400);
    const urlText = `${'a'.repeat(250)} https://example.com/${'x'.repeat(100)}`; // 250 + 1 + 23 = 274
    await client.v2.tweet(urlText);
    const missingParent = await rejection(client.v2.reply('orphan', '999'));
    assert.equal(missingParent.code, 403);

    // The account's own recent posts: what a publisher checks after a crash.
    const own = await client.v2.userTimeline(fake.account.userId, { max_results: 5, 'tweet.fields': ['created_at', 'referenced_tweets'] });
    assert.equal(own.tweets[0]!.text, urlText);
    assert.equal(own.tweets.length, 5);
    assert.equal(own.meta.next_token, undefined, 'exactly five posts so far');
    const paged = await client.v2.userTimeline(fake.account.userId, { max_results: 5, exclude: ['replies'] });
    assert.equal(paged.tweets.length, 3, 'root, CJK and URL posts; the two replies are excluded');
    assert.deepEqual(
      fake.postsBy(fake.account.userId).map((p) => p.id),
      [...fake.timeline()].reverse().map((p) => p.id),
    );
    const replies = own.tweets.filter((t) => t.referenced_tweets?.some((r) => r.type === 'replied_to'));
    assert.ok(replies.length >= 1);
    const viaApp = await appClient().v2.userTimeline(fake.account.userId, { max_results: 100 });
    assert.equal(viaApp.tweets.length, 5);

    const post = fake.requests.filter((r) => r.method === 'POST' && r.status === 201).at(-1)!;
    assert.equal((post.body as { text: string }).text, urlText);
  });

  test('rate limits: headers on every answer; injected 429 and real exhaustion give rateLimitError', async () => {
    const client = appClient();
    const ok = await client.v2.search('anything-here');
    assert.equal(ok.rateLimit.limit, 450);
    assert.ok(ok.rateLimit.remaining < 450);
    assert.ok(ok.rateLimit.reset > Date.now() / 1000);

    fake.failNext({ method: 'GET', path: '/2/tweets/search/recent' }, { status: 429, resetInSec: 120 });
    const before = Math.floor(Date.now() / 1000);
    const limited = await rejection(client.v2.search('megaeth'));
    assert.equal(limited.code, 429);
    assert.equal(limited.rateLimitError, true);
    assert.equal(limited.rateLimit?.remaining, 0);
    assert.ok(limited.rateLimit!.reset >= before + 119 && limited.rateLimit!.reset <= before + 122);
    assert.deepEqual(limited.data, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
    // Only one request was failed.
    await client.v2.search('megaeth');

    const tight = await startFakeX({ limits: { search: { app: 2 } } });
    try {
      const c = new TwitterApi(tight.bearerToken, tight.clientSettings());
      const a = await c.v2.search('x1');
      assert.equal(a.rateLimit.remaining, 1);
      const b = await c.v2.search('x1');
      assert.equal(b.rateLimit.remaining, 0);
      const e = await rejection(c.v2.search('x1'));
      assert.equal(e.rateLimitError, true);
      assert.equal(tight.rateLimit('search', 'app').remaining, 0);
    } finally {
      await tight.stop();
    }
  });

  test('5xx answers surface as ApiResponseError with the status, once per injected fault', async () => {
    const client = appClient();
    fake.failNext({ path: /^\/2\/tweets\/search/ }, { status: 503 }, 2);
    const a = await rejection(client.v2.search('megaeth'));
    assert.equal(a.code, 503);
    assert.equal(a.rateLimitError, false);
    assert.equal(a.data.title, 'Service Unavailable');
    assert.equal((await rejection(client.v2.search('megaeth'))).code, 503);
    await client.v2.search('megaeth');
    fake.failNext({ method: 'POST', path: '/2/tweets' }, { status: 500 });
    const p = await rejection(userClient().v2.tweet('will fail once'));
    assert.equal(p.code, 500);
    assert.equal(fake.timeline().filter((t) => t.text === 'will fail once').length, 0);
    await userClient().v2.tweet('will fail once');
  });

  test('enforceRecentWindow rejects a since_id older than seven days', async () => {
    const f = await startFakeX({ enforceRecentWindow: true });
    try {
      const c = new TwitterApi(f.bearerToken, f.clientSettings());
      const old = f.addPost({ text: 'megaeth down', authorId: '1', username: 'u', createdAt: Date.now() - 8 * 86400_000 });
      const fresh = f.addPost({ text: 'megaeth down', authorId: '1', username: 'u' });
      const r = await c.v2.search('megaeth');
      assert.deepEqual(
        r.tweets.map((t) => t.id),
        [fresh.id],
      );
      const e = await rejection(c.v2.search('megaeth', { since_id: old.id }));
      assert.equal(e.code, 400);
      assert.match(firstMessage(e), /since_id/);
    } finally {
      await f.stop();
    }
  });
});
