/**
 * The incident picture on X: uploaded with the REAL twitter-api-v2 client (v2 chunked media
 * upload, alt text) to the fake X API and attached to the root post only; any failure posts the
 * words alone; a crash after the post is settled without a second post or upload.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { XConfig } from '../../src/config';
import { type Incident, type IncidentEvent, keyspace } from '../../src/model';
import type { IncidentImageSource } from '../../src/publish/image/incident-image';
import { renderPng } from '../../src/publish/image/render-png';
import { renderIncidentSvg } from '../../src/publish/image/render-svg';
import { createXPublisher, type XPublisher } from '../../src/x/publisher';
import { startFakeX, type FakeX } from '../support/fake-x';
import { testNetwork } from '../support/network';
import { deleteKeys, REDIS_URL } from '../support/pipeline';
import { haltChart, haltEvents, haltIncident, RECOVERED, STARTED } from '../publish/image/fixture';

const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const keys = keyspace(prefix);
const network = testNetwork({ name: 'megaeth', displayName: 'MegaETH' });
let fake: FakeX;
let redis: Redis;
let config: XConfig;
let png: Buffer;
const warnings: string[] = [];
const log = { warn: (_o: object, msg: string) => void warnings.push(msg) };
const image: IncidentImageSource = async () => ({
  png,
  alt: 'Chart of MegaETH block intervals: halted 3 h 12 min.',
  filename: 'incident.png',
});

before(async () => {
  fake = await startFakeX({ now: () => Date.now() });
  redis = new Redis(REDIS_URL);
  png = await renderPng(renderIncidentSvg(haltChart()));
  config = {
    apiBaseUrl: fake.baseUrl,
    monthlyBudgetUsd: 50,
    prices: { readUsd: 0.005, postUsd: 0.015, postWithUrlUsd: 0.2 },
    account: null,
    maxPostsPerIncident: 6,
    minUpdateIntervalMs: 60_000,
    incidentLink: 'https://status.example.com/incidents/{id}',
    bearerToken: null,
    user: {
      appKey: fake.appKey,
      appSecret: fake.appSecret,
      accessToken: fake.account.accessToken,
      accessSecret: fake.account.accessSecret,
    },
  };
});
after(async () => {
  redis.disconnect();
  await fake.stop();
  await deleteKeys(prefix);
});

function publisher(img: IncidentImageSource | undefined, now: number): XPublisher {
  return createXPublisher({
    config,
    redis,
    keys,
    networks: new Map([[network.name, network]]),
    clock: () => now,
    log,
    ...(img ? { image: img } : {}),
  });
}

let serial = 0;
function stages(): { open: Incident; recovering: Incident; events: IncidentEvent[] } {
  const id = `megaeth-ximg-${++serial}-${randomBytes(3).toString('hex')}`;
  const resolved = haltIncident({ id });
  return {
    open: { ...resolved, status: 'investigating', recoveredAt: null, resolvedAt: null },
    recovering: { ...resolved, status: 'monitoring', resolvedAt: null },
    events: haltEvents(resolved),
  };
}
const mediaRequests = (from: number) => fake.requests.slice(from).filter((r) => r.path.startsWith('/2/media/'));

test('the root post carries the uploaded picture with alt text; replies carry none', async () => {
  const s = stages();
  const mark = fake.requests.length;
  const ids = await publisher(image, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  const rootPost = fake.timeline().find((p) => p.id === ids.rootPostId)!;
  assert.equal(rootPost.mediaIds?.length, 1);
  const media = fake.media(rootPost.mediaIds![0]!)!;
  assert.ok(media.finalized && media.data!.equals(png), 'the PNG arrived byte for byte');
  assert.equal(media.category, 'tweet_image');
  assert.equal(media.altText, 'Chart of MegaETH block intervals: halted 3 h 12 min.');
  assert.deepEqual(
    mediaRequests(mark).map((r) => `${r.path.replace(/\d{5,}/, ':id')} ${r.status} ${r.auth} ${r.authValid}`),
    [
      '/2/media/upload/initialize 200 oauth1 true',
      '/2/media/upload/:id/append 200 oauth1 true',
      '/2/media/upload/:id/finalize 200 oauth1 true',
      '/2/media/metadata 200 oauth1 true',
    ],
  );
  const body = fake.requests.slice(mark).find((r) => r.path === '/2/tweets')!.body as { media: { media_ids: string[] } };
  assert.deepEqual(body.media.media_ids, rootPost.mediaIds);

  const mark2 = fake.requests.length;
  await publisher(image, RECOVERED).deliver(s.events[1]!, s.recovering, { cursor: 1, ids });
  assert.deepEqual(mediaRequests(mark2), []);
  const reply = fake.timeline().at(-1)!;
  assert.equal(reply.inReplyTo, ids.rootPostId);
  assert.equal(reply.mediaIds, undefined);
});

test('an upload X refuses, or a picture that fails to render: the root goes out with the words alone', async () => {
  warnings.length = 0;
  const s = stages();
  fake.failNext({ method: 'POST', path: '/2/media/upload/initialize' }, { status: 503 });
  const ids = await publisher(image, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.ok(ids.rootPostId);
  assert.equal(fake.timeline().find((p) => p.id === ids.rootPostId)!.mediaIds, undefined);
  assert.deepEqual(warnings, ['incident picture not posted on X; posting without it']);

  const t = stages();
  const ids2 = await publisher(async () => Promise.reject(new Error('boom')), STARTED + 10_000).deliver(t.events[0]!, t.open, {
    cursor: 0,
    ids: {},
  });
  assert.ok(ids2.rootPostId);
});

test('a crash after the post (marker without its id) finds the post with its t.co media link: no second post, no second upload', async () => {
  const s = stages();
  const p = publisher(image, STARTED + 10_000);
  const first = await p.deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  await redis.hdel(keys.xInflight(s.open.id, 1), 'postId'); // the process died before recording the id
  const mark = fake.requests.length;
  const again = await p.deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.equal(again.rootPostId, first.rootPostId);
  assert.deepEqual(
    fake.requests.slice(mark).map((r) => `${r.method} ${r.path.replace(/\d{5,}/, ':id')}`),
    ['GET /2/users/me', 'GET /2/users/:id/tweets'],
  );
});

test('pictures off (x.images: false): no upload', async () => {
  const s = stages();
  const mark = fake.requests.length;
  await publisher(undefined, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.deepEqual(mediaRequests(mark), []);
});
