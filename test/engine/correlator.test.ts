import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlate, initialCorrelatorState, type CorrelatorState } from '../../src/engine/correlator';
import type { IncidentEvent, Signal } from '../../src/model';
import { testNetwork } from '../support/network';

const net = testNetwork();
const T0 = Date.parse('2025-03-07T12:00:00Z');

function sig(kind: Signal['kind'], at: number, extra: Partial<Signal> = {}): Signal {
  return { network: net.name, kind, severity: 'major', at, source: 'chain', summary: `${kind} at ${at}`, details: {}, ...extra };
}

/** Runs one chain evaluation per entry; returns the final state and every event. */
function run(steps: { at: number; signals: Signal[] }[], start: CorrelatorState = initialCorrelatorState()) {
  let state = start;
  const events: IncidentEvent[] = [];
  for (const s of steps) {
    const r = correlate(state, { now: s.at, signals: s.signals, evaluated: ['chain'] }, net);
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
}

const halted = (at: number) => sig('halted', at, { details: { stalledForMs: at - T0 + 12_000 } });

test('a halt opens one investigating incident that starts at the last block', () => {
  const { state, events } = run([
    { at: T0, signals: [halted(T0)] },
    { at: T0 + 1000, signals: [halted(T0 + 1000)] },
  ]);
  assert.equal(events.length, 1);
  const [opened] = events;
  assert.equal(opened!.type, 'opened');
  assert.equal(opened!.title, 'Block production halted');
  assert.equal(opened!.status, 'investigating');
  assert.equal(opened!.severity, 'major');
  assert.equal(opened!.incidentId, 'testnet-20250307T120000Z');
  assert.equal(state.incident!.startedAt, T0 - 12_000);
  assert.equal(state.incident!.signals.halted, 2);
});

test('a long halt becomes critical once, then recovers, then resolves after the healthy window', () => {
  const steps = [];
  for (let t = T0; t <= T0 + 700_000; t += 50_000) steps.push({ at: t, signals: [halted(t)] });
  steps.push({ at: T0 + 701_000, signals: [] });
  steps.push({ at: T0 + 701_000 + 299_000, signals: [] });
  steps.push({ at: T0 + 701_000 + 300_000, signals: [] });
  steps.push({ at: T0 + 701_000 + 400_000, signals: [] });
  const { state, events } = run(steps);
  assert.deepEqual(
    events.map((e) => [e.type, e.status, e.severity]),
    [
      ['opened', 'investigating', 'major'],
      ['severity_changed', 'investigating', 'critical'],
      ['recovered', 'monitoring', 'critical'],
      ['resolved', 'resolved', 'critical'],
    ],
  );
  assert.deepEqual(
    events.map((e) => e.seq),
    [1, 2, 3, 4],
  );
  assert.equal(state.incident!.resolvedAt, T0 + 1_001_000);
  assert.match(events[2]!.text, /Blocks are being produced again/);
});

test('a relapse while monitoring goes back to investigating in the same incident', () => {
  const { events } = run([
    { at: T0, signals: [halted(T0)] },
    { at: T0 + 5000, signals: [] },
    { at: T0 + 10_000, signals: [] },
    { at: T0 + 14_000, signals: [halted(T0 + 14_000)] },
  ]);
  assert.deepEqual(
    events.map((e) => [e.type, e.status]),
    [
      ['opened', 'investigating'],
      ['recovered', 'monitoring'],
      ['relapsed', 'investigating'],
    ],
  );
  assert.equal(new Set(events.map((e) => e.incidentId)).size, 1);
});

test('a relapse soon after resolution reopens the same incident; a later one opens a new one', () => {
  const resolvedAt = T0 + 1000 + 300_000;
  const base = run([
    { at: T0, signals: [halted(T0)] },
    { at: T0 + 1000, signals: [] },
    { at: T0 + 6000, signals: [] },
    { at: resolvedAt, signals: [] },
  ]);
  assert.equal(base.state.incident!.status, 'resolved');
  const soon = run([{ at: resolvedAt + 60_000, signals: [halted(resolvedAt + 60_000)] }], base.state);
  assert.equal(soon.events[0]!.type, 'reopened');
  assert.equal(soon.events[0]!.incidentId, base.state.incident!.id);
  assert.equal(soon.events[0]!.seq, 4);
  assert.equal(soon.state.incident!.reopened, 1);
  const late = run([{ at: resolvedAt + 1_900_000, signals: [halted(resolvedAt + 1_900_000)] }], base.state);
  assert.equal(late.events[0]!.type, 'opened');
  assert.notEqual(late.events[0]!.incidentId, base.state.incident!.id);
});

test('degraded kinds open only after persisting for confirmMs', () => {
  const lag = (at: number) => sig('endpoint_lagging', at, { severity: 'minor', endpoint: 'rpc-b' });
  const early = run([
    { at: T0, signals: [lag(T0)] },
    { at: T0 + 29_000, signals: [lag(T0 + 29_000)] },
  ]);
  assert.equal(early.events.length, 0);
  const { events } = run([
    { at: T0, signals: [lag(T0)] },
    { at: T0 + 30_000, signals: [lag(T0 + 30_000)] },
  ]);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.title, 'RPC provider rpc-b lagging');
  assert.equal(events[0]!.severity, 'minor');
});

