import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import twitter from 'twitter-text';
import type { Incident, IncidentEvent } from '../../src/model';
import {
  decideXPost,
  DEFAULT_X_POST_SETTINGS,
  toldStatusOf,
  type XPostDecision,
  type XPostKind,
  type XPostState,
} from '../../src/x/policy';
import { renderXPost } from '../../src/x/render';
import { Replayer } from '../../src/replay/replayer';

const T = (hhmmss: string) => Date.parse(`2025-03-07T${hhmmss}Z`);
const MIN = 60_000;
const settings = DEFAULT_X_POST_SETTINGS;

const base: Incident = {
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
  signals: {},
  summary: '',
  seq: 1,
  reopened: 0,
  seen: [],
};

function ev(over: Partial<IncidentEvent>): IncidentEvent {
  return {
    incidentId: base.id,
    network: 'megaeth',
    seq: 1,
    at: T('12:03:30'),
    type: 'opened',
    status: 'investigating',
    severity: 'major',
    kind: 'halted',
    title: base.title,
    text: '',
    ...over,
  };
}

/** The incident as delivery sees it right after `e` (nothing newer yet). */
const at = (e: IncidentEvent, over: Partial<Incident> = {}): Incident => ({
  ...base,
  seq: e.seq,
  status: e.status,
  severity: e.severity,
  ...over,
});

const fresh: XPostState = { posted: 0, lastPostAt: null, rootPosted: false };
const after = (posted: number, lastPostAt: number): XPostState => ({ posted, lastPostAt, rootPosted: true });

describe('decideXPost: the table', () => {
  const now = T('13:00:00');
  const rows: [string, IncidentEvent, Partial<Incident>, XPostState, XPostDecision][] = [
    ['opened, chain evidence: root', ev({}), {}, fresh, { post: true, kind: 'root' }],
    ['opened, suspected: nothing yet', ev({ status: 'suspected' }), { confirmedAt: null }, fresh, { post: false, reason: 'suspected' }],
    [
      'evidence while suspected: nothing',
      ev({ seq: 2, type: 'evidence', status: 'suspected' }),
      { confirmedAt: null },
      fresh,
      { post: false, reason: 'suspected' },
    ],
    [
      'moderator confirms: root',
      ev({ seq: 2, type: 'update', by: 'mod', text: 'Confirmed by mod' }),
      {},
      fresh,
      { post: true, kind: 'root' },
    ],
    ['chain evidence confirms: root', ev({ seq: 2, type: 'evidence' }), {}, fresh, { post: true, kind: 'root' }],
    [
      'suspected incident recovered unconfirmed: nothing',
      ev({ seq: 2, type: 'recovered', status: 'monitoring' }),
      { confirmedAt: null },
      fresh,
      { post: false, reason: 'suspected' },
    ],
    [
      'confirmed after it recovered: root',
      ev({ seq: 3, type: 'update', status: 'monitoring' }),
      { confirmedAt: T('12:03:30') },
      fresh,
      { post: true, kind: 'root' },
    ],
    [
      'resolved, never posted: nothing',
      ev({ seq: 3, type: 'resolved', status: 'resolved' }),
      {},
      fresh,
      { post: false, reason: 'never_posted' },
    ],
    [
      'dismissed, never posted: nothing',
      ev({ seq: 3, type: 'dismissed', status: 'dismissed' }),
      { confirmedAt: null },
      fresh,
      { post: false, reason: 'never_posted' },
    ],
    [
      'evidence after the root: skipped',
      ev({ seq: 2, type: 'evidence' }),
      {},
      after(1, T('12:03:30')),
      { post: false, reason: 'not_newsworthy' },
    ],
    [
      'acknowledged: skipped',
      ev({ seq: 2, type: 'acknowledged', by: 'mod' }),
      {},
      after(1, T('12:03:30')),
      { post: false, reason: 'not_newsworthy' },
    ],
    [
      'severity to major: skipped',
      ev({ seq: 2, type: 'severity_changed', severity: 'major' }),
      {},
      after(1, T('12:03:30')),
      { post: false, reason: 'not_newsworthy' },
    ],
    [
      'severity to critical 5 min after the root: posted (once per incident)',
      ev({ seq: 2, type: 'severity_changed', severity: 'critical' }),
      {},
      after(1, now - 5 * MIN),
      { post: true, kind: 'update' },
    ],
    [
      'moderator update 1 min after a post: posted',
      ev({ seq: 3, type: 'update', by: 'mod', text: 'x' }),
      {},
      after(2, now - MIN),
      { post: true, kind: 'update' },
    ],
    [
      'recovered 25 min after the last post: posted',
      ev({ seq: 3, type: 'recovered', status: 'monitoring' }),
      {},
      after(2, now - 25 * MIN),
      { post: true, kind: 'update' },
    ],
    [
      'recovered 5 min after the last post, still true: wait',
      ev({ seq: 3, type: 'recovered', status: 'monitoring' }),
      {},
      after(2, now - 5 * MIN),
      { post: false, reason: 'too_soon', retryAt: now + 15 * MIN },
    ],
    [
      'recovered, then resolved meanwhile: superseded',
      ev({ seq: 3, type: 'recovered', status: 'monitoring' }),
      { seq: 4, status: 'resolved' },
      after(2, now - 5 * MIN),
      { post: false, reason: 'superseded' },
    ],
    [
      'relapsed, still down after newer evidence: wait',
      ev({ seq: 4, type: 'relapsed' }),
      { seq: 5, status: 'investigating' },
      after(3, now - 5 * MIN),
      { post: false, reason: 'too_soon', retryAt: now + 15 * MIN },
    ],
    [
      'relapsed, the thread already says it is down: nothing to add',
      ev({ seq: 6, type: 'relapsed' }),
      {},
      { ...after(4, now - 25 * MIN), toldStatus: 'investigating' },
      { post: false, reason: 'already_told' },
    ],
    [
      'reopened right after the resolution post: posted',
      ev({ seq: 6, type: 'reopened' }),
      {},
      after(4, now - MIN),
      { post: true, kind: 'update' },
    ],
    [
      'resolved 1 min after a post: posted',
      ev({ seq: 5, type: 'resolved', status: 'resolved' }),
      {},
      after(3, now - MIN),
      { post: true, kind: 'resolved' },
    ],
    [
      'dismissed after the root: the false-alarm post',
      ev({ seq: 3, type: 'dismissed', status: 'dismissed' }),
      {},
      after(1, now - MIN),
      { post: true, kind: 'resolved' },
    ],
    [
      'the last post before the cap is kept for the resolution',
      ev({ seq: 9, type: 'update', by: 'mod', text: 'x' }),
      {},
      after(5, now - 60 * MIN),
      { post: false, reason: 'post_limit' },
    ],
    [
      'the resolution takes the kept post',
      ev({ seq: 10, type: 'resolved', status: 'resolved' }),
      {},
      after(5, now - MIN),
      { post: true, kind: 'resolved' },
    ],
    [
      'nothing beyond the cap, not even a second resolution',
      ev({ seq: 12, type: 'resolved', status: 'resolved' }),
      {},
      after(6, now - MIN),
      { post: false, reason: 'post_limit' },
    ],
  ];
  for (const [name, event, incident, state, want] of rows) {
    test(name, () => assert.deepEqual(decideXPost(event, at(event, incident), state, settings, now), want));
  }
});

