// The REAL discord.js Client against the fake: login, send with nonce, threads, interactions, resume.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  PermissionFlagsBits,
  type TextChannel,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord';

const MOD_ROLE = '300';
const moderator = { userId: '500', username: 'alice', roles: [MOD_ROLE], permissions: PermissionFlagsBits.ManageGuild.toString() };

/** Resolves with the next interaction the client emits, after `handle` ran on it. */
function nextInteraction(client: Client, handle: (i: Interaction) => Promise<unknown>): Promise<Interaction> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (i) => void handle(i).then(() => resolve(i), reject));
  });
}

describe('fake Discord with the real discord.js Client', () => {
  let fake: FakeDiscord;
  let client: Client;
  let channel: TextChannel;

  before(async () => {
    fake = await startFakeDiscord({
      guild: { roles: [{ id: MOD_ROLE, name: 'moderator', permissions: PermissionFlagsBits.ManageGuild.toString() }] },
    });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase }, allowedMentions: { parse: [] } });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(fake.token);
    await ready;
  });

  after(async () => {
    await client.destroy();
    await fake.stop();
  });

  test('login: GET /gateway/bot with the bot token, IDENTIFY with the intents, guild cached from GUILD_CREATE', () => {
    // discord.js makes exactly one REST call to log in; everything else comes over the gateway.
    assert.deepEqual(
      fake.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /gateway/bot'],
    );
    const gw = fake.requests.find((r) => r.path === '/gateway/bot');
    assert.ok(gw);
    assert.equal(gw.authorized, true);
    assert.equal(gw.headers.authorization, 'Bot [redacted]');
    assert.deepEqual(fake.sessions, [{ token: 'test-token', intents: GatewayIntentBits.Guilds }]);
    const guild = client.guilds.cache.get(fake.guildId);
    assert.ok(guild);
    assert.deepEqual([...guild.channels.cache.keys()].sort(), ['200', '201']);
    assert.equal(guild.members.me?.id, fake.botUserId);
    assert.ok(guild.roles.cache.has(MOD_ROLE));
  });

  test('channels.fetch + send with enforceNonce twice gives one message', async () => {
    channel = (await client.channels.fetch('200', { force: true })) as TextChannel;
    assert.equal(channel.name, 'alerts');
    assert.ok(fake.requests.some((r) => r.method === 'GET' && r.path === '/channels/200' && r.status === 200));
    const options = {
      content: 'MegaETH halted',
      embeds: [{ title: 'Incident', description: 'no new blocks' }],
      nonce: 'inc-1-root',
      enforceNonce: true,
    };
    const first = await channel.send(options);
    const second = await channel.send(options);
    assert.equal(second.id, first.id);
    assert.equal(fake.messagesIn('200').length, 1);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/channels/200/messages');
    assert.equal(posts.length, 2);
    // The recorded body is the parsed JSON: keys discord.js left undefined are not on the wire.
    assert.deepEqual(posts[0]?.body, {
      content: 'MegaETH halted',
      tts: false,
      nonce: 'inc-1-root',
      enforce_nonce: true,
      embeds: [{ title: 'Incident', description: 'no new blocks' }],
      allowed_mentions: { parse: [] },
    });
    assert.equal(fake.messagesIn('200')[0]?.nonce, 'inc-1-root');
    assert.equal(fake.messagesIn('200')[0]?.embeds[0]?.type, 'rich');
  });

  test('startThread: thread id = message id; a second start answers 160004', async () => {
    const root = await channel.send({ content: 'root' });
    const thread = await root.startThread({ name: 'MegaETH outage', autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    assert.equal(thread.id, root.id);
    assert.equal(thread.parentId, '200');
    assert.equal(fake.channels.get(root.id)?.type, 11);
    assert.equal(fake.channels.get(root.id)?.autoArchiveDuration, 1440);
    assert.equal(fake.messagesIn('200').find((m) => m.id === root.id)?.thread?.id, root.id);
    const again = channel.threads.create({ startMessage: root.id, name: 'again' });
    await assert.rejects(again, (err) => err instanceof DiscordAPIError && err.code === 160004 && err.status === 400);
    await thread.send('update 1');
    assert.equal(fake.messagesIn(root.id)[0]?.content, 'update 1');
    await thread.setArchived(true);
    assert.equal(fake.channels.get(root.id)?.archived, true);
  });

  test('slash command: options, member roles and permissions; deferReply(ephemeral) + editReply', async () => {
    let seen: { network: string | null; roles: string[]; canManage: boolean | undefined } | undefined;
    const handled = nextInteraction(client, async (i) => {
      assert.ok(i.isChatInputCommand());
      const roles = i.inCachedGuild() ? [...i.member.roles.cache.keys()].sort() : [];
      seen = { network: i.options.getString('network'), roles, canManage: i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) };
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({ content: 'MegaETH: halted for 3h' });
    });
    const { id, token } = await fake.interact({
      kind: 'command',
      name: 'status',
      member: moderator,
      channelId: '200',
      options: [{ name: 'network', type: ApplicationCommandOptionType.String, value: 'megaeth' }],
    });
    await handled;
    // GuildMemberRoleManager.cache also holds @everyone (id = guild id).
    assert.deepEqual(seen, { network: 'megaeth', roles: [fake.guildId, MOD_ROLE].sort(), canManage: true });
    const cb = await fake.waitForRequest({ method: 'POST', path: new RegExp(`^/interactions/${id}/${token}/callback$`) });
    assert.deepEqual(cb.body, { type: 5, data: { flags: 64 } });
    assert.equal(cb.query.with_response, 'false');
    assert.equal(cb.status, 204);
    const edit = await fake.waitForRequest({
      method: 'PATCH',
      path: new RegExp(`^/webhooks/${fake.applicationId}/${token}/messages/@original$`),
    });
    assert.equal(edit.status, 200);
    const original = fake.interactions.get(id);
    assert.equal(original?.callback?.type, 5);
    assert.equal(
      fake.messagesIn('200').some((m) => m.content === 'MegaETH: halted for 3h'),
      false,
      'ephemeral reply is not in the channel',
    );
  });

  test('slash command: reply(withResponse) returns the message; followUp posts another', async () => {
    let replyContent: string | undefined;
    const handled = nextInteraction(client, async (i) => {
      assert.ok(i.isChatInputCommand());
      const response = await i.reply({ content: 'pong', withResponse: true });
      replyContent = response.resource?.message?.content;
      await i.followUp({ content: 'details', flags: MessageFlags.Ephemeral });
    });
    const { id, token } = await fake.interact({ kind: 'command', name: 'ping', member: { userId: '501' } });
    await handled;
    assert.equal(replyContent, 'pong');
    const reply = fake.messagesIn('200').find((m) => m.interaction_metadata?.id === id);
    assert.equal(reply?.content, 'pong');
    assert.equal(reply?.webhook_id, fake.applicationId);
    const follow = await fake.waitForRequest({ method: 'POST', path: new RegExp(`^/webhooks/${fake.applicationId}/${token}$`) });
    assert.equal(follow.query.wait, 'true');
    assert.equal(follow.status, 200);
    assert.equal(fake.interactions.get(id)?.followupIds.length, 1);
    assert.equal(
      fake.messagesIn('200').some((m) => m.content === 'details'),
      false,
      'ephemeral follow-up',
    );
  });

  test('button: update() edits the message; deferUpdate() + editReply edits it through @original', async () => {
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('ack:inc-1').setLabel('Acknowledge').setStyle(ButtonStyle.Primary),
    );
    const message: Message = await channel.send({ content: 'incident inc-1', components: [row] });
    const updated = nextInteraction(client, async (i) => {
      assert.ok(i.isButton());
      assert.equal(i.customId, 'ack:inc-1');
      assert.equal(i.message.id, message.id);
      await i.update({ content: 'incident inc-1 (acknowledged by alice)', components: [row] });
    });
    const first = await fake.interact({
      kind: 'button',
      customId: 'ack:inc-1',
      messageId: message.id,
      channelId: '200',
      member: moderator,
    });
    await updated;
    const cb = await fake.waitForRequest({ method: 'POST', path: new RegExp(`^/interactions/${first.id}/`) });
    assert.equal((cb.body as { type: number }).type, 7);
    assert.equal(fake.messagesIn('200').find((m) => m.id === message.id)?.content, 'incident inc-1 (acknowledged by alice)');

    const deferred = nextInteraction(client, async (i) => {
      assert.ok(i.isButton());
      await i.deferUpdate();
      await i.editReply({ content: 'incident inc-1 (resolved)', components: [] });
    });
    const second = await fake.interact({
      kind: 'button',
      customId: 'ack:inc-1',
      messageId: message.id,
      channelId: '200',
      member: moderator,
    });
    await deferred;
    const cb2 = await fake.waitForRequest({ method: 'POST', path: new RegExp(`^/interactions/${second.id}/`) });
    assert.deepEqual(cb2.body, { type: 6 });
    const stored = fake.messagesIn('200').find((m) => m.id === message.id);
    assert.equal(stored?.content, 'incident inc-1 (resolved)');
    assert.deepEqual(stored?.components, []);
    await assert.rejects(
      fake.interact({ kind: 'button', customId: 'nope', messageId: message.id, channelId: '200', member: moderator }),
      /no button with custom_id nope/,
    );
  });

  test('autocomplete: respond() records the choices; a second callback is 40060', async () => {
    const done = nextInteraction(client, async (i) => {
      assert.ok(i.isAutocomplete());
      assert.deepEqual(i.options.getFocused(true), {
        name: 'network',
        type: ApplicationCommandOptionType.String,
        value: 'meg',
        focused: true,
      });
      await i.respond([{ name: 'MegaETH', value: 'megaeth' }]);
    });
    const { id, token } = await fake.interact({
      kind: 'autocomplete',
      name: 'status',
      member: moderator,
      options: [{ name: 'network', type: ApplicationCommandOptionType.String, value: 'meg', focused: true }],
    });
    await done;
    assert.deepEqual(fake.interactions.get(id)?.callback, { type: 8, data: { choices: [{ name: 'MegaETH', value: 'megaeth' }] } });
    const again = client.rest.post(`/interactions/${id}/${token}/callback`, { body: { type: 8, data: { choices: [] } }, auth: false });
    await assert.rejects(again, (err) => err instanceof DiscordAPIError && err.code === 40060);
  });

  test('op 7 RECONNECT: discord.js resumes the session and keeps working', async () => {
    const resumed = new Promise((resolve) => client.once(Events.ShardResume, resolve));
    fake.requestReconnect();
    await resumed;
    assert.equal(fake.sessions.length, 1, 'resumed, not re-identified');
    const m = await channel.send('after resume');
    assert.equal(fake.messagesIn('200').at(-1)?.id, m.id);
  });
});

describe('gateway intents', () => {
  test('community messages reach messageCreate with GuildMessages; content needs MessageContent', async () => {
    for (const withContent of [true, false]) {
      const fake = await startFakeDiscord();
      const intents = [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        ...(withContent ? [GatewayIntentBits.MessageContent] : []),
      ];
      const client = new Client({ intents, rest: { api: fake.apiBase } });
      const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
      await client.login(fake.token);
      await ready;
      const got = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
      fake.userMessage('201', { userId: '700', username: 'bob' }, 'is megaeth down?');
      const m = await got;
      assert.equal(m.author.username, 'bob');
      assert.equal(m.content, withContent ? 'is megaeth down?' : '');
      await client.destroy();
      await fake.stop();
    }
  });
});
