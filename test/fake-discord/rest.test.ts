// @discordjs/rest (the client chainwatch's publisher uses) against the fake: faults, validation, auth.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from 'discord.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord';

const POST_MESSAGES = { method: 'POST', path: /^\/channels\/\d+\/messages$/ };

describe('fake Discord REST', () => {
  let fake: FakeDiscord;
  let rest: REST;
  const send = (body: unknown, channel = '200') => rest.post(Routes.channelMessages(channel), { body });
  const apiError = (code: number, status: number) => (err: unknown) =>
    err instanceof DiscordAPIError && err.code === code && err.status === status;

  before(async () => {
    fake = await startFakeDiscord();
    rest = new REST({ api: fake.apiBase, retries: 0, rejectOnRateLimit: () => true }).setToken(fake.token);
  });
  after(() => fake.stop());

  test('every answer carries the rate-limit headers', async () => {
    const res = await fetch(`${fake.apiBase}/v10/channels/200`, { headers: { authorization: `Bot ${fake.token}` } });
    assert.equal(res.status, 200);
    for (const h of ['limit', 'remaining', 'reset', 'reset-after', 'bucket']) assert.ok(res.headers.get(`x-ratelimit-${h}`), h);
    assert.equal(((await res.json()) as { name: string }).name, 'alerts');
  });

  test('429 on POST messages: RateLimitError with the retry-after; the raw answer is shaped like Discord', async () => {
    fake.failNext(POST_MESSAGES, { status: 429, retryAfterSec: 1 });
    await assert.rejects(send({ content: 'x' }), (err) => {
      assert.ok(err instanceof RateLimitError);
      assert.ok(err.retryAfter >= 1000 && err.retryAfter < 2000, String(err.retryAfter));
      assert.equal(err.global, false);
      assert.equal(err.scope, 'user');
      assert.equal(err.route, '/channels/200/messages'); // the channel id is a major parameter
      return true;
    });
    assert.equal(fake.requests.at(-1)?.status, 429);
    assert.equal(fake.messagesIn('200').length, 0);

    fake.failNext(POST_MESSAGES, { status: 429, retryAfterSec: 1.5, global: true });
    const res = await fetch(`${fake.apiBase}/v10/channels/200/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: '{"content":"x"}',
    });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal(res.headers.get('x-ratelimit-global'), 'true');
    assert.equal(res.headers.get('x-ratelimit-scope'), 'global');
    assert.deepEqual(await res.json(), { message: 'You are being rate limited.', retry_after: 1.5, global: true });
  });

  test('5xx: HTTPError with the status; with retries the request goes through', async () => {
    fake.failNext(POST_MESSAGES, { status: 500 });
    await assert.rejects(send({ content: 'x' }), (err) => err instanceof HTTPError && err.status === 500);
    const retrying = new REST({ api: fake.apiBase, retries: 1 }).setToken(fake.token);
    fake.failNext(POST_MESSAGES, { status: 503 });
    const before = fake.requests.length;
    const m = (await retrying.post(Routes.channelMessages('201'), { body: { content: 'after 503' } })) as { id: string };
    assert.deepEqual(
      fake.requests.slice(before).map((r) => r.status),
      [503, 200],
    );
    assert.equal(fake.messagesIn('201').at(-1)?.id, m.id);
  });

  test('custom fault: 403 Missing Permissions', async () => {
    fake.failNext({ path: /^\/channels\/201\/messages$/ }, { status: 403, code: 50013, message: 'Missing Permissions' });
    await assert.rejects(send({ content: 'x' }, '201'), apiError(50013, 403));
  });

  test('invalid form body: 2001-char content is 50035 with the field error', async () => {
    await assert.rejects(send({ content: 'a'.repeat(2001) }), (err) => {
      assert.ok(apiError(50035, 400)(err));
      const raw = (err as DiscordAPIError).rawError as unknown as { errors: { content: { _errors: { code: string }[] } } };
      assert.equal(raw.errors.content._errors[0]?.code, 'BASE_TYPE_MAX_LENGTH');
      return true;
    });
    await send({ content: 'a'.repeat(2000) });
  });

  test('embed limits, each answered with 50035 at the right path; exactly-at-limit is accepted', async () => {
    const e = (over: Record<string, unknown>) => ({ title: 't', ...over });
    const field = { name: 'n', value: 'v' };
    const cases: [unknown, string][] = [
      [{ embeds: Array.from({ length: 11 }, () => e({})) }, 'embeds'],
      [{ embeds: [e({ title: 'a'.repeat(257) })] }, 'embeds.0.title'],
      [{ embeds: [e({ description: 'a'.repeat(4097) })] }, 'embeds.0.description'],
      [{ embeds: [e({ fields: Array.from({ length: 26 }, () => field) })] }, 'embeds.0.fields'],
      [{ embeds: [e({ fields: [{ name: 'a'.repeat(257), value: 'v' }] })] }, 'embeds.0.fields.0.name'],
      [{ embeds: [e({ fields: [{ name: 'n', value: 'a'.repeat(1025) }] })] }, 'embeds.0.fields.0.value'],
      [{ embeds: [e({ footer: { text: 'a'.repeat(2049) } })] }, 'embeds.0.footer.text'],
      [{ embeds: [e({ author: { name: 'a'.repeat(257) } })] }, 'embeds.0.author.name'],
      [{ embeds: [{ description: 'a'.repeat(3000) }, { description: 'a'.repeat(3001) }] }, 'embeds'],
    ];
    for (const [body, path] of cases) {
      await assert.rejects(send(body), (err) => {
        assert.ok(apiError(50035, 400)(err), path);
        let node = ((err as DiscordAPIError).rawError as unknown as { errors: Record<string, unknown> }).errors;
        for (const key of path.split('.')) node = node[key] as Record<string, unknown>;
        assert.ok(Array.isArray(node._errors), path);
        return true;
      });
    }
    // 6000 in total once whitespace is trimmed, every field at its own maximum.
    await send({ embeds: [{ title: 'a'.repeat(256), description: ` ${'a'.repeat(4096)} `, footer: { text: 'a'.repeat(1648) } }] });
    await assert.rejects(send({ content: '', embeds: [] }), apiError(50006, 400));
  });

  test('auth: a wrong or missing token is 401 and recorded as unauthorized', async () => {
    const bad = new REST({ api: fake.apiBase, retries: 0 }).setToken('wrong-token');
    await assert.rejects(bad.get(Routes.channel('200')), (err) => apiError(0, 401)(err) && (err as Error).message === '401: Unauthorized');
    assert.equal(fake.requests.at(-1)?.authorized, false);
    const anon = await fetch(`${fake.apiBase}/v10/users/@me`);
    assert.equal(anon.status, 401);
  });

  test('unknown channel, message, interaction and route', async () => {
    await assert.rejects(send({ content: 'x' }, '999'), apiError(10003, 404));
    await assert.rejects(rest.patch(Routes.channelMessage('200', '1'), { body: { content: 'y' } }), apiError(10008, 404));
    await assert.rejects(rest.post(Routes.interactionCallback('1', 'tok'), { body: { type: 4 }, auth: false }), apiError(10062, 404));
    await assert.rejects(rest.get('/guilds/100/audit-logs'), apiError(0, 404));
  });

  test('enforce_nonce is per channel and only when asked', async () => {
    const a = (await send({ content: 'a', nonce: 'n-1', enforce_nonce: true }, '200')) as { id: string };
    const b = (await send({ content: 'a', nonce: 'n-1', enforce_nonce: true }, '201')) as { id: string };
    const c = (await send({ content: 'a', nonce: 'n-1' }, '200')) as { id: string };
    assert.equal(new Set([a.id, b.id, c.id]).size, 3);
    await assert.rejects(send({ content: 'a', nonce: 'x'.repeat(26), enforce_nonce: true }), apiError(50035, 400));
  });

  test('allowed_mentions decides who is pinged', async () => {
    const content = '@everyone <@123> <@&300>';
    const open = (await send({ content })) as { mention_everyone: boolean; mentions: unknown[]; mention_roles: string[] };
    assert.deepEqual([open.mention_everyone, open.mentions.length, open.mention_roles], [true, 1, ['300']]);
    const closed = (await send({ content, allowed_mentions: { parse: [] } })) as typeof open;
    assert.deepEqual([closed.mention_everyone, closed.mentions.length, closed.mention_roles], [false, 0, []]);
  });

  test('multipart: payload_json is the body, files are recorded and become attachments', async () => {
    const m = (await rest.post(Routes.channelMessages('200'), {
      body: { content: 'with file', attachments: [{ id: 0, description: 'timeline' }] },
      files: [{ name: 'timeline.jsonl', data: Buffer.from('{"a":1}\n'), contentType: 'application/jsonl' }],
    })) as { attachments: { filename: string; size: number; description?: string }[] };
    const req = fake.requests.at(-1);
    assert.deepEqual(req?.body, { content: 'with file', attachments: [{ id: 0, description: 'timeline' }] });
    assert.deepEqual(req?.files, [{ field: 'files[0]', filename: 'timeline.jsonl', contentType: 'application/jsonl', size: 8 }]);
    assert.deepEqual(
      m.attachments.map((a) => [a.filename, a.size, a.description]),
      [['timeline.jsonl', 8, 'timeline']],
    );
  });

  test('application commands: bulk overwrite echoes ids, keeps them across overwrites, GET lists them', async () => {
    const route = Routes.applicationGuildCommands(fake.applicationId, fake.guildId);
    const body = [{ name: 'status', description: 'Network status', options: [] }];
    const [first] = (await rest.put(route, { body })) as { id: string; guild_id: string; application_id: string }[];
    assert.ok(first && /^\d+$/.test(first.id));
    assert.equal(first.guild_id, fake.guildId);
    const [again] = (await rest.put(route, { body })) as { id: string }[];
    assert.equal(again?.id, first.id);
    assert.deepEqual(
      ((await rest.get(route)) as { name: string }[]).map((c) => c.name),
      ['status'],
    );
    await assert.rejects(rest.put(route, { body: [{ name: 'Bad Name', description: 'x' }] }), apiError(50035, 400));
  });
});
