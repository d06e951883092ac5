import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { DelayedError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import twitter from 'twitter-text';
import { createPublishProcessor } from '../../jobs/publish';
import type { XConfig } from '../../src/config';
import type { ModeratorAction } from '../../src/engine/actions';
import { correlate, initialCorrelatorState, type CorrelatorState } from '../../src/engine/correlator';
import { IncidentStore } from '../../src/store/incidents';
import { type Incident, type IncidentEvent, keyspace, type Keyspace, type Signal } from '../../src/model';
import { createLogger } from '../../src/util/log';
import { DeliveryError } from '../../src/publish/delivery';
import { PublicationStore } from '../../src/store/publications';
import { InflightStore } from '../../src/x/inflight';
import { createXPublisher, type XPublisher } from '../../src/x/publisher';
import { renderXPost } from '../../src/x/render';
import { SpendTracker } from '../../src/x/spend';
import { startFakeX, type FakePost, type FakeX } from '../support/fake-x';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL } from '../support/pipeline';
import { actionStep, publishJob as job } from '../support/publish-job';

/**
 * The X publisher and the generic publish job, with the REAL twitter-api-v2 client against the
 * fake X API v2 on loopback and real Redis under a random prefix.
 */
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const keys = keyspace(prefix);
const network = testNetwork({ name: 'xpub-it', displayName: 'MegaETH' });
const networks = new Map([[network.name, network]]);
const MIN = 60_000;
let now = Date.parse('2026-11-23T12:00:00Z');
let fake: FakeX;
let redis: Redis;
let store: IncidentStore;
let publications: PublicationStore;
let inflight: InflightStore;
let config: XConfig;
let publisher: XPublisher;
let publish: ReturnType<typeof createPublishProcessor>;
let corr: CorrelatorState;

before(async () => {
  fake = await startFakeX({ now: () => now });
  redis = new Redis(REDIS_URL);
  store = new IncidentStore(redis, keys);
  publications = new PublicationStore(redis, keys);
  inflight = new InflightStore(redis, keys);
  config = {
    apiBaseUrl: fake.baseUrl,
    monthlyBudgetUsd: 50,
    prices: { readUsd: 0.005, postUsd: 0.015, postWithUrlUsd: 0.2 },
    account: null,
    maxPostsPerIncident: 6,
    minUpdateIntervalMs: 20 * MIN,
    incidentLink: 'https://status.example.com/incidents/{id}',
    bearerToken: null,
    user: {
      appKey: fake.appKey,
      appSecret: fake.appSecret,
      accessToken: fake.account.accessToken,
      accessSecret: fake.account.accessSecret,
    },
  };
  ({ publisher, publish } = build(config, keys));
});

after(async () => {
  await store.close();
  redis.disconnect();
  await fake.stop();
  await deleteKeys(prefix);
});

function build(cfg: XConfig, k: Keyspace) {
  const p = createXPublisher({ config: cfg, redis, keys: k, networks, clock: () => now });
  return { publisher: p, publish: createPublishProcessor({ publisher: p, store, publications, log: createLogger('silent') }) };
}

let run = 0;
beforeEach(() => {
  now += 6 * 3_600_000; // each test gets its own incident (ids carry the opening second)
  corr = initialCorrelatorState();
  run++;
});

const halted = (stalledForMs = 12_000, weak = false): Signal => ({
  network: network.name,
  kind: 'halted',
  severity: 'major',
  at: now,
  source: 'chain',
  summary: `No new block for ${stalledForMs / 1000} s`,
  details: { stalledForMs },
  weak,
});

/** Commits one correlator step the way the worker does. */
async function commit(step: (s: CorrelatorState) => { state: CorrelatorState; events: unknown[] }): Promise<Incident> {
  const r = await store.apply(
    network.name,
    `x${run}-${now}-${Math.random()}`,
    () => ({ corr: initialCorrelatorState() }),
    () => {
      const next = step(corr);
      corr = next.state;
      return { state: { corr }, events: next.events as never, incident: corr.incident };
    },
  );
  return r.incident!;
}

