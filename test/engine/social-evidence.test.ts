import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialSocialState, observeSocial, reportOf, REPORTS_MAX, SEEN_MAX, type SocialState } from '../../src/engine/social-evidence';
import type { Post } from '../../src/model';
import { testNetwork } from '../support/network';

const net = testNetwork({ name: 'megaeth', displayName: 'MegaETH' });
const T0 = Date.parse('2025-03-07T12:05:00Z');
const DAY = 86_400_000;

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

test('three independent reporters within the window give a weak social_reports signal', () => {
  const { signals, verdict } = observeSocial(initialSocialState(), reports([post(1), post(2), post(3)]), net, T0);
  assert.equal(verdict.reporters, 3);
  assert.ok(Math.abs(verdict.confidence - (1 - 0.4 ** 3)) < 1e-9);
  assert.equal(signals.length, 1);
  const [s] = signals;
  assert.equal(s!.kind, 'social_reports');
  assert.equal(s!.source, 'social');
  assert.equal(s!.weak, true);
  assert.match(s!.summary, /^3 people reported problems with MegaETH in the last 10 min \(en; usually none\): “megaeth down\? #\d”/);
  assert.equal(s!.evidence!.length, 3);
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

test('a network whose usual chatter is high needs a real excess over its baseline', () => {
  const busy: SocialState = { ...initialSocialState(), baselinePerHour: 30, lastEvalAt: T0 - 60_000 };
  const { signals } = observeSocial(busy, reports([post(1), post(2), post(3), post(4)]), net, T0);
  assert.deepEqual(signals, [], '4 reporters in 10 min = 24/h, under 3 × 30/h');
  const quiet: SocialState = { ...initialSocialState(), baselinePerHour: 0.5, lastEvalAt: T0 - 60_000 };
  assert.equal(observeSocial(quiet, reports([post(1), post(2), post(3), post(4)]), net, T0).signals.length, 1);
});

test('reports leave the window, the signal clears, and the baseline does not learn from an outage', () => {
  const first = observeSocial(initialSocialState(), reports([post(1), post(2), post(3)]), net, T0);
  assert.equal(first.signals.length, 1);
  assert.equal(first.state.baselinePerHour, 0, 'not learnt while signalling');
  const later = observeSocial(first.state, [], net, T0 + 11 * 60_000);
  assert.deepEqual(later.signals, []);
  assert.equal(later.state.reports.length, 0);
});

test('a post seen by two polls counts once', () => {
  const a = observeSocial(initialSocialState(), reports([post(1), post(2)]), net, T0);
  const b = observeSocial(a.state, reports([post(1), post(2)]), net, T0 + 1000);
  assert.equal(b.state.reports.length, 2);
  assert.deepEqual(b.signals, []);
});

test('state stays bounded under a flood', () => {
  let state = initialSocialState();
  for (let batch = 0; batch < 20; batch++) {
    const posts = Array.from({ length: 500 }, (_, i) => post(batch * 500 + i, { createdAt: T0 + batch * 1000 }));
    state = observeSocial(state, reports(posts), net, T0 + batch * 1000).state;
  }
  assert.ok(state.reports.length <= REPORTS_MAX);
  assert.ok(state.seen.length <= SEEN_MAX);
});
