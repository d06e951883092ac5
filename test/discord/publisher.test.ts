import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { DelayedError } from 'bullmq';
import { Redis } from 'ioredis';
import { createPublishProcessor } from '../../jobs/publish';
import type { DiscordConfig } from '../../src/config';
import type { ModeratorAction } from '../../src/engine/actions';
import { correlate, initialCorrelatorState, type CorrelatorState } from '../../src/engine/correlator';
import { SilenceStore } from '../../src/store/silences';
import { IncidentStore } from '../../src/store/incidents';
import { type Incident, keyspace, type Signal } from '../../src/model';
import { createLogger } from '../../src/util/log';
import { DiscordPublisher } from '../../src/discord/publisher';
import { createDiscordRest } from '../../src/discord/rest';
import { PublicationStore } from '../../src/store/publications';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL } from '../support/pipeline';
import { actionStep, publishJob as job } from '../support/publish-job';

/** The Discord publisher and the generic publish job against the fake Discord and real Redis. */
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const keys = keyspace(prefix);
const network = testNetwork({ name: 'pub-it', displayName: 'Pub IT' });
let fake: FakeDiscord;
let redis: Redis;
let store: IncidentStore;
let publications: PublicationStore;
let silences: SilenceStore;
let publisher: DiscordPublisher;
let publish: ReturnType<typeof createPublishProcessor>;
let corr: CorrelatorState;
let now = Date.parse('2026-11-23T12:00:00Z');
const archived: string[] = [];

before(async () => {
  fake = await startFakeDiscord();
  redis = new Redis(REDIS_URL);
  store = new IncidentStore(redis, keys);
  publications = new PublicationStore(redis, keys);
  silences = new SilenceStore(redis, keys);
  const config: DiscordConfig = {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiBaseUrl: fake.apiBase,
    channels: { default: '200', networks: {} },
    pingRoleId: null,
    moderatorRoleIds: [],
    archiveAfterMs: 1000,
  };
  publisher = new DiscordPublisher({
    rest: createDiscordRest(config),
    config,
    networks: new Map([[network.name, network]]),
    silenceOf: (n) => silences.get(n),
    headOf: async () => ({ number: 1234, timestamp: Math.floor(now / 1000) - 30 }),
    scheduleArchive: async (threadId) => void archived.push(threadId),
    clock: () => now,
  });
  publish = createPublishProcessor({ publisher, store, publications, log: createLogger('silent') });
});

after(async () => {
  await store.close();
  redis.disconnect();
  await fake.stop();
  await deleteKeys(prefix);
});

let run = 0;
beforeEach(() => {
  now += 3_600_000; // each test gets its own incident (ids carry the opening second)
  corr = initialCorrelatorState();
  run++;
});

const halted = (weak = false): Signal => ({
  network: network.name,
  kind: 'halted',
  severity: 'major',
  at: now,
  source: 'chain',
  summary: 'No new block for 12 s',
  details: { stalledForMs: 12_000 },
  weak,
});

/** Commits one correlator step the way the worker does. */
async function commit(step: (s: CorrelatorState) => { state: CorrelatorState; events: unknown[] }): Promise<Incident> {
  const r = await store.apply(
    network.name,
    `b${run}-${now}-${Math.random()}`,
    () => ({ corr: initialCorrelatorState() }),
    () => {
      const next = step(corr);
      corr = next.state;
      return { state: { corr }, events: next.events as never, incident: corr.incident };
    },
  );
  return r.incident!;
}

const open = (weak = false) => commit((s) => correlate(s, { now, signals: [halted(weak)], evaluated: ['chain'] }, network));
const act = (a: ModeratorAction) => commit(actionStep(a, now));

const rootsIn = (channel: string, id: string) => fake.messagesIn(channel).filter((m) => JSON.stringify(m.embeds).includes(id));

