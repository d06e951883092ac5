import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApplicationCommandOptionType as T, PermissionFlagsBits } from 'discord.js';
import { type IncidentEvent, keyspace } from '../../../src/model';
import { MOD_ROLE, startBotRig, type BotRig } from './support';

/** Slash commands and buttons through the real discord.js client, answered within Discord's window. */
let rig: BotRig;
let incidentId: string;
const member = { userId: '5001', username: 'alice' };
const moderator = { userId: '5002', username: 'mod-bob', roles: [MOD_ROLE] };
const admin = { userId: '5003', username: 'admin-carol', permissions: PermissionFlagsBits.ManageGuild.toString() };

before(async () => {
  rig = await startBotRig(3);
  const stored = await rig.running.store.readState<{ corr: { incident: { id: string } } }>('alpha');
  incidentId = stored!.incident!.id;
});

after(async () => {
  await rig?.stop();
});

const str = (name: string, value: string, focused = false) =>
  ({ name, type: T.String, value, ...(focused ? { focused: true } : {}) }) as never;
const sub = (name: string, options: unknown[]) => [{ name, type: T.Subcommand, options }] as never;

test('/status: deferred ephemeral, then every network at a glance', async () => {
  const r = await rig.ask({ kind: 'command', name: 'status', member });
  assert.deepEqual(r.callback, { type: 5, data: { flags: 64 } });
  const text = JSON.stringify(r.edit);
  for (const name of ['Alpha', 'Beta', 'Gamma']) assert.match(text, new RegExp(name));
  assert.match(text, /Block production halted/);
  assert.deepEqual(r.edit!.allowed_mentions, { parse: [] });
  assert.ok(r.elapsedMs < 3000, `answered in ${r.elapsedMs} ms`);
});

test('/status: network status for everyone; the X spend only for moderators, below it', async () => {
  const asMember = JSON.stringify((await rig.ask({ kind: 'command', name: 'status', member })).edit);
  assert.doesNotMatch(asMember, /spent this month/);
  const edit = (await rig.ask({ kind: 'command', name: 'status', member: moderator })).edit!;
  assert.equal(edit.content ?? '', '', 'nothing above the status');
  const last = edit.embeds.at(-1);
  assert.match(last.footer.text, /\nX: \$0\.00 spent this month of \$50\.00, projected \$0\.00\.$/);
  assert.match(edit.embeds[0].title, /Network status/);
});

test('/status network: detail with each endpoint; an unknown network names the known ones', async () => {
  const detail = await rig.ask({ kind: 'command', name: 'status', options: [str('network', 'beta')], member });
  assert.match(JSON.stringify(detail.edit), /rpc-a[\s\S]*rpc-b/);
  const unknown = await rig.ask({ kind: 'command', name: 'status', options: [str('network', 'zeta')], member });
  assert.match(unknown.edit!.content, /There is no network called “zeta”\. Known networks: `alpha`, `beta`, `gamma`\./);
});

test('autocomplete offers matching networks', async () => {
  const r = await rig.ask({ kind: 'autocomplete', name: 'status', options: [str('network', 'al', true)], member });
  assert.equal(r.callback.type, 8);
  assert.deepEqual(r.callback.data!.choices, [{ name: 'Alpha (alpha)', value: 'alpha' }]);
});

test('/incidents lists the open incident', async () => {
  const r = await rig.ask({ kind: 'command', name: 'incidents', member });
  assert.match(JSON.stringify(r.edit), /Block production halted/);
});

test('a member who is not a moderator is refused in words, and nothing changes', async () => {
  const r = await rig.ask({ kind: 'command', name: 'incident', options: sub('ack', [str('incident', incidentId)]), member });
  assert.equal(r.callback.type, 4);
  assert.equal(r.callback.data!.flags, 64);
  assert.equal(r.callback.data!.content, `You cannot do this: it needs the <@&${MOD_ROLE}> role or the Manage Server permission.`);
  assert.deepEqual(r.callback.data!.allowed_mentions, { parse: [] });
  const inc = await rig.running.store.getIncident(incidentId);
  assert.equal(inc!.ack, null);
});

