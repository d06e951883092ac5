import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Replayer, type ReplayIncident } from '../../src/replay/replayer';

/** The shipped example timelines replay to the incidents they were written to show. */
function replay(file: string, events = false): { incidents: ReplayIncident[]; replayer: Replayer } {
  const replayer = new Replayer({ events });
  for (const line of readFileSync(`examples/${file}`, 'utf8').split('\n')) replayer.push(line);
  return { incidents: replayer.finish(), replayer };
}

test('MegaETH 2025-03-07: one halt, critical, three hours, resolved after blocks resume', () => {
  const { incidents, replayer } = replay('megaeth-2025-03-07-halt.jsonl', true);
  assert.deepEqual(replayer.summary.errors, []);
  assert.equal(incidents.length, 1);
  const [inc] = incidents;
  assert.equal(inc!.kind, 'halted');
  assert.equal(inc!.title, 'Block production halted');
  assert.equal(inc!.severity, 'critical');
  assert.equal(inc!.status, 'resolved');
  // Last block 12:03:01, stall threshold 10 s, polls every 10 s.
  assert.equal(inc!.openedAt, '2025-03-07T12:03:30.000Z');
  assert.equal(inc!.resolvedAt, '2025-03-07T15:19:50.000Z');
  assert.deepEqual(
    inc!.events!.map((e) => e.type),
    ['opened', 'severity_changed', 'evidence', 'recovered', 'resolved'],
  );
  assert.match(inc!.events![0]!.text, /the last was #1,000,781 at 12:03:01 UTC/);
  assert.match(inc!.events![4]!.text, /lasted 3 h 11 min from 12:03:01 UTC/);
});

test('a provider frozen on an old head is one minor endpoint incident, never a halt', () => {
  const { incidents } = replay('provider-lagging.jsonl');
  assert.deepEqual(
    incidents.map((i) => [i.kind, i.title, i.severity, i.status]),
    [['endpoint_lagging', 'RPC provider rpc-b lagging', 'minor', 'resolved']],
  );
});

test('a same-height reorg is one reorg incident', () => {
  const { incidents } = replay('reorg.jsonl', true);
  assert.equal(incidents.length, 1);
  assert.equal(incidents[0]!.kind, 'reorg');
  assert.match(incidents[0]!.events![0]!.text, /A reorg of 2 blocks/);
});

test('every endpoint failing is "Public RPC unreachable", not a halt', () => {
  const { incidents } = replay('rpc-unreachable.jsonl');
  assert.deepEqual(
    incidents.map((i) => [i.kind, i.title, i.status]),
    [['rpc_unreachable', 'Public RPC unreachable', 'resolved']],
  );
});

test('bad lines are named with their line number and skipped, not fatal', () => {
  const r = new Replayer();
  r.push('{"type":"network","name":"n","blockTimeMs":1000,"endpoints":["a"]}');
  r.push('not json');
  r.push(
    '{"t":"2025-01-01T00:00:00Z","type":"head","network":"n","endpoint":"a","number":-1,"hash":"0x1","parentHash":"0x2","timestamp":1}',
  );
  r.push(
    '{"t":"2025-01-01T00:00:00Z","type":"head","network":"ghost","endpoint":"a","number":1,"hash":"0x' +
      '1'.repeat(64) +
      '","parentHash":"0x' +
      '2'.repeat(64) +
      '","timestamp":1}',
  );
  r.push('{"t":"2025-01-01T00:00:01Z","type":"rpc_error","network":"n","endpoint":"a","error":"timeout"}');
  assert.deepEqual(r.finish(), []);
  assert.equal(r.summary.samples, 1);
  assert.equal(r.summary.errors.length, 3);
  assert.match(r.summary.errors[0]!, /^line 2: /);
  assert.match(r.summary.errors[1]!, /^line 3: number: /);
  assert.match(r.summary.errors[2]!, /^line 4: network "ghost" is not declared/);
});

test('thresholds on a network line use the config file names or the field names', () => {
  const r = new Replayer();
  r.push('{"type":"network","name":"n","blockTimeMs":1000,"endpoints":["a"],"stall":"3s","thresholds":{"resolveAfterMs":1000}}');
  r.push('{"type":"network","name":"m","blockTimeMs":1000,"endpoints":["a"],"stal":"3s"}');
  assert.equal(r.summary.errors.length, 1);
  assert.match(r.summary.errors[0]!, /unknown threshold "stal"/);
});
