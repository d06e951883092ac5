/**
 * Discord payloads for an incident's root message and thread. Representative payloads are
 * pinned as inline snapshots; hostile input must stay within Discord's limits and inert.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { EVENT_TYPES, type Incident, type IncidentEvent, STATUSES } from '../../src/model';
import { embedsWithinLimits, MESSAGE_CONTENT_MAX, THREAD_NAME_MAX } from '../../src/discord/limits';
import { blockUrl, renderRoot, renderThreadEvent, renderThreadName, statusColour } from '../../src/discord/render';
import { ALL_HOSTILE, assertInert, HOSTILE } from './hostile';

/** The 2025-03-07 MegaETH outage: opened 12:03:01 UTC, the last block at 12:02:49. */
const OPENED_AT = Date.UTC(2025, 2, 7, 12, 3, 1);
const NOW = OPENED_AT + 600_000;
const ROLE = '123456789012345678';

const incident: Incident = {
  id: 'megaeth-20250307T120301Z',
  network: 'megaeth',
  status: 'investigating',
  severity: 'major',
  kind: 'halted',
  title: 'Block production halted',
  startedAt: OPENED_AT - 12_000,
  openedAt: OPENED_AT,
  updatedAt: NOW,
  confirmedAt: OPENED_AT,
  recoveredAt: null,
  resolvedAt: null,
  ack: null,
  signals: { endpoint_down: 12, halted: 640 },
  summary: 'No new block for 10 min 12 s; the last was #1,234,567 at 12:02:49 UTC (2 of 2 endpoints agree)',
  seq: 2,
  reopened: 0,
  seen: ['halted'],
};
const head = { number: 1_234_567, timestamp: (OPENED_AT - 12_000) / 1000 };

function event(over: Partial<IncidentEvent>): IncidentEvent {
  return {
    incidentId: incident.id,
    network: 'megaeth',
    seq: 3,
    at: OPENED_AT + 10_800_000,
    type: 'recovered',
    status: 'monitoring',
    severity: 'critical',
    kind: 'halted',
    title: incident.title,
    text: 'Blocks are being produced again: #1,234,568 at 15:03:01 UTC. Block production was halted for 3 h. Monitoring for 5 min before resolving.',
    ...over,
  };
}

const button = (action: string, label: string, style: number) => ({
  type: 2,
  custom_id: `incident:${action}:${incident.id}`,
  label,
  style,
});

test('snapshot: the opening root message pings the role once, with one embed and the moderator buttons', () => {
  const body = renderRoot(
    incident,
    { networkName: 'MegaETH', head, explorerUrl: 'https://megaexplorer.xyz/', pingRoleId: ROLE, ping: true },
    NOW,
  );
  assert.deepEqual(body, {
    content: `<@&${ROLE}>`,
    embeds: [
      {
        title: '🔴 MegaETH: Block production halted',
        description: 'No new block for 10 min 12 s; the last was #1,234,567 at 12:02:49 UTC (2 of 2 endpoints agree)',
        color: 0xe74c3c,
        fields: [
          { name: 'Status', value: 'Investigating · Major', inline: true },
          { name: 'Since', value: '<t:1741348969:f> (<t:1741348969:R>)', inline: true },
          { name: 'Latest head', value: '[#1,234,567](https://megaexplorer.xyz/block/1234567) · <t:1741348969:R>', inline: true },
          { name: 'Evidence', value: 'halted ×640, provider down ×12', inline: false },
        ],
        footer: { text: 'incident megaeth-20250307T120301Z' },
        timestamp: '2025-03-07T12:13:01.000Z',
      },
    ],
    components: [
      {
        type: 1,
        components: [
          button('ack', 'Acknowledge', 1),
          button('update', 'Post update', 2),
          button('resolve', 'Resolve', 3),
          button('dismiss', 'Dismiss', 2),
        ],
      },
    ],
    allowed_mentions: { parse: [], roles: [ROLE] },
  });
});

