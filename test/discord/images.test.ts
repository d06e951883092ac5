/**
 * The incident picture on Discord, through the real @discordjs/rest client against the fake
 * Discord: attached to the root message (multipart: payload_json + files[0], shown in the embed
 * as attachment://incident.png), kept on edits, replaced on resolution; a picture that fails
 * never holds back the words.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DiscordConfig } from '../../src/config';
import { blockIntervals, type Incident, type IncidentEvent, type Publication } from '../../src/model';
import { DiscordPublisher } from '../../src/discord/publisher';
import { createDiscordRest } from '../../src/discord/rest';
import { createIncidentImageSource, type IncidentImageSource } from '../../src/publish/image/incident-image';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../support/fake-discord';
import { testNetwork } from '../support/network';
import { haltEvents, haltIncident, haltReports, RECOVERED, RESOLVED, STARTED } from '../publish/image/fixture';

const network = testNetwork({ name: 'megaeth', displayName: 'MegaETH' });
let fake: FakeDiscord;
let config: DiscordConfig;
const warnings: string[] = [];
const log = { warn: (_o: object, msg: string) => void warnings.push(msg) };

const images: IncidentImageSource = createIncidentImageSource({
  history: {
    intervals: async (_n, from, to) => {
      const out = [];
      for (let t = from, n = 1; t <= to; t += 1000, n++) if (t <= STARTED || t >= RECOVERED) out.push({ t, n, ts: Math.floor(t / 1000) });
      return blockIntervals(out);
    },
    reports: async () => haltReports(),
  },
  timeline: async () => haltEvents(haltIncident()),
  networks: new Map([[network.name, network]]),
});

before(async () => {
  fake = await startFakeDiscord();
  config = {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiBaseUrl: fake.apiBase,
    channels: { default: '200', networks: {} },
    pingRoleId: null,
    moderatorRoleIds: [],
    archiveAfterMs: 1000,
  };
});
after(() => fake.stop());

function publisher(image: IncidentImageSource | undefined, now: number): DiscordPublisher {
  return new DiscordPublisher({
    rest: createDiscordRest(config),
    config,
    networks: new Map([[network.name, network]]),
    silenceOf: async () => null,
    headOf: async () => null,
    scheduleArchive: async () => {},
    clock: () => now,
    log,
    ...(image ? { image } : {}),
  });
}

let serial = 0;
/** The halt as it stands at each step: open, recovering, resolved; a fresh id per test. */
function stages(): { open: Incident; recovering: Incident; resolved: Incident; events: IncidentEvent[] } {
  const id = `megaeth-img-${++serial}`;
  const resolved = haltIncident({ id });
  const open = { ...resolved, status: 'investigating' as const, recoveredAt: null, resolvedAt: null, updatedAt: STARTED + 10_000 };
  const recovering = { ...resolved, status: 'monitoring' as const, resolvedAt: null, updatedAt: RECOVERED };
  return { open, recovering, resolved, events: haltEvents(resolved) };
}

const root = (ids: Record<string, string>): FakeMessage => fake.messagesIn(ids.channelId!).find((m) => m.id === ids.rootMessageId)!;

