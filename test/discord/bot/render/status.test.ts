/** /status replies: the overview of every network and one network in detail. Fixed `now`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InteractionEditReplyOptions, InteractionReplyOptions } from 'discord.js';
import { networkHealth } from '../../../../src/engine';
import { renderNetworkDetail, renderStatusOverview } from '../../../../src/discord/bot/render/status';
import type { BotReply } from '../../../../src/discord/bot/render/types';
import { embedsWithinLimits } from '../../../../src/discord/limits';
import { ALL_HOSTILE, assertInert, HOSTILE } from '../../hostile';
import { endpoint, incident, NOW, OPENED_AT, row, THREAD, view } from './fixtures';

// Type-level: a reply goes to discord.js as it is (checked by `tsc`, not at run time).
const asEditReply = (r: BotReply): InteractionEditReplyOptions => r;
const asReply = (r: BotReply): InteractionReplyOptions => r;
void asEditReply;
void asReply;

const rows = [
  row('op', 'OP Mainnet'),
  row('megaeth', 'MegaETH', {
    view: view({ head: { number: 1_234_567, hash: '0x', timestamp: (OPENED_AT - 12_000) / 1000, observedAt: NOW } }),
    incident: incident(),
    threadUrl: THREAD,
  }),
  row('base', 'Base', {
    view: view({
      endpoints: [endpoint('rpc-a'), endpoint('rpc-b', { status: 'down', failures: 5, lastError: 'timeout: request timed out' })],
    }),
  }),
  row('arb', 'Arbitrum One', { silence: { until: NOW + 3600_000, reason: 'upgrade', by: 'alice' } }),
  row('new', 'Newchain', { view: null }),
];

test('snapshot: the overview, worst first, one line per network', () => {
  assert.deepEqual(renderStatusOverview(rows, NOW), {
    embeds: [
      {
        title: 'Network status',
        description: [
          `🔴 **MegaETH** · #1,234,567 · 10 min 12 s ago · [Block production halted](${THREAD})`,
          '🟡 **Base** · #1,234,567 · 2 s ago · rpc-b down',
          '🔧 **Arbitrum One** · #1,234,567 · 2 s ago · maintenance until <t:1741353181:t>',
          '⚪ **Newchain** · no data yet',
          '🟢 **OP Mainnet** · #1,234,567 · 2 s ago',
        ].join('\n'),
        color: 0xe74c3c,
        footer: { text: '🔴 1 major outage · 🟡 1 degraded · 🔧 1 maintenance · ⚪ 1 no data · 🟢 1 operational' },
        timestamp: '2025-03-07T12:13:01.000Z',
      },
    ],
    allowedMentions: { parse: [] },
  });
});

test('health: silence wins, halts are major, other incidents and sick providers degraded, suspected hidden', () => {
  const health = (over: Parameters<typeof row>[2]) => networkHealth(row('x', 'X', over), NOW);
  assert.equal(health({}), 'operational');
  assert.equal(health({ incident: incident() }), 'major');
  assert.equal(health({ incident: incident({ kind: 'rpc_unreachable' }) }), 'major');
  assert.equal(health({ incident: incident({ kind: 'slow_blocks', severity: 'critical' }) }), 'major');
  assert.equal(health({ incident: incident({ kind: 'endpoint_down', severity: 'minor' }) }), 'degraded');
  assert.equal(health({ incident: incident({ status: 'monitoring' }) }), 'degraded');
  assert.equal(health({ incident: incident({ status: 'suspected', confirmedAt: null }) }), 'operational');
  assert.equal(health({ incident: incident(), silence: { until: NOW + 1, reason: 'r', by: 'b' } }), 'maintenance');
  assert.equal(health({ silence: { until: NOW, reason: 'r', by: 'b' } }), 'operational', 'an expired silence');
  assert.equal(health({ view: null }), 'unknown');
  assert.equal(health({ view: view({ head: null }) }), 'unknown');
  assert.equal(health({ view: view({ endpoints: [endpoint('a', { status: 'unknown' })] }) }), 'unknown');
  assert.equal(health({ view: view({ endpoints: [endpoint('a'), endpoint('b', { status: 'stuck' })] }) }), 'degraded');
});

test('a suspected incident is not shown in the public overview', () => {
  const reply = renderStatusOverview(
    [row('x', 'X', { incident: incident({ status: 'suspected', confirmedAt: null, title: 'Secret' }) })],
    NOW,
  );
  assert.doesNotMatch(reply.embeds![0]!.description!, /Secret/);
});

test('60 networks (and 500) stay within embed limits; the healthiest are summarised, never dropped silently', () => {
  for (const n of [60, 500]) {
    const many = Array.from({ length: n }, (_, i) =>
      row(`net-${i}`, `Network number ${String(i).padStart(3, '0')} with a rather long display name`, {
        ...(i % 7 === 0
          ? { incident: incident({ title: `Block production halted on shard ${i} ${'x'.repeat(80)}` }), threadUrl: THREAD }
          : {}),
      }),
    );
    const reply = renderStatusOverview(many, NOW);
    assert.ok(embedsWithinLimits(reply.embeds!), `${n} networks`);
    const text = reply.embeds!.map((e) => e.description).join('\n');
    const shown = (text.match(/^\S+ \*\*Network number/gm) ?? []).length;
    const more = /… and (\d+) more/.exec(text);
    assert.equal(shown + Number(more?.[1] ?? 0), n, `${n}: every network is shown or counted`);
    assert.equal((text.match(/^🔴/gm) ?? []).length, Math.ceil(n / 7) > shown ? shown : Math.ceil(n / 7), 'outages come first');
    assert.match(reply.embeds!.at(-1)!.footer!.text, new RegExp(`🟢 ${n - Math.ceil(n / 7)} operational`));
  }
});

test('hostile display names, titles and thread URLs stay inert', () => {
  const hostile = row('evil', HOSTILE.everyone + HOSTILE.masked, {
    incident: incident({ title: ALL_HOSTILE }),
    threadUrl: 'https://phish.example/channels/1/2',
  });
  const reply = renderStatusOverview([hostile], NOW);
  assert.ok(embedsWithinLimits(reply.embeds!));
  assertInert(reply.embeds![0]!.description!);
  assert.doesNotMatch(reply.embeds![0]!.description!, /phish\.example\/channels/, 'only discord.com thread URLs become links');
});

test('snapshot: one network in detail', () => {
  const base = row('base', 'Base', {
    view: view({
      safeLag: 12,
      endpoints: [
        endpoint('rpc-a'),
        endpoint('rpc-b', {
          status: 'down',
          failures: 5,
          latencyMs: 2000,
          lastError: 'timeout: request timed out',
          observedAt: NOW - 30_000,
        }),
      ],
    }),
    incident: incident({
      network: 'base',
      kind: 'endpoint_down',
      severity: 'minor',
      title: 'RPC provider rpc-b down',
      ack: { by: 'alice', at: NOW - 60_000 },
    }),
    threadUrl: THREAD,
  });
  const recent = [
    incident({
      id: 'base-old',
      network: 'base',
      status: 'resolved',
      resolvedAt: OPENED_AT + 3600_000,
      openedAt: OPENED_AT - 86_400_000,
      startedAt: OPENED_AT - 86_400_000,
    }),
    incident({ id: 'base-secret', network: 'base', status: 'dismissed', confirmedAt: null, title: 'Never public' }),
  ];
  assert.deepEqual(renderNetworkDetail(base, recent, NOW), {
    embeds: [
      {
        title: '🟡 Base: Degraded',
        description:
          'Head #1,234,567 · last block 2 s ago\nBlock time 1.02 s (expected 1 s)\nSafe head 12 blocks behind latest (alert above 1800)',
        color: 0xf1c40f,
        fields: [
          {
            name: 'Endpoints (2)',
            value:
              '✅ **rpc-a** ok · #1,234,567 · 120 ms\n🔴 **rpc-b** down · #1,234,567 · 2000 ms · seen 30 s ago · 5 failed: timeout: request timed out',
          },
          {
            name: 'Open incident',
            value: `[RPC provider rpc-b down](${THREAD})\nInvestigating · Minor · since <t:1741348969:R>\nAcknowledged by alice <t:1741349521:R>`,
          },
          { name: 'Recent incidents', value: '✅ Block production halted · resolved · <t:1741262581:f> · halted for 25 h' },
        ],
        footer: { text: 'base · chain id 31337' },
        timestamp: '2025-03-07T12:13:01.000Z',
      },
    ],
    allowedMentions: { parse: [] },
  });
});

test('detail without data says so', () => {
  const reply = renderNetworkDetail(row('new', 'Newchain', { view: null }), [], NOW);
  assert.equal(reply.embeds![0]!.title, '⚪ Newchain: No data');
  assert.equal(reply.embeds![0]!.description, 'No head seen yet: chainwatch has no data for this network.');
  assert.deepEqual(reply.embeds![0]!.fields, []);
});

test('detail: RPC errors are redacted again and escaped; 80 endpoints and 20 recent incidents stay within limits', () => {
  const endpoints = Array.from({ length: 80 }, (_, i) =>
    endpoint(`provider-${i}-${HOSTILE.everyone}`, {
      status: 'down',
      failures: 9,
      lastError: `http 500: see https://rpc.example/v2/SECRETKEY ${HOSTILE.masked} ${'y'.repeat(300)}`,
    }),
  );
  const recent = Array.from({ length: 20 }, (_, i) => incident({ id: `x-${i}`, status: 'resolved', resolvedAt: NOW, title: ALL_HOSTILE }));
  const silence = { until: NOW + 60_000, reason: ALL_HOSTILE, by: HOSTILE.mentions };
  const reply = renderNetworkDetail(
    row('x', ALL_HOSTILE, { view: view({ endpoints }), incident: incident({ title: ALL_HOSTILE }), silence }),
    recent,
    NOW,
  );
  assert.ok(embedsWithinLimits(reply.embeds!));
  const embed = reply.embeds![0]!;
  const texts = [embed.title!, embed.description!, ...embed.fields!.map((f) => f.value)];
  for (const t of texts) assertInert(t);
  assert.doesNotMatch(texts.join('\n'), /SECRETKEY/);
  assert.match(embed.fields![embed.fields!.length - 1]!.value.split('\n').length.toString(), /^[1-5]$/, 'at most 5 recent incidents');
});
