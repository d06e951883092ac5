import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Replayer, type ReplayIncident } from '../../src/replay/replayer';
import { classifyPost, defaultNetworkTerms } from '../../src/social/classify';

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
  assert.match(inc!.events![4]!.text, /halted for 3 h 11 min from 12:03:01 UTC/);
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

test("chainwatch's own blindness (every endpoint of every network dark in the same second) opens no incident; two networks of three going dark later are two outages", () => {
  const { incidents, replayer } = replay('watcher-blind.jsonl', true);
  assert.deepEqual(replayer.summary.errors, []);
  assert.ok(replayer.summary.samples > 5000);
  // Blind from 10:05:00 to 10:08:00: nothing opens for it.
  assert.ok(
    incidents.every((i) => i.openedAt >= '2026-11-20T10:18:00.000Z'),
    incidents.map((i) => i.openedAt).join(', '),
  );
  assert.deepEqual(
    incidents.map((i) => [i.network, i.kind, i.status]),
    [
      ['alpha', 'rpc_unreachable', 'resolved'],
      ['beta', 'rpc_unreachable', 'resolved'],
    ],
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

test('a price-crash burst on a fresh start (150 posts, 3 misread as reports) opens nothing', () => {
  const lines = readFileSync('examples/price-crash-burst.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"post"'))
    .map((l) => JSON.parse(l) as { text: string; lang: string });
  assert.equal(lines.length, 150);
  // The scenario of issue 13: the classifier misreads exactly three of them.
  const terms = defaultNetworkTerms([{ name: 'megaeth', displayName: 'MegaETH' }]);
  const misread = lines.filter((p) => classifyPost(p, terms).outage);
  assert.equal(misread.length, 3, misread.map((p) => p.text).join(' | '));
  const { incidents, replayer } = replay('price-crash-burst.jsonl');
  assert.deepEqual(replayer.summary.errors, []);
  assert.equal(replayer.summary.posts, 150);
  assert.deepEqual(incidents, []);
});

test('keyword-less reports in three languages open a suspected incident among ordinary chatter', () => {
  const { incidents, replayer } = replay('keywordless-reports.jsonl', true);
  assert.deepEqual(replayer.summary.errors, []);
  assert.equal(incidents.length, 1);
  const [inc] = incidents;
  assert.equal(inc!.kind, 'social_reports');
  assert.equal(inc!.events![0]!.status, 'suspected');
  // Opened on the third report (08:12), counted among the chatter before it.
  assert.equal(inc!.openedAt, '2026-06-12T08:12:00.001Z');
  assert.match(inc!.events![0]!.text, /3 people reported problems with MegaETH in the last 10 min \(en, ja, ru; 3 of 7 posts about it/);
  assert.equal(inc!.status, 'resolved');
});

test('a regular 1 s chain that halts: incident within 4 s of the last block (learnt stall 3 s, not the default 10 s)', () => {
  const { incidents, replayer } = replay('regular-1s-halt.jsonl', true);
  assert.deepEqual(replayer.summary.errors, []);
  assert.deepEqual(
    incidents.map((i) => [i.kind, i.status]),
    [['halted', 'resolved']],
  );
  // The last block is dated 10:55:00 and was seen at 10:55:00.1-0.2.
  const lastBlock = Date.parse('2026-05-01T10:55:00.000Z');
  const openedAfterMs = Date.parse(incidents[0]!.openedAt) - lastBlock;
  assert.ok(openedAfterMs > 3_000 && openedAfterMs <= 4_000, `opened ${openedAfterMs} ms after the last block`);
  assert.match(incidents[0]!.events![0]!.text, /No new block for 3 s/);
});

test('a 2 s chain whose blocks take 12-18 s now and then, for three hours: no public incident (the first slow block, while still learning, is only suspected)', () => {
  const { incidents, replayer } = replay('irregular-2s-rhythm.jsonl', true);
  assert.deepEqual(replayer.summary.errors, []);
  assert.deepEqual(
    incidents.map((i) => [i.openedAt, i.kind, i.status, i.signals]),
    [['2026-05-02T08:13:28.361Z', 'halted', 'resolved', { halted: 3 }]],
  );
  const statuses = incidents[0]!.events!.map((e) => e.status);
  assert.deepEqual(statuses, ['suspected', 'monitoring', 'resolved'], 'never investigating: nothing public');
  // The same file with the fixed default (10 s): a halt at every slow block for three hours.
  const fixed = new Replayer();
  for (const line of readFileSync('examples/irregular-2s-rhythm.jsonl', 'utf8').split('\n'))
    fixed.push(line.startsWith('{"type":"network"') ? line.replace(/}$/, ',"learn":{"thresholds":false}}') : line);
  const all = fixed.finish();
  assert.ok(all.reduce((n, i) => n + (i.signals.halted ?? 0), 0) >= 25, JSON.stringify(all.map((i) => i.signals)));
  assert.ok(all.at(-1)!.openedAt > '2026-05-02T10:00:00.000Z');
});

test('a throughput drop to a fifth, then near-empty blocks: one low_throughput incident, minor then major, resolved when throughput returns; a quiet hour at half the rate and a quiet chain never alarm', () => {
  const { incidents, replayer } = replay('throughput-drop.jsonl', true);
  assert.deepEqual(replayer.summary.errors, []);
  assert.deepEqual(
    incidents.map((i) => [i.network, i.kind, i.title, i.severity, i.status]),
    [['busy', 'low_throughput', 'Blocks are nearly empty: transactions are not getting in', 'major', 'resolved']],
  );
  const inc = incidents[0]!;
  // Half the rate 14:25-14:40 opens nothing; the drop to a fifth starts at 14:50:00.
  const openedAfterMs = Date.parse(inc.openedAt) - Date.parse('2026-01-31T14:50:00.000Z');
  assert.ok(openedAfterMs > 0 && openedAfterMs <= 180_000, `opened ${openedAfterMs} ms after the drop`);
  const [opened, raised] = inc.events!;
  assert.equal(opened!.severity, 'minor');
  assert.match(opened!.text, /Blocks keep coming but carry \d+\.\d transactions a block over the last \d+ sampled blocks/);
  // Near-empty from 15:00:00: raised to major within two minutes.
  assert.equal(raised!.type, 'severity_changed');
  assert.ok(Date.parse(raised!.t) - Date.parse('2026-01-31T15:00:00.000Z') <= 120_000, raised!.t);
  assert.match(raised!.text, /nearly empty: 0\.0 transactions a block besides the system transaction/);
  // Throughput returns at 15:05:00: recovered within a minute, resolved 5 min later.
  assert.match(inc.events!.find((e) => e.type === 'recovered')!.text, /cleared after/);
  assert.ok(Date.parse(inc.resolvedAt!) - Date.parse('2026-01-31T15:05:00.000Z') <= 6 * 60_000, inc.resolvedAt!);
});

test("status pages in a replay: Base's halt resolves saying chainwatch knew 16 min before its page; OP Mainnet's page alone opens a suspected incident", () => {
  const { incidents, replayer } = replay('official-status-page.jsonl', true);
  assert.deepEqual(replayer.summary.errors, []);
  assert.deepEqual(
    incidents.map((i) => [i.network, i.kind, i.status]),
    [
      ['base', 'halted', 'resolved'],
      ['optimism', 'status_page', 'resolved'],
    ],
  );
  const [halt, page] = incidents as [ReplayIncident, ReplayIncident];
  // The chain stops at 12:05:00 (stall 20 s); the page first says "Investigating" in the read of 12:21:05.
  assert.equal(halt.openedAt, '2026-09-15T12:05:30.000Z');
  assert.ok(halt.signals.status_page! > 0, 'the page joined the halt as evidence');
  const official = halt.events!.find((e) => e.text.startsWith('Base status page:'));
  assert.ok(official && official.t >= '2026-09-15T12:21:05.000Z', JSON.stringify(official));
  assert.match(official.text, /^Base status page: Investigating — “Delayed block production: We are investigating/);
  assert.match(halt.events!.at(-1)!.text, /chainwatch reported this 16 min before the official status page\.$/);
  // OP Mainnet: blocks never stop; the page's degraded RPC and its incident, 12:10-12:30.
  assert.equal(page.events![0]!.status, 'suspected');
  assert.match(page.events![0]!.text, /OP Mainnet status page: Investigating — “Elevated RPC error rates/);
  assert.ok(page.openedAt >= '2026-09-15T12:10:05.000Z' && page.openedAt < '2026-09-15T12:12:00.000Z', page.openedAt);
  assert.ok(page.resolvedAt! > '2026-09-15T12:30:05.000Z' && page.resolvedAt! < '2026-09-15T12:37:00.000Z', page.resolvedAt!);
  assert.doesNotMatch(page.events!.at(-1)!.text, /before the official status page/, 'no lead is claimed over the page that opened it');
});

test('status_page lines: a failed read keeps the last page while fresh; a bad line is named and skipped', () => {
  const r = new Replayer({ events: true });
  const body = (status: string, incidents: unknown[] = []) => ({
    page: { id: 'p', name: 'N', url: 'https://status.n.example', updated_at: '2026-01-01T00:00:00Z' },
    status: { indicator: status === 'operational' ? 'none' : 'major', description: '' },
    components: [{ id: 'c', name: 'RPC', status, group: false }],
    incidents,
    scheduled_maintenances: [],
  });
  r.push('{"type":"network","name":"n","blockTimeMs":1000,"endpoints":["a"]}');
  const line = (t: string, rest: Record<string, unknown>) => r.push(JSON.stringify({ t, type: 'status_page', network: 'n', ...rest }));
  line('2026-01-01T00:00:00Z', { body: body('major_outage') });
  // Failed reads for 9 minutes: the last page (a problem) still stands, so nothing resolves.
  for (let m = 1; m <= 9; m++) line(`2026-01-01T00:0${m}:00Z`, { error: 'http', status: 503 });
  line('2026-01-01T00:09:30Z', { body: body('operational'), error: 'timeout' });
  line('2026-01-01T00:09:40Z', { kind: 'nope', body: {} });
  line('2026-01-01T00:09:50Z', { body: 'not a page' });
  const [inc] = r.finish();
  assert.equal(inc?.kind, 'status_page');
  assert.equal(inc?.resolvedAt, null);
  assert.deepEqual(
    inc?.events?.map((e) => e.type),
    ['opened'],
  );
  assert.deepEqual(r.summary.errors, [
    'line 12: line: give body or error, not both',
    'line 13: kind: Invalid option: expected one of "statuspage"|"instatus"|"betterstack"',
  ]);
});
