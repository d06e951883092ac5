import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BUCKETS_MAX,
  initialSocialState,
  observeSocial,
  QUOTED_MAX,
  reportOf,
  REPORTS_MAX,
  SOCIAL_PRIOR,
  type SocialState,
} from '../../src/engine/social-evidence';
import type { Post } from '../../src/model';
import { testNetwork } from '../support/network';
import { DEFAULT_SOCIAL } from '../../src/config/defaults';

const net = testNetwork({ name: 'megaeth', displayName: 'MegaETH' });
const T0 = Date.parse('2025-03-07T12:05:00Z');
const DAY = 86_400_000;
const MIN = 60_000;

function post(i: number, over: Partial<Post> = {}): Post {
  return {
    source: 'x',
    id: `p${i}`,
    author: `user${i}`,
    authorId: `u${i}`,
    text: `megaeth down? #${i}`,
    createdAt: T0 - 60_000,
    url: `https://x.com/user${i}/status/p${i}`,
    authorCreatedAt: T0 - 400 * DAY,
    authorFollowers: 500,
    ...over,
  };
}
const reports = (posts: Post[]) => posts.map((p) => reportOf(p, 'en'));
const times = (n: number, at = T0 - 30_000) => Array.from({ length: n }, () => at);

test('three independent reporters within the window give a weak social_reports signal', () => {
  const { signals, verdict } = observeSocial(initialSocialState(), reports([post(1), post(2), post(3)]), net, T0);
  assert.equal(verdict.reporters, 3);
  assert.ok(Math.abs(verdict.confidence - (1 - 0.4 ** 3)) < 1e-9);
  assert.equal(signals.length, 1);
  const [s] = signals;
  assert.equal(s!.kind, 'social_reports');
  assert.equal(s!.source, 'social');
  assert.equal(s!.weak, true);
  assert.match(
    s!.summary,
    /^3 people reported problems with MegaETH in the last 10 min \(en; 3 of 3 posts about it, usually 10%; usually 1\.0 an hour\): “megaeth down\? #\d”/,
  );
  assert.equal(s!.evidence!.length, 3);
});

test('a fresh start is not "usually none": the prior is the usual rate and share', () => {
  const { verdict } = observeSocial(initialSocialState(), [], net, T0);
  assert.equal(verdict.baselinePerHour, SOCIAL_PRIOR.ratePerHour);
  assert.equal(verdict.usualShare, SOCIAL_PRIOR.share);
  assert.ok(verdict.baselinePerHour >= 0.5 && verdict.usualShare >= 0.05, 'misreads happen: the prior is not zero');
});

test('a burst of 150 price-crash posts with 3 misread as reports opens nothing on a fresh start', () => {
  const misread = reports([post(1), post(2), post(3)]);
  const burst = observeSocial(initialSocialState(), misread, net, T0, undefined, times(147));
  assert.equal(burst.verdict.reporters, 3, 'the reporters alone would be enough');
  assert.equal(burst.verdict.posts, 150);
  assert.deepEqual(burst.signals, [], 'but 3 of 150 posts is no rise in the share');
  // Control: the same three reports with nothing else said about the network do open.
  assert.equal(observeSocial(initialSocialState(), misread, net, T0).signals.length, 1);
});

test('the burst arriving in batches, reports first, opens nothing either once the chatter is counted', () => {
  let state = initialSocialState();
  const opened: number[] = [];
  for (let b = 0; b < 10; b++) {
    const now = T0 + b * 20_000;
    const misread = b < 3 ? reports([post(b + 1, { createdAt: now - 1000 })]) : [];
    const r = observeSocial(state, misread, net, now, undefined, times(15 - misread.length, now - 1000));
    state = r.state;
    if (r.signals.length) opened.push(b);
  }
  assert.deepEqual(opened, []);
  assert.equal(
    state.posts.reduce((n, b) => n + b[1] + b[2], 0),
    150,
  );
});

test('a real outage inside heavy chatter still opens: the share rises well above what is usual', () => {
  // A day of ordinary chatter: about 2% of the network's posts read as reports.
  let state = initialSocialState();
  for (let h = 0; h < 24; h++) {
    const now = T0 + h * 3600_000;
    state = observeSocial(state, reports([post(1000 + h, { createdAt: now - 1000 })]), net, now, undefined, times(49, now - 1000)).state;
  }
  const usual = observeSocial(state, [], net, T0 + 24 * 3600_000).verdict;
  assert.ok(usual.usualShare < 0.04, `usual share ${usual.usualShare}`);
  const now = T0 + 24 * 3600_000 + 60_000;
  const outage = reports(Array.from({ length: 12 }, (_, i) => post(i, { createdAt: now - 5000 })));
  const r = observeSocial(state, outage, net, now, undefined, times(90, now - 5000));
  assert.equal(r.verdict.reporters, 12);
  assert.ok(r.verdict.share > 0.1, `${r.verdict.share}`);
  assert.equal(r.signals.length, 1);
});

test('one author counts once, however often they post', () => {
  const same = [1, 2, 3, 4, 5].map((i) => post(i, { authorId: 'u1', author: 'loud' }));
  const { signals, verdict } = observeSocial(initialSocialState(), reports(same), net, T0);
  assert.equal(verdict.reporters, 1);
  assert.deepEqual(signals, []);
});