test('a worker killed after posting but before recording it posts nothing twice', async () => {
  const inc = await open();
  const [event] = await store.getTimeline(inc.id);
  await publisher.deliver(event!, inc, { cursor: 0, ids: {} }); // posted … then the process died
  await publish(job(inc), 'tok');
  assert.equal(rootsIn('200', inc.id).length, 1, 'enforce_nonce returned the first root message');
  const threadCalls = fake.requests.filter(
    (r) => r.method === 'POST' && /\/threads$/.test(r.path) && r.path.includes(rootsIn('200', inc.id)[0]!.id),
  );
  assert.deepEqual(
    threadCalls.map((r) => r.status),
    [201, 400],
    'the second thread start was refused and taken as done',
  );
  const pub = await publications.read('discord', inc.id);
  assert.equal(pub.cursor, 1);
  assert.equal(pub.ids.threadId, pub.ids.rootMessageId);
});

test('a suspected incident stays off the channel until a moderator confirms it', async () => {
  const inc = await open(true);
  const before = fake.requests.length;
  await publish(job(inc), 'tok');
  assert.equal(fake.requests.slice(before).filter((r) => r.path.startsWith('/channels')).length, 0);
  assert.equal((await publications.read('discord', inc.id)).cursor, 1, 'held, not retried for ever');
  const confirmed = await act({ type: 'confirm', by: 'mod' });
  await publish(job(confirmed), 'tok');
  const [root] = rootsIn('200', inc.id);
  assert.ok(root, 'the root appeared once confirmed');
  assert.match(fake.messagesIn(root!.id)[0]!.content, /Confirmed by mod/);
});

test('a silenced network records incidents but posts nothing until the silence ends', async () => {
  await silences.set(network.name, { until: now + 60_000, reason: 'upgrade', by: 'mod', createdAt: now });
  const inc = await open();
  await publish(job(inc), 'tok');
  assert.equal(rootsIn('200', inc.id).length, 0);
  now += 61_000;
  const acked = await act({ type: 'ack', by: 'mod' });
  await silences.clear(network.name);
  await publish(job(acked), 'tok');
  assert.equal(rootsIn('200', inc.id).length, 1);
});

test('a silence that begins during an incident shows the maintenance card and keeps the thread quiet', async () => {
  const inc = await open();
  await publish(job(inc), 'tok');
  const { rootMessageId, threadId } = (await publications.read('discord', inc.id)).ids;
  const inThread = fake.messagesIn(threadId!).length;
  await silences.set(network.name, { until: now + 3_600_000, reason: 'upgrade', by: 'mod', createdAt: now });
  const acked = await act({ type: 'ack', by: 'mod' });
  await publish(job(acked), 'tok');
  const card = fake.messagesIn('200').find((m) => m.id === rootMessageId)!;
  const status = JSON.stringify(card.embeds?.[0]?.fields?.find((f: { name: string }) => f.name === 'Status'));
  assert.match(status, /Maintenance: alerts for this network are silenced/);
  assert.equal(card.content ?? '', '', 'an edit during maintenance pings nobody');
  assert.equal(fake.messagesIn(threadId!).length, inThread, 'nothing posted in the thread while silenced');
  await silences.clear(network.name);
  const updated = await act({ type: 'update', by: 'mod', text: 'maintenance over' });
  await publish(job(updated), 'tok');
  const after = JSON.stringify(fake.messagesIn('200').find((m) => m.id === rootMessageId)!.embeds?.[0]?.fields);
  assert.doesNotMatch(after, /Maintenance/);
  assert.match(fake.messagesIn(threadId!).at(-1)!.content, /maintenance over/);
});

