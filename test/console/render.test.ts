/**
 * The console renderer, pure. The three representative events are pinned as inline
 * snapshots: a change to the output must show up here as a deliberate edit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident, IncidentEvent } from '../../src/model';
import { renderConsoleEvent } from '../../src/console/render';

/** The 2025-03-07 MegaETH outage: opened 12:03:01 UTC, the last block at 12:02:49. */
const OPENED_AT = Date.UTC(2025, 2, 7, 12, 3, 1);
const STARTED_AT = OPENED_AT - 12_000;
const ESC = '\x1b';

const incident: Incident = {
  id: 'megaeth-20250307T120301Z',
  network: 'megaeth',
  status: 'resolved',
  severity: 'critical',
  kind: 'halted',
  title: 'Block production halted',
  startedAt: STARTED_AT,
  openedAt: OPENED_AT,
  updatedAt: OPENED_AT + 11_100_000,
  confirmedAt: OPENED_AT,
  recoveredAt: OPENED_AT + 10_800_000,
  resolvedAt: OPENED_AT + 11_100_000,
  ack: null,
  signals: { halted: 640 },
  summary: 'No new block for 12 s',
  seq: 4,
  reopened: 0,
  seen: ['halted'],
};

function event(over: Partial<IncidentEvent> & Pick<IncidentEvent, 'seq' | 'type' | 'at' | 'text'>): IncidentEvent {
  return {
    incidentId: incident.id,
    network: incident.network,
    status: 'investigating',
    severity: 'major',
    kind: 'halted',
    title: incident.title,
    ...over,
  };
}

const opened = event({
  seq: 1,
  type: 'opened',
  at: OPENED_AT,
  text: 'Block production halted. No new block for 12 s; the last was #1,234,567 at 12:02:49 UTC (2 of 2 endpoints agree)',
});
const severity = event({
  seq: 2,
  type: 'severity_changed',
  at: OPENED_AT + 600_000,
  severity: 'critical',
  text: 'Severity raised to critical: no new block for 10 min 12 s.',
});
const resolved = event({
  seq: 4,
  type: 'resolved',
  at: OPENED_AT + 11_100_000,
  status: 'resolved',
  severity: 'critical',
  text: 'Resolved. Block production halted: lasted 3 h from 12:02:49 UTC; healthy for 5 min since.',
});

const opts = { networkName: 'MegaETH' };

test('snapshot: the opening event is a root card with title, status · severity, since-time and incident id', () => {
  assert.equal(
    renderConsoleEvent(opened, incident, opts),
    [
      '┏━ [MegaETH] Block production halted',
      '┃  investigating · major · since 12:02:49 UTC',
      '┃  Block production halted. No new block for 12 s; the last was #1,234,567 at 12:02:49 UTC (2 of 2 endpoints agree)',
      '┗━ incident megaeth-20250307T120301Z · thread ↓',
    ].join('\n'),
  );
});

test('snapshot: a severity change is one thread line with time, age, label and status', () => {
  assert.equal(
    renderConsoleEvent(severity, incident, opts),
    '   ↳ 12:13:01 UTC (+10 min) [MegaETH] Severity: Severity raised to critical: no new block for 10 min 12 s.  [investigating · critical]',
  );
});

test('snapshot: the resolution is one thread line', () => {
  assert.equal(
    renderConsoleEvent(resolved, incident, opts),
    '   ↳ 15:08:01 UTC (+3 h 5 min) [MegaETH] Resolved: Resolved. Block production halted: lasted 3 h from 12:02:49 UTC; healthy for 5 min since.  [resolved · critical]',
  );
});

test('every later event is a single line; the opening card is four', () => {
  assert.equal(renderConsoleEvent(opened, incident, opts).split('\n').length, 4);
  for (const e of [severity, resolved]) assert.equal(renderConsoleEvent(e, incident, opts).split('\n').length, 1);
});

test('colour codes appear only with color: true', () => {
  for (const e of [opened, severity, resolved]) {
    assert.ok(!renderConsoleEvent(e, incident, opts).includes(ESC), `${e.type} without colour`);
    assert.ok(!renderConsoleEvent(e, incident, { ...opts, color: false }).includes(ESC), `${e.type} with color: false`);
    assert.ok(renderConsoleEvent(e, incident, { ...opts, color: true }).includes(ESC), `${e.type} with color: true`);
  }
  assert.equal(
    renderConsoleEvent(opened, incident, { ...opts, color: true })
      .split('\n')
      .slice(0, 2)
      .join('\n'),
    `${ESC}[1m┏━ [MegaETH] Block production halted${ESC}[0m\n┃  ${ESC}[31minvestigating · major${ESC}[0m · since 12:02:49 UTC`,
  );
  assert.equal(
    renderConsoleEvent(resolved, incident, { ...opts, color: true }),
    `   ↳ 15:08:01 UTC (+3 h 5 min) [MegaETH] ${ESC}[1mResolved${ESC}[0m: ${resolved.text}  [${ESC}[32mresolved · critical${ESC}[0m]`,
  );
});

test('without a display name the network name is shown; without the incident, no since-time or age', () => {
  const card = renderConsoleEvent(opened, null);
  assert.match(card, /^┏━ \[megaeth\] Block production halted\n┃  investigating · major\n/);
  assert.equal(
    renderConsoleEvent(severity, null),
    '   ↳ 12:13:01 UTC [megaeth] Severity: Severity raised to critical: no new block for 10 min 12 s.  [investigating · critical]',
  );
});