test('new and tiny accounts count less', () => {
  const sock = (i: number) => post(i, { authorCreatedAt: T0 - 2 * DAY, authorFollowers: 3 });
  const { signals, verdict } = observeSocial(initialSocialState(), reports([sock(1), sock(2), sock(3), sock(4)]), net, T0);
  assert.equal(verdict.weighted, 1);
  assert.deepEqual(signals, []);
});

test('a network whose usual rate is high needs a real excess over it', () => {
  const busy: SocialState = { ...initialSocialState(), usual: { rate: 30 * 48, hours: 48, reports: 0, posts: 0 }, lastEvalAt: T0 - MIN };
  const { signals, verdict } = observeSocial(busy, reports([post(1), post(2), post(3), post(4)]), net, T0);
  assert.ok(verdict.baselinePerHour > 25, `${verdict.baselinePerHour}`);
  assert.deepEqual(signals, [], '4 reporters in 10 min = 24/h, under 3 × the usual');
  const quiet: SocialState = { ...initialSocialState(), usual: { rate: 0.2 * 48, hours: 48, reports: 0, posts: 0 }, lastEvalAt: T0 - MIN };
  assert.equal(observeSocial(quiet, reports([post(1), post(2), post(3), post(4)]), net, T0).signals.length, 1);
});

test('quiet time teaches the usual rate; an outage teaches nothing; reports leave the window', () => {
  // Quiet: one reporter now and then, evaluated every poll.
  let state = observeSocial(initialSocialState(), reports([post(1)]), net, T0).state;
  for (let t = 1; t <= 12 * 60; t++) state = observeSocial(state, [], net, T0 + t * MIN).state;
  const learnt = state.usual;
  // Twelve hours observed, decayed with the one-day half-life: 24/ln 2 × (1 − 0.5^0.5) ≈ 10.1 h.
  assert.ok(learnt.hours > 10 && learnt.hours < 10.3, `${learnt.hours} h`);
  assert.ok(learnt.rate > 0, 'the one reporter was learnt');
  const now = T0 + 12 * 60 * MIN + 1000;
  const first = observeSocial(
    state,
    reports([post(2, { createdAt: now - 1 }), post(3, { createdAt: now - 1 }), post(4, { createdAt: now - 1 })]),
    net,
    now,
  );
  assert.equal(first.signals.length, 1);
  assert.deepEqual(first.state.usual, learnt, 'not learnt while signalling');
  const later = observeSocial(first.state, [], net, now + 11 * MIN);
  assert.deepEqual(later.signals, []);
  assert.equal(later.state.authors.length, 0);
});

test('a post seen by two polls counts once, in the reporters and in the share', () => {
  const a = observeSocial(initialSocialState(), reports([post(1), post(2)]), net, T0);
  const b = observeSocial(a.state, reports([post(1), post(2)]), net, T0 + 1000);
  assert.equal(b.state.authors.length, 2);
  assert.equal(b.verdict.reportPosts, 2);
  assert.deepEqual(b.signals, []);
});

test('the quoted examples are the best-weighted newest authors, kept through a flood of others', () => {
  const posts = [
    post(1, { text: 'first real report', createdAt: T0 - 50_000 }),
    ...Array.from({ length: 300 }, (_, i) => post(100 + i, { authorFollowers: 3, createdAt: T0 - 40_000 + i })),
    post(2, { text: 'second real report', createdAt: T0 - 20_000 }),
  ];
  const { state, signals } = observeSocial(initialSocialState(), reports(posts), net, T0);
  assert.ok(state.quoted.length <= QUOTED_MAX);
  const summary = signals[0]?.summary ?? '';
  assert.match(summary, /“second real report” \(user2\) “first real report” \(user1\)/);
});

test('state stays bounded and small under a flood', () => {
  let state = initialSocialState();
  for (let batch = 0; batch < 40; batch++) {
    const now = T0 + batch * 30_000;
    const posts = Array.from({ length: 500 }, (_, i) =>
      post(batch * 500 + i, { createdAt: now, id: `1897${String(batch * 500 + i).padStart(15, '0')}` }),
    );
    state = observeSocial(state, reports(posts), net, now, undefined, times(500, now)).state;
  }
  assert.ok(state.authors.length <= REPORTS_MAX);
  assert.ok(state.quoted.length <= QUOTED_MAX);
  assert.ok(state.posts.length <= BUCKETS_MAX);
  const bytes = JSON.stringify(state).length;
  assert.ok(bytes < 40_000, `${bytes} bytes`);
  // A day-long window still fits its buckets.
  const wide = { ...DEFAULT_SOCIAL, windowMs: DAY };
  let day = initialSocialState();
  for (let m = 0; m < 2 * 24 * 60; m += 7) day = observeSocial(day, [], net, T0 + m * MIN, wide, [T0 + m * MIN]).state;
  assert.ok(day.posts.length <= BUCKETS_MAX, `${day.posts.length} buckets`);
});

test('a state written by the previous version (reports, baselinePerHour, seen) is read, not thrown on', () => {
  const legacy = {
    reports: reports([post(1), post(2)]),
    baselinePerHour: 0.5,
    lastEvalAt: T0 - MIN,
    seen: ['x:p1', 'x:p2'],
  } as unknown as SocialState;
  const r = observeSocial(legacy, reports([post(3)]), net, T0);
  assert.equal(r.verdict.reporters, 3);
  assert.ok(Math.abs(r.verdict.baselinePerHour - (0.5 * 24 + 6) / 30) < 1e-9);
  assert.equal(r.signals.length, 1);
  assert.ok(Array.isArray(r.state.authors) && !('reports' in r.state));
});