test('a flapping condition that clears before confirmMs never opens', () => {
  const lag = (at: number) => sig('endpoint_lagging', at, { severity: 'minor', endpoint: 'rpc-b' });
  const steps = [];
  for (let t = T0; t < T0 + 600_000; t += 20_000) steps.push({ at: t, signals: (t / 20_000) % 2 ? [lag(t)] : [] });
  assert.equal(run(steps).events.length, 0);
});

test('weak evidence opens suspected; strong evidence confirms it', () => {
  const { events, state } = run([
    { at: T0, signals: [sig('halted', T0, { weak: true })] },
    { at: T0 + 1000, signals: [sig('halted', T0 + 1000)] },
  ]);
  assert.deepEqual(
    events.map((e) => [e.type, e.status]),
    [
      ['opened', 'suspected'],
      ['evidence', 'investigating'],
    ],
  );
  assert.match(events[1]!.text, /^Confirmed: /);
  assert.equal(state.incident!.confirmedAt, T0 + 1000);
});

test('new evidence is told once and a worse kind retitles the incident', () => {
  const lagA = (at: number) => sig('endpoint_lagging', at, { severity: 'minor', endpoint: 'rpc-a' });
  const lagB = (at: number) => sig('endpoint_lagging', at, { severity: 'minor', endpoint: 'rpc-b' });
  const { events, state } = run([
    { at: T0, signals: [lagA(T0)] },
    { at: T0 + 30_000, signals: [lagA(T0 + 30_000), lagB(T0 + 30_000)] },
    { at: T0 + 60_000, signals: [lagA(T0 + 60_000), lagB(T0 + 60_000)] },
    { at: T0 + 61_000, signals: [lagA(T0 + 61_000), lagB(T0 + 61_000), halted(T0 + 61_000)] },
    { at: T0 + 62_000, signals: [lagA(T0 + 62_000), lagB(T0 + 62_000), halted(T0 + 62_000)] },
  ]);
  assert.deepEqual(
    events.map((e) => [e.type, e.title]),
    [
      ['opened', 'RPC provider rpc-a lagging'],
      ['evidence', 'RPC provider rpc-a lagging'],
      ['evidence', 'Block production halted'],
      ['severity_changed', 'Block production halted'],
    ],
  );
  assert.equal(state.incident!.kind, 'halted');
});

test('a chain evaluation does not clear conditions that came from another source', () => {
  const social = sig('social_reports', T0, { source: 'social', severity: 'minor', weak: true });
  let state = correlate(initialCorrelatorState(), { now: T0, signals: [social], evaluated: ['social'] }, net).state;
  state = correlate(state, { now: T0 + 1000, signals: [], evaluated: ['chain'] }, net).state;
  assert.ok(state.conditions.social_reports);
  state = correlate(state, { now: T0 + 2000, signals: [], evaluated: ['social'] }, net).state;
  assert.equal(state.conditions.social_reports, undefined);
});