test('snapshot: a resolved, acknowledged incident: green, duration, no buttons, no ping', () => {
  const resolved: Incident = {
    ...incident,
    status: 'resolved',
    severity: 'critical',
    ack: { by: 'alice_mod', at: OPENED_AT + 120_000 },
    recoveredAt: OPENED_AT + 10_800_000,
    resolvedAt: OPENED_AT + 11_100_000,
    updatedAt: OPENED_AT + 11_100_000,
  };
  const body = renderRoot(resolved, { networkName: 'MegaETH', head: null, pingRoleId: ROLE, ping: false }, OPENED_AT + 11_100_000);
  assert.deepEqual(body.embeds?.[0]?.fields, [
    { name: 'Status', value: 'Resolved · Critical\nAcknowledged by alice\\_mod <t:1741349101:R>', inline: true },
    { name: 'Since', value: '<t:1741348969:f> (<t:1741348969:R>)', inline: true },
    { name: 'Halted for', value: '3 h', inline: true },
    { name: 'Evidence', value: 'halted ×640, provider down ×12', inline: false },
  ]);
  assert.equal(body.embeds?.[0]?.title, '✅ MegaETH: Block production halted');
  assert.equal(body.embeds?.[0]?.color, 0x2ecc71);
  assert.deepEqual(body.components, [], 'an edit must send [] to remove the old buttons');
  assert.equal(body.content, undefined);
  assert.deepEqual(body.allowed_mentions, { parse: [] });
});

test('buttons per status: ack until acknowledged, "Make public" only while suspected, none once closed', () => {
  const labels = (inc: Incident) =>
    (renderRoot(inc, { networkName: 'MegaETH' }, NOW).components ?? []).flatMap((row) =>
      'components' in row ? row.components.map((b) => ('label' in b ? b.label : '?')) : [],
    );
  const acked = { by: 'alice', at: NOW };
  assert.deepEqual(labels({ ...incident, status: 'suspected' }), ['Acknowledge', 'Post update', 'Resolve', 'Make public', 'Dismiss']);
  assert.deepEqual(labels({ ...incident, status: 'investigating' }), ['Acknowledge', 'Post update', 'Resolve', 'Dismiss']);
  assert.deepEqual(labels({ ...incident, status: 'monitoring', ack: acked }), ['Post update', 'Resolve', 'Dismiss']);
  assert.deepEqual(labels({ ...incident, status: 'resolved' }), []);
  assert.deepEqual(labels({ ...incident, status: 'dismissed', ack: acked }), []);
});

test('colour by status, a darker red for critical', () => {
  const colours = STATUSES.map((status) => statusColour({ status, severity: 'major' }));
  assert.deepEqual(colours, [0x95a5a6, 0xe74c3c, 0xf1c40f, 0x2ecc71, 0x95a5a6]);
  assert.equal(statusColour({ status: 'investigating', severity: 'critical' }), 0x992d22);
});

test('the role is pinged only for the opening post, never when silenced or with a malformed role id', () => {
  const ctx = { networkName: 'MegaETH', pingRoleId: ROLE };
  const pinged = (extra: object, role = ROLE) => renderRoot(incident, { ...ctx, pingRoleId: role, ...extra }, NOW);
  assert.deepEqual(pinged({ ping: true }).allowed_mentions, { parse: [], roles: [ROLE] });
  for (const body of [pinged({}), pinged({ ping: false }), pinged({ ping: true, silenced: true }), pinged({ ping: true }, '@everyone')]) {
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.equal(body.content, undefined);
  }
  assert.match(pinged({ ping: true, silenced: true }).embeds![0]!.fields![0]!.value, /Maintenance: alerts for this network are silenced/);
});

test('explorer links: http(s) only, parentheses cannot close the markdown link', () => {
  assert.equal(blockUrl('https://explorer.example/', 5), 'https://explorer.example/block/5');
  assert.equal(blockUrl('https://x.example/a)(b', 5), 'https://x.example/a%29%28b/block/5');
  assert.equal(blockUrl('javascript:alert(1)', 5), null);
  assert.equal(blockUrl('not a url', 5), null);
});