const open = (weak = false) => commit((s) => correlate(s, { now, signals: [halted(12_000, weak)], evaluated: ['chain'] }, network));
const stillHalted = (stalledForMs: number) =>
  commit((s) => correlate(s, { now, signals: [halted(stalledForMs)], evaluated: ['chain'] }, network));
/** Two healthy polls 30 s apart: the correlator tells "recovering" only once the evidence stayed away. */
const healthy = async () => {
  await commit((s) => correlate(s, { now: now - 30_000, signals: [], evaluated: ['chain'] }, network));
  return commit((s) => correlate(s, { now, signals: [], evaluated: ['chain'] }, network));
};
const act = (a: ModeratorAction) => commit(actionStep(a, now));

const isDelayed = (err: Error) => err instanceof DelayedError || err.message === 'bullmq:movedToDelayed';
const posts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
const lookups = () => fake.requests.filter((r) => r.method === 'GET' && /^\/2\/users\/\d+\/tweets$/.test(r.path));
const pubOf = (inc: Incident) => publications.read('x', inc.id);

/** The incident's thread on the account: the root and every reply under it, oldest first. */
async function thread(inc: Incident): Promise<FakePost[]> {
  const { rootPostId } = (await pubOf(inc)).ids;
  return fake.timeline().filter((p) => p.conversationId === rootPostId);
}

async function event(inc: Incident, seq: number): Promise<IncidentEvent> {
  return (await store.getTimeline(inc.id)).find((e) => e.seq === seq)!;
}

