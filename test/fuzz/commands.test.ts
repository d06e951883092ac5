/**
 * Slash commands and buttons with hostile and out-of-range options, through the real
 * discord.js client against the fake Discord: every interaction is answered in words, no
 * answer can ping, a non-moderator changes nothing, and the bot still answers afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApplicationCommandOptionType as T } from 'discord.js';
import { keyspace } from '../../src/model';
import { MOD_ROLE, startBotRig, type BotRig } from '../discord/bot/support';
import { rng } from '../support/rng';

let rig: BotRig;
let incidentId: string;

before(async () => {
  rig = await startBotRig(3);
  incidentId = (await rig.running.store.readState('alpha'))!.incident!.id;
});
after(async () => {
  await rig?.stop();
});

const r = rng(424242);
const pick = <X>(xs: readonly X[]): X => xs[Math.floor(r() * xs.length)]!;

const NASTY = [
  '@everyone',
  '@here',
  '<@&400>',
  '<@5002>',
  '<#200>',
  '[x](https://evil.example)',
  '\u202e',
  '\u200b',
  '**',
  '`',
  '```',
  '||',
  '> ',
  '\n',
  '🦄',
  '日本',
  '\u0000',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999d',
  '-5m',
  '0s',
  '8d',
  '1m',
  '7d',
  'alpha',
  'ALPHA',
  ' beta ',
  'gamma\n',
  '../',
  '%00',
  '${DISCORD_TOKEN}',
];
const text = (max: number) => {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n && s.length < 6000; i++) s += pick(NASTY);
  return s;
};
const str = (name: string, value: string) => ({ name, type: T.String, value });
const sub = (name: string, options: unknown[]) => [{ name, type: T.Subcommand, options }];

const member = { userId: '6001', username: 'eve' };
const moderator = { userId: '6002', username: 'mod-dan', roles: [MOD_ROLE] };

function randomInteraction(): Parameters<BotRig['ask']>[0] {
  const who = r() < 0.5 ? member : moderator;
  const incidentLike = () => pick([incidentId, text(5), `alpha-${text(3)}`, `${incidentId}${text(2)}`, '']);
  switch (Math.floor(r() * 7)) {
    case 0:
      return { kind: 'command', name: 'status', options: r() < 0.7 ? [str('network', text(6))] : [], member: who } as never;
    case 1:
      return {
        kind: 'command',
        name: 'incidents',
        options: [str('network', text(4)), str('filter', pick(['active', 'recent', 'all', text(3)]))],
        member: who,
      } as never;
    case 2:
      return {
        kind: 'command',
        name: 'silence',
        options: [str('network', pick(['beta', 'gamma', text(4)])), str('duration', text(3)), str('reason', text(20))],
        member: who,
      } as never;
    case 3:
      return { kind: 'command', name: 'unsilence', options: [str('network', pick(['beta', text(4)]))], member: who } as never;
    case 4: {
      // Moderators do everything but close the incident (that would end the run's coverage).
      const action = pick(
        who === member ? ['ack', 'update', 'confirm', 'dismiss', 'resolve', 'nuke', ''] : ['ack', 'update', 'confirm', 'nuke', ''],
      );
      const options = [str('incident', incidentLike()), ...(action === 'update' ? [str('text', text(40))] : [str('reason', text(10))])];
      return { kind: 'command', name: 'incident', options: sub(action, options), member: who } as never;
    }
    case 5: {
      // Discord sends only custom_ids that are on the message; anyone may press any of them.
      const action = pick(who === member ? ['ack', 'update', 'resolve', 'dismiss'] : ['ack', 'update']);
      return {
        kind: 'button',
        customId: `incident:${action}:${incidentId}`,
        messageId: rig.messageId,
        channelId: '200',
        member: who,
      } as never;
    }
    default:
      return { kind: 'command', name: pick(['stauts', text(2), 'incident']), options: [], member: who } as never;
  }
}

/** Every mention of any kind is off in the payload (the client default or the reply's own). */
function neverPings(body: Record<string, any> | undefined, what: string): number {
  if (!body) return 0;
  const data = body.data ?? body;
  if (!data.content && !data.embeds) return 0;
  assert.deepEqual(data.allowed_mentions?.parse ?? null, [], `${what}: allowed_mentions ${JSON.stringify(data.allowed_mentions)}`);
  assert.ok(!data.allowed_mentions.users?.length && !data.allowed_mentions.roles?.length, `${what}: names no one to ping`);
  return 1;
}

test('300 hostile interactions: each answered in words, none can ping, the bot carries on', { timeout: 240_000 }, async () => {
  const keys = keyspace(rig.prefix);
  let answered = 0;
  let checked = 0;
  for (let i = 0; i < 300; i++) {
    const spec = randomInteraction();
    const reply = await rig.ask(spec);
    answered++;
    checked += neverPings(reply.callback, `#${i} callback`) + neverPings(reply.edit, `#${i} edit`);
    if (reply.callback.type !== 9) {
      // A command answer (or a deferred one's edit) always says something.
      const words = JSON.stringify(reply.edit ?? reply.callback.data ?? {});
      assert.ok(words.length > 20, `#${i} answered with words: ${words}`);
    }
    const data = (reply.edit ?? reply.callback.data ?? {}) as Record<string, any>;
    if (
      (spec as { member: unknown }).member === member &&
      /silenced for|Acknowledged|Dismissed|Confirmed/.test(String(data.content ?? ''))
    ) {
      assert.fail(`#${i}: a non-moderator changed something: ${data.content}`);
    }
  }
  assert.equal(answered, 300);
  assert.ok(checked >= 250, `${checked} answers with words were checked for mentions`);
  // A non-moderator never acknowledged or silenced anything.
  const incident = await rig.running.store.getIncident(incidentId);
  assert.notEqual(incident?.ack?.by, member.username);
  for (const n of ['alpha', 'beta', 'gamma']) {
    const raw = await rig.running.redis.get(keys.silence(n));
    if (raw) assert.doesNotMatch(raw, /"by":"eve"/);
  }
  const status = await rig.ask({ kind: 'command', name: 'status', member } as never);
  assert.match(JSON.stringify(status.edit), /Alpha/);
  for (const i of rig.fake.interactions.values()) assert.ok(i.callback, `interaction ${i.id} answered`);
});
