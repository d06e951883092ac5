/**
 * src/official against the fake status page (test/support/fake-statuspage.ts) driven through an
 * outage, in all three formats: what each read says, the `official` signal the engine makes of
 * it, and failed reads that say why without the URL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { NetworkStatusPage } from '../../src/config/status-page';
import { observeOfficial } from '../../src/engine/official-evidence';
import type { OfficialPage, StatusPageKind } from '../../src/model';
import { parseStatusPage, readStatusPage } from '../../src/official';
import { startFakeStatuspage, type FakeStatuspage } from '../support/fake-statuspage';
import { testNetwork } from '../support/network';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;
const RPC = 'rpcapi000001';
const BLOCKS = 'blockprod001';
const PATH: Record<StatusPageKind, string> = { statuspage: '/api/v2/summary.json', instatus: '/summary.json', betterstack: '/index.json' };

let now = T0;
let fake: FakeStatuspage;
before(async () => {
  fake = await startFakeStatuspage({
    clock: () => now,
    page: { name: 'Base Status' },
    components: [
      { id: RPC, name: 'Public RPC' },
      { id: BLOCKS, name: 'Block production' },
    ],
  });
});
after(async () => {
  await fake?.close();
});

const statusPage = (kind: StatusPageKind, extra: Partial<NetworkStatusPage> = {}): NetworkStatusPage => ({
  url: fake.url + PATH[kind],
  kind,
  everyMs: 60_000,
  timeoutMs: 2000,
  ...extra,
});
const network = (kind: StatusPageKind, extra: Partial<NetworkStatusPage> = {}) =>
  testNetwork({ name: 'base', displayName: 'Base', statusPage: statusPage(kind, extra) });

async function read(kind: StatusPageKind, timeoutMs = 2000): Promise<OfficialPage> {
  const r = await readStatusPage({ url: fake.url + PATH[kind], kind, timeoutMs }, () => now);
  assert.ok(r.ok, `${kind}: ${JSON.stringify(r)}`);
  return r.page;
}

describe('an outage on the official page, read in three formats', { concurrency: false }, () => {
  let incident = '';

  test('all operational: no problem, no signal', async () => {
    for (const kind of ['statuspage', 'instatus', 'betterstack'] as const) {
      const page = await read(kind);
      assert.equal(page.indicator, 'none', kind);
      assert.deepEqual([page.incidents, page.components], [[], []], kind);
      assert.deepEqual(observeOfficial(page, network(kind), now), [], kind);
    }
  });

  test('investigating: one major incident, quoted with its newest update and cleaned', async () => {
    now = T0 + 2 * MIN;
    incident = fake.openIncident({
      name: 'Elevated RPC errors',
      impact: 'major',
      components: [RPC],
      // A bidi override and a zero-width space must not survive; markdown is the renderer's to escape.
      body: 'We are investigating **errors** from @everyone\u202e\u200b on the public RPC.',
    });
    const page = await read('statuspage');
    assert.equal(page.name, 'Base Status');
    assert.equal(page.incidents.length, 1);
    const [i] = page.incidents;
    assert.equal(i!.status, 'investigating');
    assert.equal(i!.impact, 'major');
    assert.equal(i!.postedAt, T0 + 2 * MIN);
    assert.deepEqual(i!.components, ['Public RPC']);
    assert.equal(i!.update, 'We are investigating **errors** from @everyone on the public RPC.');
    assert.deepEqual(page.components, [{ name: 'Public RPC', status: 'partial_outage', since: T0 + 2 * MIN }]);

    const [s, ...more] = observeOfficial(page, network('statuspage'), now + 30_000);
    assert.equal(more.length, 0);
    assert.equal(s!.kind, 'status_page');
    assert.equal(s!.source, 'official');
    assert.equal(s!.weak, true, 'a status page alone opens a suspected incident');
    assert.equal(s!.severity, 'major');
    assert.equal(
      s!.summary,
      'Base status page: Investigating — “Elevated RPC errors: We are investigating **errors** from @everyone on the public RPC.”',
    );
    assert.equal(s!.details.acknowledgedAt, T0 + 2 * MIN);
    assert.deepEqual(s!.evidence, [`${fake.url}/incidents/${incident}`]);
  });

  test('Instatus and Better Stack say the same outage in their own words', async () => {
    const ins = await read('instatus');
    assert.equal(ins.indicator, 'minor');
    assert.deepEqual(
      ins.incidents.map((i) => [i.name, i.status, i.impact, i.postedAt]),
      [['Elevated RPC errors', 'investigating', 'major', T0 + 2 * MIN]],
    );
    assert.match(observeOfficial(ins, network('instatus'), now)[0]!.summary, /^Base status page: Investigating — “Elevated RPC errors”$/);
    const bs = await read('betterstack');
    assert.equal(bs.indicator, 'minor');
    assert.equal(bs.incidents[0]!.name, 'Elevated RPC errors');
    assert.equal(bs.incidents[0]!.update, 'We are investigating **errors** from @everyone on the public RPC.');
    assert.deepEqual(bs.components, [{ name: 'Public RPC', status: 'degraded', since: null }]);
    assert.equal(observeOfficial(bs, network('betterstack'), now).length, 1);
  });

  test('`components:` narrows: an incident about another component is no evidence', async () => {
    const page = await read('statuspage');
    assert.deepEqual(observeOfficial(page, network('statuspage', { components: ['block production'] }), now), []);
    assert.equal(observeOfficial(page, network('statuspage', { components: ['PUBLIC RPC'] }), now).length, 1);
  });

  test('monitoring with every component back: the page says it is nearly over, no signal', async () => {
    now = T0 + 20 * MIN;
    fake.updateIncident(incident, 'monitoring', 'A fix is in; watching.', { [RPC]: 'operational' });
    const page = await read('statuspage');
    assert.equal(page.incidents[0]!.status, 'monitoring');
    assert.deepEqual(observeOfficial(page, network('statuspage'), now), []);
  });

  test('resolved: nothing on any format', async () => {
    now = T0 + 30 * MIN;
    fake.resolveIncident(incident, 'Resolved.');
    for (const kind of ['statuspage', 'instatus', 'betterstack'] as const) {
      const page = await read(kind);
      assert.deepEqual(page.incidents, [], kind);
      assert.deepEqual(observeOfficial(page, network(kind), now), [], kind);
    }
  });

  test('a planned maintenance is not a problem', async () => {
    const id = fake.scheduleMaintenance({
      name: 'Upgrade',
      scheduledFor: now,
      scheduledUntil: now + 60 * MIN,
      components: [BLOCKS],
      body: 'Planned.',
    });
    fake.updateMaintenance(id, 'in_progress', 'Under way.');
    const page = await read('statuspage');
    assert.equal(page.maintenance, true);
    assert.deepEqual(observeOfficial(page, network('statuspage'), now), []);
    fake.updateMaintenance(id, 'completed', 'Done.');
  });
});

describe('failed reads say why, never the URL', () => {
  const url = () => `${fake.url}/api/v2/summary.json?api_key=SECRET-PAGE-KEY`;
  const readFailing = async (timeoutMs = 2000) => readStatusPage({ url: url(), kind: 'statuspage', timeoutMs }, () => now);

  test('an HTTP error, garbage, a hang and the wrong kind of page', async () => {
    fake.failNext(503, { path: '/api/v2/summary.json' });
    const http = await readFailing();
    assert.deepEqual(http, { ok: false, at: now, kind: 'http', message: 'HTTP 503', status: 503 });
    fake.failNext('garbage', { path: '/api/v2/summary.json' });
    assert.deepEqual(await readFailing(), { ok: false, at: now, kind: 'malformed', message: 'not JSON' });
    fake.failNext('hang', { path: '/api/v2/summary.json' });
    const hung = await readFailing(300);
    assert.equal(hung.ok, false);
    assert.equal(!hung.ok && hung.kind, 'timeout');
    const wrong = await readStatusPage({ url: `${fake.url}/index.json`, kind: 'statuspage', timeoutMs: 2000 }, () => now);
    assert.deepEqual(wrong, { ok: false, at: now, kind: 'malformed', message: 'not a Statuspage summary (page, components, incidents)' });
    const refused = await readStatusPage({
      url: 'http://127.0.0.1:1/api/v2/summary.json?api_key=SECRET-PAGE-KEY',
      kind: 'statuspage',
      timeoutMs: 2000,
    });
    assert.equal(!refused.ok && refused.kind, 'unreachable');
    for (const r of [http, hung, wrong, refused]) assert.doesNotMatch(JSON.stringify(r), /SECRET|127\.0\.0\.1/);
  });

  test('a body over the cap is too large, not read to the end', async () => {
    const r = await readStatusPage({ url: url(), kind: 'statuspage', timeoutMs: 2000, maxBytes: 100 });
    assert.equal(!r.ok && r.kind, 'too_large');
  });
});

describe('hostile JSON is malformed or bounded, never a crash', () => {
  test('wrong shapes', () => {
    for (const body of [null, [], 'x', { page: {} }, { page: 1, components: [], incidents: [] }])
      assert.equal(parseStatusPage('statuspage', body, 0).ok, false, JSON.stringify(body));
    assert.equal(parseStatusPage('instatus', { page: { status: 7 } }, 0).ok, false);
    assert.equal(parseStatusPage('betterstack', { data: { attributes: {} } }, 0).ok, false);
  });

  test('a thousand incidents with huge names keep ten, cut', () => {
    const incidents = Array.from({ length: 1000 }, (_, k) => ({
      id: `i${k}`,
      name: 'x'.repeat(10_000),
      status: 'investigating',
      impact: 'critical',
    }));
    const r = parseStatusPage('statuspage', { page: { name: 'P' }, components: [], incidents }, 0);
    assert.ok(r.ok);
    assert.equal(r.page.incidents.length, 10);
    assert.ok(r.page.incidents.every((i) => i.name.length <= 120 && i.name.endsWith('…')));
  });
});
