/**
 * Media upload on the fake X API v2, driven by the REAL twitter-api-v2 client (v2.uploadMedia,
 * v2.createMediaMetadata, v2.tweet with media) with OAuth 1.0a signatures checked.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { startFakeX, type FakeX } from '../support/fake-x';
import { parseMultipart } from '../support/fake-x/multipart';

let fake: FakeX;
let client: TwitterApi;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);

before(async () => {
  fake = await startFakeX();
  const a = fake.account;
  client = new TwitterApi(
    { appKey: fake.appKey, appSecret: fake.appSecret, accessToken: a.accessToken, accessSecret: a.accessSecret },
    fake.clientSettings(),
  );
});
after(() => fake.stop());

async function rejection(p: Promise<unknown>): Promise<ApiResponseError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiResponseError, String(e));
    return e;
  }
  assert.fail('expected a rejection');
}

test('upload (initialize, append, finalize), alt text, then a post carrying the media id', async () => {
  const id = await client.v2.uploadMedia(PNG, { media_type: 'image/png', media_category: 'tweet_image' });
  const paths = fake.requests.slice(-3).map((r) => `${r.method} ${r.path.replace(id, ':id')} ${r.status} ${r.authValid}`);
  assert.deepEqual(paths, [
    'POST /2/media/upload/initialize 200 true',
    'POST /2/media/upload/:id/append 200 true',
    'POST /2/media/upload/:id/finalize 200 true',
  ]);
  assert.deepEqual(fake.requests.at(-3)!.body, { media_type: 'image/png', total_bytes: PNG.length, media_category: 'tweet_image' });
  const meta = await client.v2.createMediaMetadata(id, { alt_text: { text: 'A chart' } });
  assert.deepEqual(meta.data, { id, associated_metadata: { alt_text: { text: 'A chart' } } });
  const media = fake.media(id)!;
  assert.ok(media.finalized && media.data!.equals(PNG));
  assert.equal(media.altText, 'A chart');

  const post = await client.v2.tweet({ text: 'MegaETH halted', media: { media_ids: [id] } });
  assert.match(post.data.text, /^MegaETH halted https:\/\/t\.co\/\S{10}$/, 'X shows the media as a t.co link');
  assert.deepEqual(fake.timeline().at(-1)!.mediaIds, [id]);
  // The duplicate check compares the text as sent.
  assert.equal((await rejection(client.v2.tweet({ text: 'MegaETH halted' }))).code, 403);
});

test('unknown, unfinished or foreign media ids, bytes that are not the declared type, and app-only auth are refused', async () => {
  assert.equal((await rejection(client.v2.tweet({ text: 'x1', media: { media_ids: ['123'] } }))).code, 400);
  const init = await client.v2.post<{ data: { id: string } }>('media/upload/initialize', { media_type: 'image/png', total_bytes: 10 });
  assert.equal((await rejection(client.v2.tweet({ text: 'x2', media: { media_ids: [init.data.id] } }))).code, 400, 'not finalized');
  const bad = await rejection(client.v2.uploadMedia(Buffer.from('GIF89a not a png at all'), { media_type: 'image/png' }));
  assert.equal(bad.code, 400);
  assert.match(JSON.stringify(bad.data), /not a valid image\/png/);
  assert.equal(
    (await rejection(client.v2.uploadMedia(Buffer.alloc(6 * 1024 * 1024), { media_type: 'image/png' }))).code,
    400,
    'images ≤ 5 MB',
  );
  const app = new TwitterApi(fake.bearerToken, fake.clientSettings());
  assert.equal((await rejection(app.v2.uploadMedia(PNG, { media_type: 'image/png' }))).code, 403);
  assert.equal((await rejection(client.v2.createMediaMetadata('1', { alt_text: { text: 'x' } }))).code, 404);
});

test('the multipart parser keeps bytes as bytes', () => {
  const body = Buffer.concat([
    Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n0\r\n--b\r\nContent-Disposition: form-data; name="media"\r\nContent-Type: application/octet-stream\r\n\r\n',
    ),
    PNG,
    Buffer.from('\r\n--b--\r\n'),
  ]);
  const parts = parseMultipart(body, 'b');
  assert.deepEqual(
    parts.map((p) => [p.name, p.data.length, p.contentType]),
    [
      ['segment_index', 1, undefined],
      ['media', PNG.length, 'application/octet-stream'],
    ],
  );
  assert.ok(parts[1]!.data.equals(PNG));
  assert.throws(() => parseMultipart(Buffer.from('--b\r\nno end'), 'b'));
});
