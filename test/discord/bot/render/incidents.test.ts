/** /incidents replies: active or recent incidents, one line each. Fixed `now`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderIncidentList } from '../../../../src/discord/bot/render/incidents';
import { embedsWithinLimits } from '../../../../src/discord/limits';
import { ALL_HOSTILE, assertInert, HOSTILE } from '../../hostile';
import { incident, NOW, OPENED_AT, THREAD } from './fixtures';

const active = [
  { incident: incident({ ack: { by: 'alice', at: NOW } }), threadUrl: THREAD, networkName: 'MegaETH' },
  {
    incident: incident({
      id: 'base-x',
      network: 'base',
      kind: 'endpoint_down',
      severity: 'minor',
      title: 'RPC provider rpc-b down',
      status: 'monitoring',
    }),
  },
  { incident: incident({ id: 'op-x', network: 'op', status: 'suspected', confirmedAt: null, title: 'Users report problems' }) },
];

test('snapshot: active incidents; suspected ones left out of the public list', () => {
  assert.deepEqual(renderIncidentList(active, 'active', NOW), {
    embeds: [
      {
        title: 'Active incidents (2)',
        description: [
          `🔴 **MegaETH** · [Block production halted](${THREAD}) · Investigating · Major · since <t:1741348969:R> (10 min 12 s) · acknowledged by alice`,
          '🟡 **base** · RPC provider rpc-b down · Monitoring · Minor · since <t:1741348969:R> (10 min 12 s) · not acknowledged',
        ].join('\n'),
        color: 0xe74c3c,
        timestamp: '2025-03-07T12:13:01.000Z',
      },
    ],
    allowedMentions: { parse: [] },
  });
});

test('suspected incidents are shown when the caller asks (a moderators-only view)', () => {
  const reply = renderIncidentList(active, 'active', NOW, { includeSuspected: true });
  assert.equal(reply.embeds![0]!.title, 'Active incidents (3)');
  assert.match(reply.embeds![0]!.description!, /🔍 \*\*op\*\* · Users report problems · Suspected · Major/);
});

test('snapshot: a recent, resolved incident shows when it started and how long it lasted', () => {
  const reply = renderIncidentList(
    [{ incident: incident({ status: 'resolved', resolvedAt: OPENED_AT + 3600_000 }), threadUrl: THREAD }],
    'recent',
    NOW,
  );
  assert.equal(
    reply.embeds![0]!.description,
    `✅ **megaeth** · [Block production halted](${THREAD}) · Resolved · Major · <t:1741348969:f> · halted for 1 h`,
  );
  assert.equal(reply.embeds![0]!.color, 0x2ecc71);
});

test('an empty list is a plain sentence', () => {
  assert.deepEqual(renderIncidentList([], 'active', NOW), {
    content: 'No active incidents: nothing is wrong on any watched network that chainwatch can see.',
    allowedMentions: { parse: [] },
  });
  assert.equal(renderIncidentList([], 'recent', NOW).content, 'No incidents in the recent history.');
});

test('200 hostile incidents: one embed within limits, inert, the rest counted', () => {
  const items = Array.from({ length: 200 }, (_, i) => ({
    incident: incident({ id: `x-${i}`, title: ALL_HOSTILE, ack: { by: HOSTILE.mentions, at: NOW } }),
    networkName: HOSTILE.everyone,
    threadUrl: `https://discord.com/channels/1/${i})[x](https://phish.example`,
  }));
  const reply = renderIncidentList(items, 'active', NOW);
  assert.equal(reply.embeds!.length, 1);
  assert.ok(embedsWithinLimits(reply.embeds!));
  assertInert(reply.embeds![0]!.description!);
  assert.match(reply.embeds![0]!.description!, /… and \d+ more$/);
});
