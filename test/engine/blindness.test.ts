import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BLINDNESS, judgeSight, sightOf, step, initialNetworkState, type NetworkState } from '../../src/engine';
import type { ChecksSight, Sight } from '../../src/model';
import { failSample, makeNetwork, okSample, T0 } from './detectors/builders';

const dark = (since: number, at = T0 + 10_000): Sight => ({ at, endpoints: 2, dark: 2, darkSince: since });
const lit = (at = T0 + 10_000): Sight => ({ at, endpoints: 2, dark: 0, darkSince: null });
const sights = (...s: Sight[]) => new Map(s.map((x, i) => [`net-${i}`, x]));
const opts = (over: Partial<Parameters<typeof judgeSight>[2]> = {}) => ({
  now: T0 + 10_000,
  checksConfigured: false,
  wasBlind: null,
  ...over,
});

test('every network dark in the same few seconds: blind, since the first went dark', () => {
  const v = judgeSight(sights(dark(T0), dark(T0 + 800), dark(T0 + 1500)), null, opts());
  assert.equal(v.blind, true);
  assert.ok(v.blind && v.since === T0 && /3 of 3 networks/.test(v.reason));
});

test("two networks of three dark while the third answers: their outage, not chainwatch's", () => {
  assert.equal(judgeSight(sights(dark(T0), dark(T0), lit()), null, opts()).blind, false);
});

test('networks going dark far apart did not fail together', () => {
  const v = judgeSight(sights(dark(T0 - 5 * 60_000), dark(T0 - 2 * 60_000), dark(T0)), null, opts());
  assert.equal(v.blind, false);
  assert.ok(BLINDNESS.windowMs < 2 * 60_000);
});

test('one network and no connectivity checks: never judged blind (it cannot be told apart)', () => {
  const v = judgeSight(sights(dark(T0)), null, opts());
  assert.equal(v.blind, false);
  assert.match(v.reason, /cannot tell its own blindness from an outage/);
});

test('the connectivity checks decide once they ran after the darkness began', () => {
  const failing: ChecksSight = { at: T0 + 9_000, total: 2, failed: 2, failingSince: T0 + 2_000 };
  const passing: ChecksSight = { at: T0 + 9_000, total: 2, failed: 0, failingSince: null };
  const before: ChecksSight = { at: T0 - 1_000, total: 2, failed: 0, failingSince: null };
  const three = sights(dark(T0), dark(T0), dark(T0));
  assert.equal(judgeSight(three, failing, opts({ checksConfigured: true })).blind, true);
  assert.equal(judgeSight(three, passing, opts({ checksConfigured: true })).blind, false, 'the world answers: the chains are down');
  assert.equal(
    judgeSight(three, before, opts({ checksConfigured: true })).blind,
    true,
    'a round from before the darkness says nothing yet',
  );
  assert.equal(judgeSight(sights(dark(T0)), failing, opts({ checksConfigured: true })).blind, true, 'one network, checks failing');
});

test('blindness ends only when most networks see again', () => {
  const wasBlind = { since: T0 };
  assert.equal(judgeSight(sights(dark(T0), lit(), lit()), null, opts({ wasBlind })).blind, true, 'one of three still dark');
  assert.equal(judgeSight(sights(lit(), lit(), lit()), null, opts({ wasBlind })).blind, false);
});

test('stale sights are left out', () => {
  const old = T0 + 10_000 - BLINDNESS.staleMs - 1;
  assert.equal(judgeSight(sights(dark(T0, old), dark(T0, old), dark(T0)), null, opts()).blind, false);
});

test("a network's sight counts dark endpoints (no answer at all), not refused requests", () => {
  const s = sightOf(
    [
      failSample('a', T0, 'unreachable'),
      failSample('b', T0, 'timeout'),
      failSample('c', T0, 'http', { status: 503 }),
      okSample('d', 1, T0),
    ],
    (ep) => (ep === 'a' ? T0 - 3000 : null),
    T0,
  );
  assert.deepEqual(s, { at: T0, endpoints: 4, dark: 2, darkSince: T0 - 3000 });
});

test('held while blind: no incident from the darkness; if it outlasts the blindness, the incident opens then', () => {
  const network = makeNetwork({ thresholds: { endpointDownFailures: 2 } });
  let state: NetworkState = initialNetworkState();
  const poll = (i: number, ok: boolean, blind: { since: number } | null) => {
    const now = T0 + i * 1000;
    const samples = ['rpc-a', 'rpc-b'].map((ep) => (ok ? okSample(ep, 100 + i, now) : failSample(ep, now, 'unreachable')));
    const r = step(state, { type: 'poll', samples, blind }, network, now);
    state = r.state;
    return r;
  };
  for (let i = 0; i < 5; i++) poll(i, true, null);
  const blind = { since: T0 + 5000 };
  for (let i = 5; i < 30; i++) assert.equal(poll(i, false, blind).events.length, 0, `held at ${i}`);
  assert.equal(state.corr.incident, null);
  assert.ok(state.corr.conditions.rpc_unreachable, 'the evidence is kept');
  const back = poll(30, false, null);
  assert.deepEqual(
    back.events.map((e) => [e.type, e.kind]),
    [['opened', 'rpc_unreachable']],
    'still failing once sight returned: a real outage',
  );
});