// ---- The MegaETH outage of 2025-03-07, replayed -------------------------------------------

interface ReplayInternals {
  incidents: Map<string, Incident>;
  events: Map<string, IncidentEvent[]>;
}

/** The example's incident and its timeline (the Replayer keeps the full events internally). */
function replayMegaeth(): { incident: Incident; events: IncidentEvent[] } {
  const r = new Replayer({ events: true });
  for (const line of readFileSync(join(import.meta.dirname, '../../examples/megaeth-2025-03-07-halt.jsonl'), 'utf8').split('\n'))
    r.push(line);
  const [summary] = r.finish();
  assert.ok(summary, 'the example opens one incident');
  const internals = r as unknown as ReplayInternals;
  assert.ok(internals.events instanceof Map && internals.incidents instanceof Map, 'Replayer keeps events and incidents in Maps');
  return { incident: internals.incidents.get(summary.id)!, events: internals.events.get(summary.id)! };
}

/** Inserts moderator actions at their times and renumbers, as the store would have. */
function withModerator(events: IncidentEvent[], extra: { at: number; type: 'update' | 'acknowledged'; text: string }[]): IncidentEvent[] {
  const all = [...events];
  for (const x of extra) {
    const prev = all.filter((e) => e.at <= x.at).at(-1)!;
    all.push({ ...prev, at: x.at, type: x.type, text: x.text, by: 'mod', details: undefined as never });
  }
  return all.sort((a, b) => a.at - b.at).map((e, i) => ({ ...e, seq: i + 1 }));
}

interface Told {
  at: number;
  kind: XPostKind;
  type: IncidentEvent['type'];
  text: string;
}

/**
 * Live delivery in simulated time: each event is delivered when it happens, with the incident
 * as it is then; a "too soon" flip waits until `retryAt` and is decided again then, with
 * whatever happened meanwhile, before the events behind it.
 */