test('429: the job waits as told without spending an attempt; 500: retried; 400: recorded as failed, then it moves on', async () => {
  const inc = await open();
  await publish(job(inc), 'tok');
  const threadId = (await publications.read('discord', inc.id)).ids.threadId!;
  const updated = await act({ type: 'update', by: 'mod', text: 'one' });

  fake.failNext({ method: 'POST', path: new RegExp(`^/channels/${threadId}/messages$`) }, { status: 429, retryAfterSec: 1 }, 1);
  const delayed: number[] = [];
  await assert.rejects(
    publish(job(updated, delayed), 'tok'),
    (err: Error) => err instanceof DelayedError || err.message === 'bullmq:movedToDelayed',
  );
  assert.ok(delayed[0]! - Date.now() > 700, 'delayed by about retry_after');
  assert.equal((await publications.read('discord', inc.id)).cursor, 1);
  // Until the wait is over, @discordjs/rest itself refuses the route: the job would be delayed again.
  await new Promise((r) => setTimeout(r, 1100));

  fake.failNext({ method: 'POST', path: new RegExp(`^/channels/${threadId}/messages$`) }, { status: 500 }, 1);
  await assert.rejects(publish(job(updated), 'tok'), /HTTP 500/);
  assert.equal((await publications.read('discord', inc.id)).cursor, 1);

  await publish(job(updated), 'tok');
  assert.deepEqual(
    fake.messagesIn(threadId).map((m) => m.content.includes('one')),
    [true],
    'delivered once',
  );

  const second = await act({ type: 'update', by: 'mod', text: 'two' });
  const third = await act({ type: 'update', by: 'mod', text: 'three' });
  fake.failNext(
    { method: 'POST', path: new RegExp(`^/channels/${threadId}/messages$`) },
    { status: 400, code: 50035, message: 'Invalid Form Body' },
    1,
  );
  await publish(job(third), 'tok');
  const pub = await publications.read('discord', inc.id);
  assert.equal(pub.cursor, third.seq);
  assert.equal(pub.ids[`failed_${second.seq}`], 'bad request (payload refused)');
  assert.match(fake.messagesIn(threadId).at(-1)!.content, /three/);
});

test('resolution edits the root (no buttons, no ping) and schedules the archive', async () => {
  const inc = await open();
  await publish(job(inc), 'tok');
  const resolved = await act({ type: 'resolve', by: 'mod' });
  await publish(job(resolved), 'tok');
  const { rootMessageId } = (await publications.read('discord', inc.id)).ids;
  const edit = fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/200/messages/${rootMessageId}`).at(-1)!;
  assert.deepEqual((edit.body as { components: unknown[] }).components, []);
  assert.deepEqual((edit.body as { allowed_mentions: unknown }).allowed_mentions, { parse: [] });
  assert.ok(archived.includes(rootMessageId!));
});

test('a thread start failing past the nonce window never posts a second root', async () => {
  // Discord forgets a nonce after minutes; this fake after 1 ms, so only the saved root id
  // can keep the retry from posting the root again.
  const forgetful = await startFakeDiscord({ nonceWindowMs: 1 });
  try {
    const config: DiscordConfig = {
      token: forgetful.token,
      applicationId: forgetful.applicationId,
      guildId: forgetful.guildId,
      apiBaseUrl: forgetful.apiBase,
      channels: { default: '200', networks: {} },
      pingRoleId: null,
      moderatorRoleIds: [],
      archiveAfterMs: 1000,
    };
    const pub2 = new DiscordPublisher({
      rest: createDiscordRest(config),
      config,
      networks: new Map([[network.name, network]]),
      silenceOf: (n) => silences.get(n),
      headOf: async () => null,
      scheduleArchive: async () => {},
      clock: () => now,
    });
    const publish2 = createPublishProcessor({ publisher: pub2, store, publications, log: createLogger('silent') });
    const inc = await open();
    forgetful.failNext({ method: 'POST', path: /^\/channels\/200\/messages\/\d+\/threads$/ }, { status: 503 }, 2);
    await assert.rejects(publish2(job(inc), 'tok'), /start thread/);
    await new Promise((r) => setTimeout(r, 5));
    await assert.rejects(publish2(job(inc), 'tok'), /start thread/);
    await new Promise((r) => setTimeout(r, 5));
    await publish2(job(inc), 'tok');
    const roots = forgetful.messagesIn('200').filter((m) => JSON.stringify(m.embeds).includes(inc.id));
    assert.equal(roots.length, 1, 'one root message, however often the thread start failed');
    const pub = await publications.read('discord', inc.id);
    assert.equal(pub.cursor, 1);
    assert.equal(pub.ids.threadId, roots[0]!.id);
    assert.equal(forgetful.requests.filter((r) => r.method === 'POST' && /\/threads$/.test(r.path)).at(-1)!.status, 201);
  } finally {
    await forgetful.stop();
  }
});
