/**
 * The X source against the fake X API v2, through the real twitter-api-v2 client built by
 * createXClients (redirect plugin + http Agent), with the since_id cursor in the real Redis.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { TwitterApiReadOnly } from 'twitter-api-v2';
import { createXClients, normalizeApiBaseUrl } from '../../src/x/client';
import { XApiError, XDuplicateContentError, XRateLimitedError, isDuplicateContent, toXError } from '../../src/x/errors';
import { buildSearchQuery } from '../../src/x/query';
import { partialResult, searchRecentPosts, sinceIdUsable } from '../../src/x/search';
import { CursorStore } from '../../src/x/spend';
import { type FakeX, startFakeX } from '../support/fake-x';
import { testRedis, type TestRedis } from '../support/redis';
import { keyspace } from '../../src/model';

const QUERY = buildSearchQuery(['megaeth', '$MEGA', '@megaeth'], { excludeFrom: ['chainwatch_bot'] });

let fake: FakeX;
let read: TwitterApiReadOnly;
let t0: number;

async function fresh(opts: Parameters<typeof startFakeX>[0] = {}): Promise<void> {
  await fake?.stop();
  fake = await startFakeX(opts);
  read = createXClients({ apiBaseUrl: fake.baseUrl, bearerToken: fake.bearerToken }).read!;
  t0 = Date.now() - 3600_000;
}

describe('searchRecentPosts against the fake X API', () => {
  before(async () => {
    await fresh();
  });
  beforeEach(async () => {
    await fresh();
  });
  after(async () => {
    await fake.stop();
  });

  test('maps posts and authors; languages kept; retweets and price-talk non-matches not billed', async () => {
    const texts: [string, string][] = [
      ['en', 'megaeth rpc is down for me'],
      ['ja', 'megaethがダウンしてる？'],
      ['zh', 'megaeth 宕机了'],
      ['ko', 'megaeth 먹통'],
      ['es', 'megaeth está caído'],
      ['pt', 'megaeth fora do ar'],
      ['ru', 'megaeth не работает'],
      ['tr', 'megaeth çöktü'],
      ['vi', 'megaeth bị sập'],
      ['fr', 'megaeth en panne'],
      ['de', 'megaeth ausgefallen'],
    ];
    texts.forEach(([lang, text], i) =>
      fake.addPost({
        text,
        lang,
        authorId: String(100 + i),
        username: `u${i}`,
        createdAt: t0 + i * 1000,
        authorCreatedAt: '2024-01-02T03:04:05Z',
        followers: i,
      }),
    );
    fake.addPost({ text: 'megaeth down', lang: 'en', authorId: '300', username: 'rt', createdAt: t0 + 50_000, retweet: true });
    fake.addPost({ text: 'megaeth mainnet countdown', lang: 'en', authorId: '301', username: 'hype', createdAt: t0 + 51_000 });
    fake.addPost({
      text: 'megaeth is down?',
      lang: 'en',
      authorId: fake.account.userId,
      username: fake.account.username,
      createdAt: t0 + 52_000,
    });

    const r = await searchRecentPosts(read, { query: QUERY });
    assert.equal(r.posts.length, 11);
    assert.equal(r.reads, 11, 'the retweet, the countdown and our own post never left X');
    assert.deepEqual(new Set(r.posts.map((p) => p.lang)), new Set(texts.map(([l]) => l)));
    const de = r.posts[0]!;
    assert.deepEqual(de, {
      source: 'x',
      id: de.id,
      author: 'u10',
      authorId: '110',
      text: 'megaeth ausgefallen',
      lang: 'de',
      createdAt: t0 + 10_000,
      url: `https://x.com/u10/status/${de.id}`,
      authorCreatedAt: Date.parse('2024-01-02T03:04:05Z'),
      authorFollowers: 10,
    });
    assert.equal(r.newestId, de.id);
    assert.equal(r.pages, 1);
    assert.equal(r.truncated, false);
    assert.ok(r.rateLimit && r.rateLimit.remaining === 449 && r.rateLimit.reset > Date.now() / 1000);
    const sent = fake.requests.at(-1)!;
    assert.equal(sent.query.query, QUERY);
    assert.equal(sent.query.max_results, '100');
    assert.equal(sent.auth, 'bearer');
  });

  test('retweets that reach us are dropped; duplicates by id and by same author + same text', async () => {
    const rt = fake.addPost({ text: 'megaeth down', lang: 'en', authorId: '1', username: 'a', createdAt: t0, retweet: true });
    fake.addPost({ text: 'megaeth down', lang: 'en', authorId: '2', username: 'b', createdAt: t0 + 1 });
    fake.addPost({ text: 'megaeth  DOWN ', lang: 'en', authorId: '2', username: 'b', createdAt: t0 + 2 });
    fake.addPost({ text: 'megaeth down', lang: 'en', authorId: '3', username: 'c', createdAt: t0 + 3 });
    const r = await searchRecentPosts(read, { query: 'megaeth down' });
    assert.equal(r.reads, 4, 'billed for all four');
    assert.deepEqual(
      r.posts.map((p) => p.authorId),
      ['3', '2'],
    );
    assert.ok(!r.posts.some((p) => p.id === rt.id));
  });

  test('pagination with since_id resumes from the Redis cursor: no post seen twice', async () => {
    const redis: TestRedis = testRedis();
    try {
      const cursors = new CursorStore(redis.redis, keyspace(redis.prefix));
      const seen = new Map<string, number>();
      let n = 0;
      const add = (count: number) => {
        for (let i = 0; i < count; i++, n++) {
          fake.addPost({
            text: `megaeth stuck at block ${n}`,
            lang: 'en',
            authorId: String(1000 + (n % 7)),
            username: `w${n % 7}`,
            createdAt: t0 + n * 1000,
          });
        }
      };
      const poll = async () => {
        const r = await searchRecentPosts(read, { query: QUERY, sinceId: await cursors.get('megaeth'), maxResults: 10, maxPages: 3 });
        for (const p of r.posts) seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
        if (r.newestId) await cursors.set('megaeth', r.newestId);
        return r;
      };

      add(25);
      const first = await poll();
      assert.deepEqual([first.posts.length, first.reads, first.pages, first.truncated], [25, 25, 3, false]);
      const searches = fake.requests.filter((q) => q.path === '/2/tweets/search/recent');
      assert.equal(searches[0]!.query.since_id, undefined);
      assert.ok(searches[1]!.query.next_token);

      add(4);
      const second = await poll();
      assert.deepEqual([second.posts.length, second.reads, second.pages], [4, 4, 1]);
      assert.equal(fake.requests.at(-1)!.query.since_id, first.newestId);

      const third = await poll();
      assert.deepEqual([third.posts.length, third.reads, third.newestId], [0, 0, null]);
      assert.equal(await cursors.get('megaeth'), second.newestId, 'an empty poll keeps the cursor');

      add(12);
      await poll();
      assert.equal(seen.size, 41);
      assert.ok(
        [...seen.values()].every((c) => c === 1),
        'no post seen twice',
      );

      // The cursor only moves forward (a slow worker finishing late cannot move it back).
      assert.equal(await cursors.set('megaeth', first.newestId!), false);
      assert.notEqual(await cursors.get('megaeth'), first.newestId);
    } finally {
      await redis.cleanup();
    }
  });

  test('bounded pages: a burst beyond maxPages is cut short and flagged', async () => {
    for (let i = 0; i < 35; i++)
      fake.addPost({ text: `megaeth halted ${i}`, lang: 'en', authorId: String(i), username: `h${i}`, createdAt: t0 + i });
    const r = await searchRecentPosts(read, { query: QUERY, maxResults: 10, maxPages: 2 });
    assert.deepEqual([r.posts.length, r.reads, r.pages, r.truncated], [20, 20, 2, true]);
    assert.equal(r.newestId, r.posts[0]!.id);
    assert.equal(fake.requests.length, 2);
  });

  test('429 → XRateLimitedError with resetAt from x-rate-limit-reset; mid-pagination keeps the pages read', async () => {
    fake.addPost({ text: 'megaeth down', lang: 'en', authorId: '1', username: 'a', createdAt: t0 });
    fake.failNext({ path: '/2/tweets/search/recent' }, { status: 429, resetInSec: 300 });
    const before = Date.now();
    const err = await searchRecentPosts(read, { query: QUERY }).then(
      () => assert.fail('expected a rate-limit error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof XRateLimitedError, String(err));
    assert.equal(err.status, 429);
    assert.equal(err.rateLimit?.remaining, 0);
    assert.ok(err.resetAt >= Math.floor(before / 1000) * 1000 + 299_000 && err.resetAt <= before + 302_000, String(err.resetAt - before));
    assert.equal(err.resetAt % 1000, 0, 'whole seconds, from the header');
    assert.equal(partialResult(err), null);

    for (let i = 0; i < 15; i++)
      fake.addPost({ text: `megaeth down ${i}`, lang: 'en', authorId: String(i + 10), username: `p${i}`, createdAt: t0 + 10 + i });
    // Let the first page through, fail the second (the request carrying a next_token).
    fake.failNext({ path: '/2/tweets/search/recent', query: { next_token: /./ } }, { status: 429, resetInSec: 60 });
    const e2 = await searchRecentPosts(read, { query: QUERY, maxResults: 10 }).catch((x: unknown) => x);
    assert.ok(e2 instanceof XRateLimitedError);
    const partial = partialResult(e2);
    assert.ok(partial, 'second page failed: what the first page returned (and cost) is kept');
    assert.deepEqual([partial.reads, partial.posts.length, partial.pages], [10, 10, 1]);
    assert.equal(partial.newestId, partial.posts[0]!.id);
  });

  test('a real rate-limit exhaustion also maps to XRateLimitedError', async () => {
    await fresh({ limits: { search: { app: 1 } } });
    await searchRecentPosts(read, { query: QUERY });
    const e = await searchRecentPosts(read, { query: QUERY }).catch((x: unknown) => x);
    assert.ok(e instanceof XRateLimitedError);
    assert.equal(e.resetAt, fake.rateLimit('search', 'app').reset * 1000);
  });

  test('5xx and 400 → XApiError without the request, headers or tokens', async () => {
    fake.failNext({ path: '/2/tweets/search/recent' }, { status: 503 });
    const e = await searchRecentPosts(read, { query: QUERY }).catch((x: unknown) => x);
    assert.ok(e instanceof XApiError && !(e instanceof XRateLimitedError));
    assert.equal(e.status, 503);
    assert.equal(e.title, 'Service Unavailable');
    const dump = `${inspect(e, { depth: 10 })} ${JSON.stringify(e)}`;
    assert.ok(!dump.includes(fake.bearerToken), 'no token in the error');
    assert.ok(!/authorization/i.test(dump));

    const tooLong = await searchRecentPosts(read, { query: `megaeth ${'x'.repeat(600)}` }).catch((x: unknown) => x);
    assert.ok(tooLong instanceof XApiError);
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.message, /Query is too long/);
  });

  test('a since_id older than seven days is left out instead of failing the poll', async () => {
    await fresh({ enforceRecentWindow: true });
    const old = fake.addPost({ text: 'megaeth down', lang: 'en', authorId: '1', username: 'a', createdAt: Date.now() - 8 * 86400_000 });
    const recent = fake.addPost({ text: 'megaeth down again', lang: 'en', authorId: '1', username: 'a' });
    assert.equal(sinceIdUsable(old.id, Date.now()), false);
    assert.equal(sinceIdUsable(recent.id, Date.now()), true);
    const r = await searchRecentPosts(read, { query: QUERY, sinceId: old.id });
    assert.equal(r.sinceIdDropped, true);
    assert.deepEqual(
      r.posts.map((p) => p.id),
      [recent.id],
    );
    assert.equal(fake.requests.at(-1)!.query.since_id, undefined);
  });
});

describe('createXClients', () => {
  let fx: FakeX;
  before(async () => {
    fx = await startFakeX();
  });
  after(async () => {
    await fx.stop();
  });

  test('read null without a bearer token, write null without user credentials', () => {
    assert.deepEqual(createXClients({ apiBaseUrl: 'https://api.x.com' }), { read: null, write: null });
    const c = createXClients({ apiBaseUrl: 'https://api.x.com', bearerToken: 'b' });
    assert.ok(c.read);
    assert.equal(c.write, null);
  });

  test('the write client posts with OAuth 1.0a user context; duplicate content is recognised', async () => {
    const { write } = createXClients({
      apiBaseUrl: `${fx.baseUrl}/`,
      user: { appKey: fx.appKey, appSecret: fx.appSecret, accessToken: fx.account.accessToken, accessSecret: fx.account.accessSecret },
    });
    assert.ok(write);
    const me = await write.v2.me();
    assert.equal(me.data.id, fx.account.userId);
    const root = await write.v2.tweet('MegaETH: block production halted since 12:03 UTC. Investigating.');
    await write.v2.reply('Update: blocks again since 15:15 UTC.', root.data.id);
    const dup = await write.v2.tweet('MegaETH: block production halted since 12:03 UTC. Investigating.').catch((x: unknown) => x);
    assert.ok(isDuplicateContent(dup));
    const converted = toXError(dup, Date.now());
    assert.ok(converted instanceof XDuplicateContentError);
    assert.equal((converted as XDuplicateContentError).status, 403);
    assert.deepEqual(
      fx.timeline().map((p) => p.inReplyTo ?? null),
      [null, root.data.id],
    );
    assert.equal(
      fx.requests.filter((r) => r.method === 'POST').every((r) => r.auth === 'oauth1'),
      true,
    );
  });

  test('apiBaseUrl must be an origin', () => {
    assert.equal(normalizeApiBaseUrl('https://api.x.com/'), 'https://api.x.com');
    assert.equal(normalizeApiBaseUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.throws(() => normalizeApiBaseUrl('https://proxy.example/x'), /without a path/);
    assert.throws(() => normalizeApiBaseUrl('ftp://x'), /http/);
    assert.throws(() => normalizeApiBaseUrl('not a url'), /not a URL/);
    assert.throws(() => normalizeApiBaseUrl('https://user:pw@proxy.example'), /credentials/);
  });
});