function simulate(incident: Incident, events: IncidentEvent[], link: string): { told: Told[]; skipped: string[] } {
  const told: Told[] = [];
  const skipped: string[] = [];
  let state: XPostState = { posted: 0, lastPostAt: null, rootPosted: false };
  let clock = 0;
  for (const e of events) {
    clock = Math.max(clock, e.at);
    for (;;) {
      const latest = events.filter((x) => x.at <= clock).at(-1)!;
      const snapshot: Incident = {
        ...incident,
        seq: latest.seq,
        status: latest.status,
        severity: latest.severity,
        kind: latest.kind,
        title: latest.title,
      };
      const d = decideXPost(e, snapshot, state, settings, clock);
      if (!d.post && d.reason === 'too_soon') {
        clock = d.retryAt;
        continue;
      }
      if (d.post) {
        const text = renderXPost(d.kind, e, snapshot, { networkName: 'MegaETH', link: d.kind === 'root' ? link : null, now: clock });
        told.push({ at: clock, kind: d.kind, type: e.type, text });
        state = {
          posted: state.posted + 1,
          lastPostAt: clock,
          rootPosted: true,
          toldStatus: toldStatusOf(d.kind, e) ?? state.toldStatus ?? null,
        };
      } else skipped.push(`${e.type}:${d.reason}`);
      break;
    }
  }
  return { told, skipped };
}

describe('the MegaETH halt of 2025-03-07 (3 h 11 min) reads as a handful of posts', () => {
  const { incident, events } = replayMegaeth();
  const link = `https://status.example.com/i/${incident.id}`;

  test('chain events alone: root, critical, recovered, resolved', () => {
    const { told, skipped } = simulate(incident, events, link);
    assert.deepEqual(
      told.map((t) => t.text),
      [
        `MegaETH: block production halted since 12:03 UTC. Investigating. ${link}`,
        'MegaETH update (12:13 UTC): severity raised to critical, no new block for 10 min.',
        'MegaETH: blocks are being produced again after 3 h 11 min (15:14 UTC). Monitoring.',
        'Resolved: MegaETH block production halted for 3 h 11 min (12:03–15:14 UTC).',
      ],
    );
    assert.deepEqual(skipped, ['evidence:not_newsworthy']);
  });

  test('with the team acknowledging and posting two updates: six posts, every one valid, one link', () => {
    const timeline = withModerator(events, [
      { at: T('12:08:00'), type: 'acknowledged', text: 'Acknowledged by mod.' },
      {
        at: T('12:50:00'),
        type: 'update',
        text: 'The sequencer node ran out of memory. We are restarting it with more memory; see https://megaeth.example/status',
      },
      {
        at: T('14:30:00'),
        type: 'update',
        text: 'The new node is replaying the chain; block production should resume within the hour. Thanks @everyone for the patience.',
      },
    ]);
    const { told, skipped } = simulate(incident, timeline, link);
    assert.deepEqual(
      told.map((t) => `${t.kind}:${t.type}`),
      ['root:opened', 'update:severity_changed', 'update:update', 'update:update', 'update:recovered', 'resolved:resolved'],
    );
    assert.deepEqual(skipped, ['acknowledged:not_newsworthy', 'evidence:not_newsworthy']);
    assert.ok(told.length <= settings.maxPostsPerIncident);
    for (const t of told) {
      const parsed = twitter.parseTweet(t.text);
      assert.ok(parsed.valid && parsed.weightedLength <= 280, t.text);
      assert.deepEqual(twitter.extractUrls(t.text), t.kind === 'root' ? [link] : [], t.text);
      assert.deepEqual(twitter.extractMentions(t.text), [], t.text);
    }
  });

  test('a flapping recovery tells the story once, and never leaves "recovered" standing while it is down', () => {
    const recovered = events.find((e) => e.type === 'recovered')!;
    const resolved = events.find((e) => e.type === 'resolved')!;
    const flip = (at: number, type: 'recovered' | 'relapsed'): IncidentEvent => ({
      ...recovered,
      at,
      type,
      status: type === 'recovered' ? 'monitoring' : 'investigating',
    });
    const base = events.filter((e) => e.type !== 'recovered' && e.type !== 'resolved');
    // Recovers at 15:14:50, halts again at 15:16, recovers at 15:18, halts at 15:20 for good
    // until 16:40, then recovers and resolves.
    const timeline = [
      ...base,
      recovered,
      flip(T('15:16:00'), 'relapsed'),
      flip(T('15:18:00'), 'recovered'),
      flip(T('15:20:00'), 'relapsed'),
      flip(T('16:40:00'), 'recovered'),
      { ...resolved, at: T('16:45:00') },
    ].map((e, i) => ({ ...e, seq: i + 1 }));
    const { told } = simulate(incident, timeline, link);
    assert.deepEqual(
      told.map((t) => `${t.type}@${new Date(t.at).toISOString().slice(11, 16)}`),
      [
        'opened@12:03',
        'severity_changed@12:13',
        'recovered@15:15',
        // The halt of 15:16 waited out the interval and was still true; 15:18 was superseded,
        // 15:20 already told.
        'relapsed@15:35',
        'recovered@16:40',
        'resolved@16:45',
      ],
    );
  });
});