test('snapshot: thread messages per event type', () => {
  const at = OPENED_AT + 10_800_000;
  const content = (over: Partial<IncidentEvent>, now = at + 2000) => renderThreadEvent(event(over), incident, now).content ?? '';
  assert.equal(
    content({}),
    '**Recovering** · <t:1741359781:T> (+3 h) — Blocks are being produced again: #1,234,568 at 15:03:01 UTC. Block production was halted for 3 h. Monitoring for 5 min before resolving.',
  );
  assert.equal(
    content({ type: 'update', by: 'bob', text: 'Node ran out of memory; restarting @everyone [status](https://phish.example)' }),
    '**Update from bob** · <t:1741359781:T> (+3 h) — Node ran out of memory; restarting @\u200beveryone \\[status\\](https://phish.example)',
  );
  assert.equal(
    content({ type: 'acknowledged', by: 'alice_mod', text: 'Acknowledged by alice_mod.' }),
    '**Acknowledged** by alice\\_mod · <t:1741359781:T> (+3 h)',
  );
  assert.equal(
    content({ type: 'opened', at: OPENED_AT, text: 'Block production halted.' }),
    '**Opened** · <t:1741348981:T> — Block production halted.',
  );
  assert.equal(
    content({}, at + 13 * 3600_000),
    content({}).replace('<t:1741359781:T>', '<t:1741359781:f>'),
    'a late delivery shows the date',
  );
});

test('every thread message: ≤ 2000 characters, no pings, link previews suppressed, hostile text inert', () => {
  for (const type of EVENT_TYPES) {
    for (const text of [...Object.values(HOSTILE), ALL_HOSTILE]) {
      const body = renderThreadEvent(event({ type, text, by: HOSTILE.everyone + HOSTILE.invisible }), incident, NOW);
      assert.ok(body.content!.length <= MESSAGE_CONTENT_MAX, `${type}: ${body.content!.length}`);
      assert.deepEqual(body.allowed_mentions, { parse: [] });
      assert.equal(body.flags, 1 << 2);
      assertInert(body.content!.replace(/^\*\*[^*]+\*\*/, ''), type);
    }
  }
});

test('a hostile incident keeps the root embed within limits and inert', () => {
  const hostile: Incident = {
    ...incident,
    id: `${'n'.repeat(43)}-20250307T120301Z`,
    title: ALL_HOSTILE,
    summary: ALL_HOSTILE + HOSTILE.huge,
    ack: { by: HOSTILE.mentions, at: NOW },
  };
  const body = renderRoot(hostile, { networkName: HOSTILE.markdownBomb + HOSTILE.everyone, head, pingRoleId: ROLE }, NOW);
  assert.ok(embedsWithinLimits(body.embeds!));
  assert.deepEqual(body.allowed_mentions, { parse: [] });
  const embed = body.embeds![0]!;
  for (const [where, text] of [
    ['title', embed.title!],
    ['description', embed.description!],
    ...embed.fields!.map((f) => [f.name, f.value]),
  ] as const) {
    assertInert(text, where);
  }
});

test('custom ids stay within 100 characters for a 60-character incident id; longer ids get no buttons', () => {
  const id60 = `${'a'.repeat(43)}-20250307T120301Z`;
  assert.equal(id60.length, 60);
  const ids = (inc: Incident) => customIds(renderRoot(inc, { networkName: 'x' }, NOW));
  const sixty = ids({ ...incident, id: id60, status: 'suspected' });
  assert.equal(sixty.length, 5);
  assert.ok(
    sixty.every((id) => id.length <= 100),
    sixty.join(),
  );
  assert.deepEqual(ids({ ...incident, id: 'x'.repeat(90) }), []);
});

function customIds(body: RESTPostAPIChannelMessageJSONBody): string[] {
  return (body.components ?? []).flatMap((row) =>
    'components' in row ? row.components.map((b) => ('custom_id' in b ? b.custom_id : '')) : [],
  );
}

test('thread name: "<network>: <title> (<date>)", at most 100 characters, the date kept', () => {
  assert.equal(renderThreadName(incident, 'MegaETH'), 'MegaETH: Block production halted (2025-03-07)');
  const long = renderThreadName({ ...incident, title: `${'very long title '.repeat(20)}\u202e@everyone\n` }, 'OP Mainnet');
  assert.ok(long.length <= THREAD_NAME_MAX);
  assert.ok(long.endsWith('… (2025-03-07)'), long);
  assert.doesNotMatch(long, /[\n\u202e]/);
});
