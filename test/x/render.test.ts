import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import twitter from 'twitter-text';
import type { Incident, IncidentEvent } from '../../src/model';
import { ELLIPSIS, fitPost, quoteModeratorText, renderXPost, weightedLength, X_MAX_WEIGHTED_LENGTH } from '../../src/x/render';

const T = (hhmmss: string) => Date.parse(`2025-03-07T${hhmmss}Z`);
const LINK = 'https://discord.com/channels/100/200300400500600700';

const incident: Incident = {
  id: 'megaeth-20250307T120330Z',
  network: 'megaeth',
  status: 'investigating',
  severity: 'major',
  kind: 'halted',
  title: 'Block production halted',
  startedAt: T('12:03:01'),
  openedAt: T('12:03:30'),
  updatedAt: T('12:03:30'),
  confirmedAt: T('12:03:30'),
  recoveredAt: null,
  resolvedAt: null,
  ack: null,
  signals: { halted: 1 },
  summary: '',
  seq: 1,
  reopened: 0,
  seen: ['halted'],
};

function ev(over: Partial<IncidentEvent>): IncidentEvent {
  return {
    incidentId: incident.id,
    network: 'megaeth',
    seq: 1,
    at: T('12:03:30'),
    type: 'opened',
    status: 'investigating',
    severity: 'major',
    kind: 'halted',
    title: 'Block production halted',
    text: '',
    ...over,
  };
}

const ctx = (now: number, networkName = 'MegaETH', link: string | null = null) => ({ networkName, link, now });
const valid = (text: string) => {
  const p = twitter.parseTweet(text);
  assert.ok(p.valid, `invalid post (${p.weightedLength}): ${text}`);
  assert.ok(p.weightedLength <= X_MAX_WEIGHTED_LENGTH);
};

describe('renderXPost', () => {
  test('root: the problem, since when, the status and the link', () => {
    const text = renderXPost('root', ev({}), incident, ctx(T('12:03:30'), 'MegaETH', LINK));
    assert.equal(text, `MegaETH: block production halted since 12:03 UTC. Investigating. ${LINK}`);
    assert.deepEqual(twitter.extractUrls(text), [LINK]);
  });

  test('root posted once a suspected incident went public, after recovery: says it is recovering', () => {
    const text = renderXPost('root', ev({ type: 'update', status: 'monitoring', at: T('12:30:00') }), incident, ctx(T('12:30:00')));
    assert.equal(text, 'MegaETH: block production halted since 12:03 UTC; recovering now. Monitoring.');
  });

  test('titles that start with an acronym keep it; a start on another day carries the date', () => {
    const e = ev({ title: 'RPC provider rpc-a down', kind: 'endpoint_down' });
    assert.equal(renderXPost('root', e, incident, ctx(T('12:04:00'))), 'MegaETH: RPC provider rpc-a down since 12:03 UTC. Investigating.');
    assert.equal(
      renderXPost('root', ev({}), incident, ctx(Date.parse('2025-03-08T01:00:00Z'))),
      'MegaETH: block production halted since 2025-03-07 12:03 UTC. Investigating.',
    );
  });

  test('updates: critical, the team, recovered, relapsed, reopened', () => {
    const now = T('15:20:00');
    assert.equal(
      renderXPost('update', ev({ type: 'severity_changed', severity: 'critical', at: T('12:43:10') }), incident, ctx(now)),
      'MegaETH update (12:43 UTC): severity raised to critical, no new block for 40 min.',
    );
    assert.equal(
      renderXPost(
        'update',
        ev({ type: 'update', by: 'mod', text: 'Sequencer ran out of memory; restarting.', at: T('13:00:00') }),
        incident,
        ctx(now),
      ),
      'MegaETH update from the team (13:00 UTC): Sequencer ran out of memory; restarting.',
    );
    assert.equal(
      renderXPost('update', ev({ type: 'recovered', status: 'monitoring', at: T('15:14:50') }), incident, ctx(now)),
      'MegaETH: blocks are being produced again after 3 h 11 min (15:14 UTC). Monitoring.',
    );
    assert.equal(
      renderXPost('update', ev({ type: 'relapsed', at: T('15:16:00') }), incident, ctx(now)),
      'MegaETH update (15:16 UTC): the problem is back, block production halted. Investigating.',
    );
    assert.equal(
      renderXPost('update', ev({ type: 'reopened', at: T('15:19:00') }), incident, ctx(now)),
      'MegaETH update (15:19 UTC): reopened, block production halted again. Investigating.',
    );
  });

  test('resolution: duration and span; a dismissal says false alarm', () => {
    const resolved = ev({
      type: 'resolved',
      status: 'resolved',
      at: T('15:19:50'),
      details: { durationMs: T('15:14:50') - T('12:03:01') },
    });
    assert.equal(
      renderXPost('resolved', resolved, incident, ctx(T('15:19:50'))),
      'Resolved: MegaETH block production halted for 3 h 11 min (12:03–15:14 UTC).',
    );
    const dismissed = ev({ type: 'dismissed', status: 'dismissed', at: T('12:20:00'), by: 'mod' });
    assert.equal(
      renderXPost('resolved', dismissed, incident, ctx(T('12:20:00'))),
      'MegaETH: all clear (12:20 UTC). The alert of 12:03 UTC (block production halted) was a false alarm.',
    );
    const overnight = { ...incident, recoveredAt: Date.parse('2025-03-08T01:10:00Z') };
    const late = ev({ type: 'resolved', status: 'resolved', at: Date.parse('2025-03-08T01:15:00Z') });
    assert.equal(
      renderXPost('resolved', late, overnight, ctx(late.at)),
      'Resolved: MegaETH block production halted for 13 h 6 min (2025-03-07 12:03 – 2025-03-08 01:10 UTC).',
    );
  });
});

