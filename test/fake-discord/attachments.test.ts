/** Files on messages in the fake Discord, through the REAL @discordjs/rest client (multipart). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord';

let fake: FakeDiscord;
let rest: REST;
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const file = (name = 'incident.png', data = PNG) => ({ name, data, contentType: 'image/png' });

before(async () => {
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.apiBase, retries: 0 }).setToken(fake.token);
});
after(() => fake.stop());

test('an image attachment shown in the embed: recorded, checked, and resolved to its URL', async () => {
  const m = (await rest.post(Routes.channelMessages('200'), {
    body: {
      embeds: [{ title: 't', image: { url: 'attachment://incident.png' } }],
      attachments: [{ id: 0, filename: 'incident.png', description: 'alt' }],
    },
    files: [file()],
  })) as APIMessage;
  const req = fake.requests.at(-1)!;
  assert.equal(req.files?.[0]?.signature, 'png');
  assert.deepEqual([req.files?.[0]?.width, req.files?.[0]?.height], [1, 1]);
  assert.equal(m.attachments.length, 1);
  assert.equal(m.attachments[0]!.description, 'alt');
  assert.equal(m.embeds[0]!.image?.url, m.attachments[0]!.url);

  // An edit without files keeps the attachment; one naming only a new file replaces it.
  const kept = (await rest.patch(Routes.channelMessage('200', m.id), {
    body: { embeds: [{ title: 'u', image: { url: 'attachment://incident.png' } }] },
  })) as APIMessage;
  assert.deepEqual(
    kept.attachments.map((a) => a.id),
    [m.attachments[0]!.id],
  );
  assert.equal(kept.embeds[0]!.image?.url, m.attachments[0]!.url);
  const replaced = (await rest.patch(Routes.channelMessage('200', m.id), {
    body: { embeds: [{ title: 'v', image: { url: 'attachment://incident.png' } }], attachments: [{ id: 0, filename: 'incident.png' }] },
    files: [file()],
  })) as APIMessage;
  assert.equal(replaced.attachments.length, 1);
  assert.notEqual(replaced.attachments[0]!.id, m.attachments[0]!.id);
  assert.equal(replaced.embeds[0]!.image?.url, replaced.attachments[0]!.url);
});

test('refused: bytes that are not the declared image, an unknown attachment:// name, an attachment without its file', async () => {
  const refused = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof DiscordAPIError && err.status === 400 && err.code === 50035, String(err));
  };
  await refused(rest.post(Routes.channelMessages('200'), { body: { content: 'x' }, files: [file('a.png', Buffer.from('not a png'))] }));
  await refused(
    rest.post(Routes.channelMessages('200'), {
      body: { embeds: [{ title: 't', image: { url: 'attachment://other.png' } }] },
      files: [file()],
    }),
  );
  await refused(rest.post(Routes.channelMessages('200'), { body: { content: 'x', attachments: [{ id: 1 }] }, files: [file()] }));
});
