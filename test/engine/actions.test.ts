import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyAction } from '../../src/engine/actions';
import { correlate, initialCorrelatorState, type CorrelatorState } from '../../src/engine/correlator';
import type { Signal } from '../../src/model';
import { testNetwork } from '../support/network';

const net = testNetwork();
const T0 = Date.parse('2025-03-07T12:00:00Z');
const halted = (at: number, weak = false): Signal => ({
  network: net.name,
  kind: 'halted',
  severity: 'major',
  at,
  source: 'chain',
  summary: 'No new block',
  details: { stalledForMs: 12_000 },
  weak,
});

function openState(weak = false): CorrelatorState {
  return correlate(initialCorrelatorState(), { now: T0, signals: [halted(T0, weak)], evaluated: ['chain'] }, net).state;
}

test('acknowledge records who and when, once', () => {
  const s = openState();
  const r = applyAction(s, s.incident!.id, { type: 'ack', by: 'mod#1' }, T0 + 5000);
  assert.ok(r.ok);
  assert.deepEqual(r.state.incident!.ack, { by: 'mod#1', at: T0 + 5000 });
  assert.deepEqual(
    r.events.map((e) => [e.type, e.seq, e.by, e.text]),
    [['acknowledged', 2, 'mod#1', 'Acknowledged by mod#1.']],
  );
  const again = applyAction(r.state, s.incident!.id, { type: 'ack', by: 'mod#2' }, T0 + 6000);
  assert.deepEqual(again.ok ? 'ok' : again.reason, 'already_acknowledged');
  assert.equal(s.incident!.ack, null, 'the input state is not mutated');
});

test('a moderator update is an event with their text; empty text is refused', () => {
  const s = openState();
  const r = applyAction(s, s.incident!.id, { type: 'update', by: 'mod', text: '  Sequencer restarting, ETA 20 min  ' }, T0 + 1);
  assert.ok(r.ok);
  assert.equal(r.events[0]!.text, 'Sequencer restarting, ETA 20 min');
  const empty = applyAction(s, s.incident!.id, { type: 'update', by: 'mod', text: '   ' }, T0 + 1);
  assert.equal(empty.ok ? 'ok' : empty.reason, 'empty_text');
});

test('confirm makes a suspected incident public; only suspected ones', () => {
  const s = openState(true);
  assert.equal(s.incident!.status, 'suspected');
  const r = applyAction(s, s.incident!.id, { type: 'confirm', by: 'mod' }, T0 + 1);
  assert.ok(r.ok);
  assert.equal(r.state.incident!.status, 'investigating');
  assert.equal(r.state.incident!.confirmedAt, T0 + 1);
  const again = applyAction(r.state, s.incident!.id, { type: 'confirm', by: 'mod' }, T0 + 2);
  assert.equal(again.ok ? 'ok' : again.reason, 'not_suspected');
});

test('a manual resolve is not undone by evidence that is still there, and a later relapse opens anew', () => {
  const s = openState();
  const r = applyAction(s, s.incident!.id, { type: 'resolve', by: 'mod', reason: 'known maintenance' }, T0 + 1000);
  assert.ok(r.ok);
  assert.equal(r.events[0]!.text, 'Resolved by mod: known maintenance');
  let state = r.state;
  // The halt is still reported: nothing happens while it lasts.
  const still = correlate(state, { now: T0 + 2000, signals: [halted(T0 + 2000)], evaluated: ['chain'] }, net);
  assert.deepEqual(still.events, []);
  state = still.state;
  // It clears, then comes back: a real new problem reopens the same incident (recent, seen).
  state = correlate(state, { now: T0 + 3000, signals: [], evaluated: ['chain'] }, net).state;
  const back = correlate(state, { now: T0 + 4000, signals: [halted(T0 + 4000)], evaluated: ['chain'] }, net);
  assert.deepEqual(
    back.events.map((e) => e.type),
    ['reopened'],
  );
});

test('dismiss closes as a false alarm; actions on closed or unknown incidents are refused', () => {
  const s = openState();
  const r = applyAction(s, s.incident!.id, { type: 'dismiss', by: 'mod' }, T0 + 1);
  assert.ok(r.ok);
  assert.equal(r.state.incident!.status, 'dismissed');
  assert.equal(r.events[0]!.type, 'dismissed');
  const late = applyAction(r.state, s.incident!.id, { type: 'ack', by: 'mod' }, T0 + 2);
  assert.equal(late.ok ? 'ok' : late.reason, 'closed');
  const unknown = applyAction(s, 'nope-20250101T000000Z', { type: 'ack', by: 'mod' }, T0 + 2);
  assert.equal(unknown.ok ? 'ok' : unknown.reason, 'no_incident');
});