test('an incident is one reply chain: root with the only link, critical, the team, recovered, resolved', async () => {
  const spend = new SpendTracker(redis, keyspace(prefix), () => now);
  const spentBefore = await spend.month();
  const inc = await open();
  await publish(job(inc), 'tok');
  now += 11 * MIN;
  const critical = await stillHalted(11 * MIN + 12_000);
  await publish(job(critical), 'tok');
  now += MIN;
  const updated = await act({ type: 'update', by: 'mod', text: 'Sequencer OOM @megaeth_labs, status at https://megaeth.example/status' });
  await publish(job(updated), 'tok');
  now += 30 * MIN;
  const recovered = await healthy();
  await publish(job(recovered), 'tok');
  now += network.thresholds.resolveAfterMs;
  const resolved = await healthy();
  assert.equal(resolved.status, 'resolved');
  await publish(job(resolved), 'tok');

  const chain = await thread(inc);
  assert.equal(chain.length, 5);
  chain.forEach((p, i) => assert.equal(p.inReplyTo, i === 0 ? undefined : chain[i - 1]!.id, `post ${i} replies to the one before`));
  const link = `https://status.example.com/incidents/${inc.id}`;
  assert.deepEqual(
    chain.map((p) => twitter.extractUrls(p.text)),
    [[link], [], [], [], []],
    'only the root carries a link',
  );
  assert.deepEqual(
    chain.flatMap((p) => twitter.extractMentions(p.text)),
    [],
  );
  assert.match(chain[0]!.text, /^MegaETH: block production halted since \d\d:\d\d UTC\. Investigating\. https:/);
  assert.match(chain[1]!.text, /severity raised to critical, no new block for 11 min\.$/);
  assert.match(chain[2]!.text, /^MegaETH update from the team \(\d\d:\d\d UTC\): Sequencer OOM @\u200Dmegaeth_labs, status at$/);
  assert.match(chain[3]!.text, /^MegaETH: blocks are being produced again after 41 min/);
  assert.match(chain[4]!.text, /^Resolved: MegaETH block production halted for 41 min \(/);

  const pub = await pubOf(inc);
  assert.equal(pub.cursor, resolved.seq);
  assert.equal(pub.ids.rootPostId, chain[0]!.id);
  assert.equal(pub.ids.lastPostId, chain[4]!.id);
  assert.equal(pub.ids.posted, '5');
  assert.equal(pub.ids.toldStatus, 'resolved');
  const spent = await spend.month();
  assert.equal(spent.posts - spentBefore.posts, 5);
  assert.equal(spent.postsWithUrl - spentBefore.postsWithUrl, 1);
  assert.ok(Math.abs(spent.spentUsd - spentBefore.spentUsd - (0.2 + 4 * 0.015)) < 1e-9);
});

test('the root waits for its Discord thread link (bounded), then posts with it; with none in time, without', async () => {
  let thread: string | null = null;
  let asked = 0;
  const linkFor = async () => (asked++, thread);
  const waiting = createXPublisher({
    config: { ...config, incidentLink: null },
    redis,
    keys,
    networks,
    clock: () => now,
    linkFor,
    rootLinkWaitMs: 30_000,
  });
  const deliver = createPublishProcessor({ publisher: waiting, store, publications, log: createLogger('silent') });
  const inc = await open();
  const before = posts().length;
  await assert.rejects(deliver(job(inc), 'tok'), isDelayed, 'no link yet: the root waits');
  assert.equal(posts().length, before, 'nothing posted while it waits');
  now += 2000;
  thread = `https://discord.com/channels/1/${inc.id}`;
  await deliver(job(inc), 'tok');
  assert.equal(asked, 2);
  assert.deepEqual(twitter.extractUrls((posts().at(-1)!.body as { text: string }).text), [thread], 'the root carries the thread link');

  now += 6 * 3_600_000;
  corr = initialCorrelatorState();
  thread = null;
  const late = await open();
  await assert.rejects(deliver(job(late), 'tok'), isDelayed);
  now += 30_000;
  await deliver(job(late), 'tok');
  assert.deepEqual(twitter.extractUrls((posts().at(-1)!.body as { text: string }).text), [], 'after the bound: posted without a link');
});

test('a retried or duplicated job never posts twice', async () => {
  const inc = await open();
  await publish(job(inc), 'tok');
  const before = posts().length;
  await publish(job(inc), 'tok');
  await publish({ ...job(inc), id: 'another-job' } as Job, 'tok2');
  assert.equal(posts().length, before);
  assert.equal((await thread(inc)).length, 1);
});

test('a crash after X took the post, before the marker knew: found on the account timeline, not reposted', async () => {
  const inc = await open();
  await publisher.deliver(await event(inc, 1), inc, { cursor: 0, ids: {} }); // posted … then the process died
  await redis.hdel(keys.xInflight(inc.id, 1), 'postId'); // … before it could note the id
  const [postsBefore, lookupsBefore] = [posts().length, lookups().length];
  await publish(job(inc), 'tok');
  assert.equal(posts().length, postsBefore, 'not posted again');
  const lookup = lookups().slice(lookupsBefore);
  assert.equal(lookup.length, 1);
  assert.equal(lookup[0]!.query.exclude, 'retweets', 'replies are included: updates are replies');
  const [root] = await thread(inc);
  assert.equal((await pubOf(inc)).ids.rootPostId, root!.id);
  assert.equal((await pubOf(inc)).cursor, 1);
});

test('a crash after the marker noted the post id: recorded without asking X', async () => {
  const inc = await open();
  await publisher.deliver(await event(inc, 1), inc, { cursor: 0, ids: {} });
  const [postsBefore, lookupsBefore] = [posts().length, lookups().length];
  await publish(job(inc), 'tok');
  assert.equal(posts().length, postsBefore);
  assert.equal(lookups().length, lookupsBefore);
  assert.ok((await pubOf(inc)).ids.rootPostId);
});

test('5xx: retried with backoff; the retry looks first, then posts once', async () => {
  const inc = await open();
  fake.failNext({ method: 'POST', path: '/2/tweets' }, { status: 503 });
  await assert.rejects(publish(job(inc), 'tok'), (err: Error) => err instanceof DeliveryError && err.delivery.kind === 'retry');
  assert.equal((await pubOf(inc)).cursor, 0);
  assert.ok(await inflight.get(inc.id, 1), 'the marker stays: X may have posted before failing');
  const lookupsBefore = lookups().length;
  await publish(job(inc), 'tok');
  assert.equal(lookups().length, lookupsBefore + 1);
  assert.equal((await thread(inc)).length, 1);
  assert.deepEqual(
    posts()
      .slice(-2)
      .map((r) => r.status),
    [503, 201],
  );
});

test('429: the job waits until x-rate-limit-reset without spending an attempt, then posts once', async () => {
  const inc = await open();
  fake.failNext({ method: 'POST', path: '/2/tweets' }, { status: 429, resetInSec: 120 });
  const delayed: number[] = [];
  const t0 = Date.now();
  await assert.rejects(publish(job(inc, delayed), 'tok'), isDelayed);
  const waitMs = delayed[0]! - t0;
  assert.ok(waitMs > 118_000 && waitMs < 123_000, `delayed until the reset: ${waitMs} ms`);
  assert.equal((await pubOf(inc)).cursor, 0);
  assert.equal(await inflight.get(inc.id, 1), null, 'X said no for certain: no marker left');
  now += 2 * MIN;
  const lookupsBefore = lookups().length;
  await publish(job(inc), 'tok');
  assert.equal(lookups().length, lookupsBefore, 'nothing to look up');
  assert.equal((await thread(inc)).length, 1);
});

test('duplicate-content 403: the earlier post is looked up and recorded, never retried blindly', async () => {
  const inc = await open();
  await publisher.deliver(await event(inc, 1), inc, { cursor: 0, ids: {} });
  await inflight.clear(inc.id, 1); // the marker is gone too (it expired, say)
  const postsBefore = posts().length;
  await publish(job(inc), 'tok');
  assert.deepEqual(
    posts()
      .slice(postsBefore)
      .map((r) => r.status),
    [403],
  );
  const [root, ...rest] = await thread(inc);
  assert.equal(rest.length, 0);
  assert.equal((await pubOf(inc)).ids.rootPostId, root!.id);
});

test('a duplicate of an older post (not in the thread) is recorded as failed, and the thread goes on', async () => {
  const inc = await open();
  await publish(job(inc), 'tok');
  now += MIN;
  const updated = await act({ type: 'update', by: 'mod', text: 'Same words as before' });
  const text = renderXPost('update', await event(inc, updated.seq), updated, { networkName: 'MegaETH', now });
  fake.addPost({ authorId: fake.account.userId, username: fake.account.username, text, createdAt: now - 30 * 24 * 3_600_000 });
  await publish(job(updated), 'tok');
  const pub = await pubOf(inc);
  assert.equal(pub.ids[`failed_${updated.seq}`], 'duplicate content (same text as an older post)');
  assert.equal(pub.cursor, updated.seq);
  now += MIN;
  const next = await act({ type: 'update', by: 'mod', text: 'Fresh words' });
  await publish(job(next), 'tok');
  const chain = await thread(inc);
  assert.equal(chain.length, 2);
  assert.match(chain[1]!.text, /Fresh words$/);
});

test('a suspected incident stays off X until a moderator confirms it; unconfirmed ones never appear', async () => {
  const inc = await open(true);
  assert.equal(inc.status, 'suspected');
  const before = posts().length;
  await publish(job(inc), 'tok');
  assert.equal(posts().length, before);
  assert.equal((await pubOf(inc)).cursor, 1, 'held, not retried for ever');
  now += 3 * MIN;
  const confirmed = await act({ type: 'confirm', by: 'mod' });
  await publish(job(confirmed), 'tok');
  const [root] = await thread(inc);
  assert.match(root!.text, /^MegaETH: block production halted since .*Investigating\. https:\/\/status\.example\.com\//);

  now += 6 * 3_600_000;
  corr = initialCorrelatorState();
  const other = await open(true);
  const dismissed = await act({ type: 'dismiss', by: 'mod' });
  const count = posts().length;
  await publish(job(dismissed), 'tok');
  assert.equal(posts().length, count);
  assert.equal((await pubOf(other)).cursor, dismissed.seq);
});

test('a recovery right after a post waits for the interval (no attempt spent); once resolved it is superseded', async () => {
  const inc = await open();
  await publish(job(inc), 'tok');
  now += MIN;
  const recovered = await healthy();
  assert.equal(recovered.status, 'monitoring');
  const delayed: number[] = [];
  const t0 = Date.now();
  await assert.rejects(publish(job(recovered, delayed), 'tok'), isDelayed);
  const waitMs = delayed[0]! - t0;
  assert.ok(waitMs > 18 * MIN && waitMs < 19 * MIN + 5000, `waits out the 20 min interval: ${waitMs} ms`);
  now += network.thresholds.resolveAfterMs;
  const resolved = await healthy();
  await publish(job(resolved), 'tok');
  const pub = await pubOf(inc);
  assert.equal(pub.ids[`skipped_${recovered.seq}`], 'superseded');
  const chain = await thread(inc);
  assert.equal(chain.length, 2);
  assert.match(chain[1]!.text, /^Resolved: MegaETH/);
});

test('over the monthly budget: updates and new roots are skipped, a posted thread still gets its resolution', async () => {
  const budgetKeys = keyspace(`${prefix}-budget`);
  const tight = build({ ...config, monthlyBudgetUsd: 0.21 }, budgetKeys);
  const inc = await open();
  await tight.publish(job(inc), 'tok');
  now += MIN;
  const updated = await act({ type: 'update', by: 'mod', text: 'Still down' });
  await tight.publish(job(updated), 'tok');
  assert.equal((await pubOf(inc)).ids[`skipped_${updated.seq}`], 'budget');
  now += MIN;
  const resolved = await act({ type: 'resolve', by: 'mod' });
  await tight.publish(job(resolved), 'tok');
  const chain = await thread(inc);
  assert.deepEqual(
    chain.map((p) => p.text.split(':')[0]),
    ['MegaETH', 'Resolved'],
  );
  assert.ok(Math.abs((await new SpendTracker(redis, keyspace(budgetKeys.prefix), () => now).spentThisMonth()) - 0.215) < 1e-9);

  now += 6 * 3_600_000;
  corr = initialCorrelatorState();
  const next = await open();
  const count = posts().length;
  await tight.publish(job(next), 'tok');
  assert.equal(posts().length, count, 'a new root would break the budget');
  assert.equal((await pubOf(next)).ids.skipped_1, 'budget');
});

test('bad credentials (401): recorded as failed and delivery moves on; no secret in the reason', async () => {
  const wrong = build({ ...config, user: { ...config.user!, accessSecret: 'not-the-secret' } }, keys);
  const inc = await open();
  await wrong.publish(job(inc), 'tok');
  const pub = await pubOf(inc);
  assert.equal(pub.cursor, 1);
  assert.match(pub.ids.failed_1!, /^unauthorized/);
  const recorded = JSON.stringify(pub);
  for (const secret of [config.user!.accessToken, config.user!.accessSecret, config.user!.appSecret, 'not-the-secret'])
    assert.ok(!recorded.includes(secret));
  assert.equal(await inflight.get(inc.id, 1), null);
});

test('the account id is asked once per process (GET /2/users/me), however many look-ups', () => {
  assert.ok(lookups().length >= 3);
  assert.equal(fake.requests.filter((r) => r.path === '/2/users/me').length, 1);
});