test('the root message carries the picture; every edit of the card replaces it with a fresh one', async () => {
  const s = stages();
  const before = fake.requests.length;
  const ids = await publisher(images, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.equal(ids.rootImage, 'incident.png');
  const post = fake.requests.slice(before).find((r) => r.method === 'POST' && r.path === '/channels/200/messages')!;
  assert.equal(post.files?.length, 1);
  assert.deepEqual(
    {
      field: post.files![0]!.field,
      name: post.files![0]!.filename,
      type: post.files![0]!.contentType,
      sig: post.files![0]!.signature,
      w: post.files![0]!.width,
      h: post.files![0]!.height,
    },
    { field: 'files[0]', name: 'incident.png', type: 'image/png', sig: 'png', w: 1200, h: 675 },
  );
  const body = post.body as {
    nonce: string;
    enforce_nonce: boolean;
    attachments: { id: number; description: string }[];
    embeds: { image: { url: string } }[];
  };
  assert.equal(body.enforce_nonce, true);
  assert.equal(body.embeds[0]!.image.url, 'attachment://incident.png');
  assert.match(body.attachments[0]!.description, /^Chart of MegaETH block intervals/);
  const first = root(ids);
  assert.equal(first.attachments.length, 1);
  assert.equal(first.embeds[0]!.image?.url, first.attachments[0]!.url, 'the embed shows the attachment');
  const firstId = first.attachments[0]!.id;

  const pub: Publication = { cursor: 1, ids };
  const mark = fake.requests.length;
  assert.deepEqual(await publisher(images, RECOVERED).deliver(s.events[1]!, s.recovering, pub), {}, 'nothing new to remember');
  const edit = fake.requests.slice(mark).find((r) => r.method === 'PATCH')!;
  assert.equal(edit.files?.[0]?.signature, 'png');
  assert.deepEqual(
    (edit.body as { attachments: { id: number }[] }).attachments.map((a) => a.id),
    [0],
    'only the new file: the old one goes',
  );
  const recovering = root(ids);
  assert.equal(recovering.attachments.length, 1, 'replaced, not appended');
  assert.notEqual(recovering.attachments[0]!.id, firstId);
  assert.equal(recovering.embeds[0]!.image?.url, recovering.attachments[0]!.url);
  assert.match(recovering.attachments[0]!.description ?? '', /recovering at 15:15/);
  const recoveringId = recovering.attachments[0]!.id;

  const mark2 = fake.requests.length;
  await publisher(images, RESOLVED).deliver(s.events[2]!, s.resolved, { cursor: 2, ids });
  const refresh = fake.requests.slice(mark2).find((r) => r.method === 'PATCH')!;
  assert.equal(refresh.files?.[0]?.signature, 'png');
  const after = root(ids);
  assert.equal(after.attachments.length, 1);
  assert.notEqual(after.attachments[0]!.id, recoveringId);
  assert.equal(after.embeds[0]!.image?.url, after.attachments[0]!.url);
  assert.match(after.attachments[0]!.description ?? '', /Resolved at 15:20/);
});

test('an edit whose picture cannot be drawn keeps the last one', async () => {
  const s = stages();
  const ids = await publisher(images, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  const first = root(ids).attachments[0]!;
  const mark = fake.requests.length;
  await publisher(async () => Promise.reject(new Error('redis down')), RECOVERED).deliver(s.events[1]!, s.recovering, { cursor: 1, ids });
  const edit = fake.requests.slice(mark).find((r) => r.method === 'PATCH')!;
  assert.equal(edit.files, undefined);
  assert.equal((edit.body as { attachments?: unknown }).attachments, undefined, 'no attachments key: every file stays');
  assert.deepEqual(
    root(ids).attachments.map((a) => a.id),
    [first.id],
  );
  assert.equal(root(ids).embeds[0]!.image?.url, first.url);
});

test('a retried root post returns the first message (nonce), picture and all', async () => {
  const s = stages();
  const p = publisher(images, STARTED + 10_000);
  const a = await p.deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  const b = await p.deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.equal(a.rootMessageId, b.rootMessageId);
  assert.equal(fake.messagesIn('200').filter((m) => m.id === a.rootMessageId).length, 1);
});

test('a picture that fails to render: the words go out alone, and later edits do not reference it', async () => {
  const s = stages();
  warnings.length = 0;
  const broken: IncidentImageSource = async () => Promise.reject(new Error('no history'));
  const ids = await publisher(broken, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.equal(ids.rootImage, undefined);
  const m = root(ids);
  assert.equal(m.attachments.length, 0);
  assert.equal(m.embeds[0]!.image, undefined);
  assert.match(m.embeds[0]!.title!, /Block production halted/);
  assert.deepEqual(warnings, ['incident picture not rendered; posting without it']);
  // The resolution also fails to draw: a plain edit, and still no image reference.
  await publisher(broken, RESOLVED).deliver(s.events[2]!, s.resolved, { cursor: 2, ids });
  assert.equal(root(ids).embeds[0]!.image, undefined);
  assert.equal(root(ids).embeds[0]!.color, 0x2ecc71);
});

test('Discord refusing the picture (no Attach Files permission) still gets the words posted', async () => {
  const s = stages();
  warnings.length = 0;
  fake.failNext({ method: 'POST', path: /^\/channels\/200\/messages$/ }, { status: 403, code: 50013, message: 'Missing Permissions' });
  const ids = await publisher(images, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.equal(ids.rootImage, undefined);
  assert.equal(root(ids).attachments.length, 0);
  assert.deepEqual(warnings, ['Discord refused the incident picture; sending without it']);
});

test('pictures off (discord.images: false): no files at all', async () => {
  const s = stages();
  const mark = fake.requests.length;
  await publisher(undefined, STARTED + 10_000).deliver(s.events[0]!, s.open, { cursor: 0, ids: {} });
  assert.ok(fake.requests.slice(mark).every((r) => !r.files));
});