test('a moderator acknowledges: recorded on the incident and in its timeline', async () => {
  const r = await rig.ask({ kind: 'command', name: 'incident', options: sub('ack', [str('incident', incidentId)]), member: moderator });
  assert.deepEqual(r.callback, { type: 5, data: { flags: 64 } });
  assert.match(r.edit!.content, /^✅ Acknowledged “Block production halted” \(alpha\)/);
  const inc = await rig.running.store.getIncident(incidentId);
  assert.equal(inc!.ack!.by, 'mod-bob');
  const timeline = await rig.running.store.getTimeline(incidentId);
  assert.deepEqual(timeline.at(-1)!.type, 'acknowledged');
  // The publishers were asked to catch up.
  const queued = await rig.running.redis.keys(`${keyspace(rig.prefix).bullPrefix}:publish-discord:${incidentId}-e${inc!.seq}`);
  assert.equal(queued.length, 1);
});

test('the Acknowledge button of a second moderator (Manage Server) says who already did', async () => {
  const r = await rig.ask({
    kind: 'button',
    customId: `incident:ack:${incidentId}`,
    messageId: rig.messageId,
    channelId: '200',
    member: admin,
  });
  assert.match(r.edit!.content, /already acknowledged by mod-bob/);
});

test('the Post update button opens a form; a moderator update lands in the timeline', async () => {
  const modal = await rig.ask({
    kind: 'button',
    customId: `incident:update:${incidentId}`,
    messageId: rig.messageId,
    channelId: '200',
    member: moderator,
  });
  assert.equal(modal.callback.type, 9);
  assert.equal(modal.callback.data!.custom_id, `incident-update:${incidentId}`);
  const r = await rig.ask({
    kind: 'command',
    name: 'incident',
    options: sub('update', [str('incident', incidentId), str('text', 'Sequencer restarting @everyone')]),
    member: moderator,
  });
  assert.match(r.edit!.content, /Posted your update/);
  const last = (await rig.running.store.getTimeline(incidentId)).at(-1) as IncidentEvent;
  assert.equal(last.type, 'update');
  assert.equal(last.text, 'Sequencer restarting @everyone', 'stored as typed; the renderer makes it inert');
});

test('/silence and /unsilence: moderators only, held in Redis with an expiry', async () => {
  const refused = await rig.ask({
    kind: 'command',
    name: 'silence',
    options: [str('network', 'beta'), str('duration', '2h'), str('reason', 'upgrade')],
    member,
  });
  assert.match(refused.callback.data!.content, /You cannot do this/);
  const bad = await rig.ask({
    kind: 'command',
    name: 'silence',
    options: [str('network', 'beta'), str('duration', 'forever'), str('reason', 'upgrade')],
    member: moderator,
  });
  assert.match(bad.callback.data!.content, /not a duration from 1 minute to 7 days/);
  const ok = await rig.ask({
    kind: 'command',
    name: 'silence',
    options: [str('network', 'beta'), str('duration', '2h'), str('reason', 'upgrade')],
    member: moderator,
  });
  assert.match(ok.edit!.content, /Beta is silenced for 2 h/);
  const ttl = await rig.running.redis.pttl(keyspace(rig.prefix).silence('beta'));
  assert.ok(ttl > 7_000_000 && ttl <= 7_200_000, `ttl ${ttl}`);
  const status = await rig.ask({ kind: 'command', name: 'status', member });
  assert.match(JSON.stringify(status.edit), /🔧/);
  const un = await rig.ask({ kind: 'command', name: 'unsilence', options: [str('network', 'beta')], member: moderator });
  assert.match(un.edit!.content, /no longer silenced/);
});

test('resolve by a moderator, then any action says it is already resolved', async () => {
  const r = await rig.ask({
    kind: 'command',
    name: 'incident',
    options: sub('resolve', [str('incident', incidentId), str('reason', 'fixed')]),
    member: moderator,
  });
  assert.match(r.edit!.content, /Resolved “Block production halted”/);
  const again = await rig.ask({
    kind: 'button',
    customId: `incident:resolve:${incidentId}`,
    messageId: rig.messageId,
    channelId: '200',
    member: moderator,
  });
  assert.match(again.edit!.content, /was already resolved/);
  const unknown = await rig.ask({
    kind: 'command',
    name: 'incident',
    options: sub('ack', [str('incident', 'alpha-20000101T000000Z')]),
    member: moderator,
  });
  assert.match(unknown.edit!.content, /There is no incident `alpha-20000101T000000Z`/);
});

test('every interaction was answered within 3 seconds', () => {
  for (const i of rig.fake.interactions.values()) assert.ok(i.callback, `interaction ${i.id} answered`);
});