test('a reorg holds for confirmMs so its incident does not recover one poll later', () => {
  const reorg = sig('reorg', T0, { severity: 'minor', details: { depth: 2 } });
  const { events } = run([
    { at: T0, signals: [reorg] },
    { at: T0 + 1000, signals: [] },
    { at: T0 + 29_000, signals: [] },
    { at: T0 + 30_000, signals: [] },
    { at: T0 + 35_000, signals: [] },
  ]);
  assert.deepEqual(
    events.map((e) => [e.type, e.at - T0]),
    [
      ['opened', 0],
      ['recovered', 35_000],
    ],
  );
});

test('an endpoint that flaps every few seconds does not flap the thread', () => {
  const down = (at: number) => sig('endpoint_down', at, { severity: 'minor', endpoint: 'rpc-b' });
  const steps = [];
  // Down for 3 s, up for 6 s, for ten minutes: each "up" is long enough to recover once.
  for (let t = T0; t < T0 + 600_000; t += 1000) steps.push({ at: t, signals: (t - T0) % 9000 < 3000 ? [down(t)] : [] });
  const { events } = run(steps);
  const relapses = events.filter((e) => e.type === 'relapsed').length;
  assert.equal(events[0]!.type, 'opened');
  assert.ok(relapses <= 2, `${relapses} relapses: the wait before "recovering" doubles after each one`);
  assert.ok(events.length <= 6, events.map((e) => e.type).join(', '));
});

/**
 * A 27 s halt that drew community reports (DESIGN principle 7, issue 11): the reports' own
 * window is 10 min, but they are evidence about the halt, not that it goes on. The incident
 * recovers when the chain does, every duration is the halt's, and the reports still standing
 * after resolution reopen nothing; reports that begin after recovery are new evidence.
 */
test('community reports made during a halt neither keep it open after the chain recovers nor reopen it', () => {
  const social = (at: number) => sig('social_reports', at, { source: 'social', severity: 'minor', weak: true });
  const lastBlock = T0 - 12_000;
  let state = initialCorrelatorState();
  const events: IncidentEvent[] = [];
  const step = (at: number, signals: Signal[], evaluated: Signal['source'][]) => {
    const r = correlate(state, { now: at, signals, evaluated, head: { number: 100, timestamp: Math.floor(at / 1000) } }, net);
    state = r.state;
    events.push(...r.events);
  };
  // Reports begin 5 s into the halt and keep coming; the chain recovers 27 s after its last block.
  for (let t = T0; t < lastBlock + 27_000; t += 1000) {
    step(t, [halted(t)], ['chain']);
    if (t >= T0 + 5000 - 12_000) step(t, [social(t)], ['social']);
  }
  const recoveredAt = lastBlock + 27_000;
  // The social source keeps reporting for its whole 10 min window; the chain is healthy.
  for (let t = recoveredAt; t <= recoveredAt + net.thresholds.resolveAfterMs + 120_000; t += 1000) {
    step(t, [], ['chain']);
    step(t, [social(t)], ['social']);
  }
  const types = events.map((e) => e.type);
  assert.deepEqual(types, ['opened', 'evidence', 'recovered', 'resolved'], types.join(','));
  const inc = state.incident!;
  assert.equal(inc.recoveredAt, recoveredAt, 'recovered when the chain did');
  assert.equal(inc.outageStartedAt, lastBlock);
  const recovered = events.find((e) => e.type === 'recovered')!;
  assert.match(recovered.text, /Block production was halted for 27 s\./);
  const resolved = events.find((e) => e.type === 'resolved')!;
  assert.equal(resolved.details?.durationMs, 27_000);
  assert.match(resolved.text, /halted for 27 s from /);
  assert.ok(state.conditions.social_reports, 'the reports are still standing: they just count for the halt that ended');

  // The reports clear, and a new wave begins after the recovery: that is new evidence.
  const later = recoveredAt + net.thresholds.resolveAfterMs + 200_000;
  step(later, [], ['social']);
  step(later + 1000, [social(later + 1000)], ['social']);
  assert.ok(events.length > 4, 'new reports after recovery count again');
  assert.ok(['reopened', 'opened'].includes(events[4]!.type), events[4]!.type);
});