describe('untrusted text stays inert', () => {
  test('a moderator cannot mention accounts or add links, in any form', () => {
    const hostile = 'Ask @alice or ＠bob, see https://evil.example/x?y=1 and status.megaeth.io. @everyone';
    const text = renderXPost('update', ev({ type: 'update', by: 'mod', text: hostile }), incident, ctx(T('13:00:00')));
    assert.deepEqual(twitter.extractMentions(text), []);
    assert.deepEqual(twitter.extractUrls(text), []);
    assert.match(text, /Ask @\u200Dalice or ＠\u200Dbob, see and\. @\u200Deveryone$/);
    valid(text);
  });

  test('operator names that look like domains are defused, not linked', () => {
    const text = renderXPost('update', ev({ type: 'recovered', status: 'monitoring' }), incident, ctx(T('13:00:00'), 'Base.org'));
    assert.deepEqual(twitter.extractUrls(text), []);
    assert.match(text, /^Base\u2024org: /);
  });

  test('a moderator text that was only a link still reads as a sentence', () => {
    const text = renderXPost(
      'update',
      ev({ type: 'update', by: 'mod', text: 'https://megaeth.example/status' }),
      incident,
      ctx(T('13:00:00')),
    );
    assert.equal(text, 'MegaETH update from the team (12:03 UTC): details in the first post of this thread.');
  });

  test('control characters, bidi overrides and newlines are removed', () => {
    assert.equal(quoteModeratorText('a\u202Eb\nc\t\u0007d\uFEFF'), 'ab c d');
  });

  test('only the root carries a link: the link given to an update is not used', () => {
    const e = ev({ type: 'severity_changed', severity: 'critical', at: T('12:13:10') });
    assert.deepEqual(twitter.extractUrls(renderXPost('update', e, incident, ctx(T('12:13:10'), 'MegaETH', LINK))), []);
  });
});

describe('lengths as X measures them (twitter-text v3)', () => {
  test('CJK network name and a long Japanese moderator text: cut to 280 weighted, ending in an ellipsis', () => {
    const name = 'メガイーサ・メインネット';
    const text = renderXPost(
      'update',
      ev({ type: 'update', by: 'mod', text: 'シーケンサーのメモリが不足しました。'.repeat(20) }),
      incident,
      ctx(T('13:00:00'), name),
    );
    valid(text);
    assert.ok(text.endsWith(ELLIPSIS));
    assert.ok(weightedLength(text) >= X_MAX_WEIGHTED_LENGTH - 2, `uses the room: ${weightedLength(text)}`);
    assert.ok(weightedLength(text) - text.length > 100, 'each CJK character counts 2');
  });

  test('a long root body is cut, never the link (a URL counts 23 whatever its length)', () => {
    const longLink = `https://status.example.com/incidents/${'x'.repeat(200)}`;
    const text = renderXPost('root', ev({}), incident, ctx(T('12:04:00'), 'Mega'.repeat(80), longLink));
    valid(text);
    assert.ok(text.endsWith(` ${longLink}`));
    assert.ok(text.includes(`${ELLIPSIS} https://`));
    assert.equal(weightedLength(text), X_MAX_WEIGHTED_LENGTH);
  });

  test('a long English text is cut at a word boundary', () => {
    const text = renderXPost(
      'update',
      ev({ type: 'update', by: 'mod', text: 'We are restarting the sequencer node with more memory. '.repeat(10) }),
      incident,
      ctx(T('13:00:00')),
    );
    valid(text);
    assert.match(text, /[a-z.] ?…$/i);
    assert.doesNotMatch(text, /\s…$/);
    assert.match(text, /(^|\s)\S+…$/);
  });

  test('emoji sequences are never split (they count 2 each)', () => {
    const family = '👨‍👩‍👧';
    const out = fitPost(`x ${family.repeat(200)}`);
    valid(out);
    assert.equal(out.replace(/^x /, '').replace(ELLIPSIS, '').replaceAll(family, ''), '');
  });

  test('exactly 280 is kept; 281 is cut', () => {
    assert.equal(fitPost('a'.repeat(280)), 'a'.repeat(280));
    const cut = fitPost('a'.repeat(281));
    assert.equal(weightedLength(cut), 280);
    assert.ok(cut.endsWith(ELLIPSIS));
    assert.equal(weightedLength(fitPost('日'.repeat(140))), 280);
    assert.ok(fitPost('日'.repeat(141)).endsWith(ELLIPSIS));
  });
});
