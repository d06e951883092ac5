/**
 * Drives the fake status page through an outage and checks the served JSON (Statuspage v2,
 * Instatus, Better Stack) at each step.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeStatuspage, type FakeStatuspage } from '../support/fake-statuspage';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();
const RPC = 'rpcapi000001';
const BLOCKS = 'blockprod001';

const PAGE_KEYS = ['id', 'name', 'url', 'time_zone', 'updated_at'];
const COMPONENT_KEYS = [
  'id',
  'name',
  'status',
  'created_at',
  'updated_at',
  'position',
  'description',
  'showcase',
  'start_date',
  'group_id',
  'page_id',
  'group',
  'only_show_if_degraded',
];
const INCIDENT_KEYS = [
  'id',
  'name',
  'status',
  'created_at',
  'updated_at',
  'monitoring_at',
  'resolved_at',
  'impact',
  'shortlink',
  'started_at',
  'page_id',
  'incident_updates',
  'components',
];
const UPDATE_KEYS = [
  'id',
  'status',
  'body',
  'incident_id',
  'created_at',
  'updated_at',
  'display_at',
  'affected_components',
  'deliver_notifications',
  'custom_tweet',
  'tweet_id',
];

let now = T0;
let page: FakeStatuspage;

before(async () => {
  page = await startFakeStatuspage({
    clock: () => now,
    page: { id: 'pg0000000001', name: 'Examplechain Status' },
    components: [
      { id: RPC, name: 'Public RPC', description: 'JSON-RPC endpoints' },
      { id: BLOCKS, name: 'Block production' },
    ],
  });
});
after(async () => {
  await page?.close();
});

async function get(path: string, timeoutMs = 3_000): Promise<any> {
  const res = await fetch(page.url + path, { signal: AbortSignal.timeout(timeoutMs) });
  assert.equal(res.status, 200, `${path} answered ${res.status}`);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  return res.json();
}
const summary = () => get('/api/v2/summary.json');
const status = async () => (await get('/api/v2/status.json')).status;
const instatus = () => get('/summary.json');
const betterstack = () => get('/index.json');
const included = (bs: any, type: string) => bs.included.filter((x: any) => x.type === type);

describe('an outage, step by step', { concurrency: false, timeout: 10_000 }, () => {
  let incidentId = '';

  test('0. all operational', async () => {
    const s = await summary();
    assert.deepEqual(Object.keys(s), ['page', 'components', 'incidents', 'scheduled_maintenances', 'status']);
    assert.deepEqual(Object.keys(s.page), PAGE_KEYS);
    assert.deepEqual(s.page, {
      id: 'pg0000000001',
      name: 'Examplechain Status',
      url: page.url,
      time_zone: 'Etc/UTC',
      updated_at: at(T0),
    });
    assert.deepEqual(Object.keys(s.components[0]), COMPONENT_KEYS);
    assert.deepEqual(s.components[0], {
      id: RPC,
      name: 'Public RPC',
      status: 'operational',
      created_at: at(T0),
      updated_at: at(T0),
      position: 1,
      description: 'JSON-RPC endpoints',
      showcase: true,
      start_date: null,
      group_id: null,
      page_id: 'pg0000000001',
      group: false,
      only_show_if_degraded: false,
    });
    assert.deepEqual(s.incidents, []);
    assert.deepEqual(s.scheduled_maintenances, []);
    assert.deepEqual(s.status, { indicator: 'none', description: 'All Systems Operational' });
    assert.deepEqual(await get('/api/v2/status.json'), { page: s.page, status: s.status });
    assert.deepEqual(await get('/api/v2/components.json'), { page: s.page, components: s.components });
    assert.deepEqual(await get('/api/v2/incidents/unresolved.json'), { page: s.page, incidents: [] });

    assert.deepEqual(await instatus(), { page: { name: 'Examplechain Status', url: page.url, status: 'UP' } });
    const bs = await betterstack();
    assert.equal(bs.data.type, 'status_page');
    assert.equal(bs.data.attributes.aggregate_state, 'operational');
    assert.deepEqual(
      included(bs, 'status_page_resource').map((r: any) => [r.attributes.public_name, r.attributes.status]),
      [
        ['Public RPC', 'operational'],
        ['Block production', 'operational'],
      ],
    );
  });

  test('1. block production halts: incident opened, critical impact', async () => {
    now = T0 + 1 * MIN;
    incidentId = page.openIncident({
      name: 'Block production halted',
      impact: 'critical',
      components: { [BLOCKS]: 'major_outage' },
      body: 'No new blocks since 12:00 UTC. We are investigating.',
    });
    assert.match(incidentId, /^[0-9a-z]{12}$/);

    const s = await summary();
    assert.equal(s.page.updated_at, at(T0 + MIN));
    assert.deepEqual(s.status, { indicator: 'major', description: 'Partial System Outage' });
    assert.equal(s.incidents.length, 1);
    const inc = s.incidents[0];
    assert.deepEqual(Object.keys(inc), INCIDENT_KEYS);
    assert.deepEqual(
      { ...inc, incident_updates: undefined, components: undefined },
      {
        id: incidentId,
        name: 'Block production halted',
        status: 'investigating',
        created_at: at(T0 + MIN),
        updated_at: at(T0 + MIN),
        monitoring_at: null,
        resolved_at: null,
        impact: 'critical',
        shortlink: `${page.url}/incidents/${incidentId}`,
        started_at: at(T0 + MIN),
        page_id: 'pg0000000001',
        incident_updates: undefined,
        components: undefined,
      },
    );
    assert.equal(inc.incident_updates.length, 1);
    const u = inc.incident_updates[0];
    assert.deepEqual(Object.keys(u), UPDATE_KEYS);
    assert.deepEqual(
      { ...u, id: 'x' },
      {
        id: 'x',
        status: 'investigating',
        body: 'No new blocks since 12:00 UTC. We are investigating.',
        incident_id: incidentId,
        created_at: at(T0 + MIN),
        updated_at: at(T0 + MIN),
        display_at: at(T0 + MIN),
        affected_components: [{ code: BLOCKS, name: 'Block production', old_status: 'operational', new_status: 'major_outage' }],
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      },
    );
    assert.deepEqual(
      inc.components.map((c: any) => [c.id, c.status, c.updated_at]),
      [[BLOCKS, 'major_outage', at(T0 + MIN)]],
    );
    assert.deepEqual((await get('/api/v2/incidents/unresolved.json')).incidents, s.incidents);
    const link = await fetch(inc.shortlink);
    assert.equal(link.status, 200, 'the shortlink resolves on this server');
    assert.match(await link.text(), /Block production halted/);

    const i = await instatus();
    assert.equal(i.page.status, 'HASISSUES');
    assert.deepEqual(i.activeIncidents, [
      {
        id: incidentId,
        name: 'Block production halted',
        started: at(T0 + MIN),
        status: 'INVESTIGATING',
        impact: 'MAJOROUTAGE',
        url: `${page.url}/incident/${incidentId}`,
        updatedAt: at(T0 + MIN),
      },
    ]);
    assert.equal('activeMaintenances' in i, false);
    assert.deepEqual(
      (await get('/v3/components.json')).components.map((c: any) => c.status),
      ['OPERATIONAL', 'MAJOROUTAGE'],
    );

    const bs = await betterstack();
    assert.equal(bs.data.attributes.aggregate_state, 'downtime');
    const [report] = included(bs, 'status_report');
    assert.equal(report.attributes.title, 'Block production halted');
    assert.equal(report.attributes.report_type, 'manual');
    assert.equal(report.attributes.aggregate_state, 'downtime');
    assert.equal(report.attributes.ends_at, null);
    assert.equal(report.attributes.starts_at, at(T0 + MIN));
    const [update] = included(bs, 'status_update');
    assert.deepEqual(report.relationships.status_updates.data, [{ id: update.id, type: 'status_update' }]);
    assert.equal(update.attributes.message, 'No new blocks since 12:00 UTC. We are investigating.');
  });

  test('2. identified: RPC degraded too, updates newest first', async () => {
    now = T0 + 10 * MIN;
    page.updateIncident(incidentId, 'identified', 'A consensus bug in v1.4.2; RPC is slow.', { [RPC]: 'degraded_performance' });
    const inc = (await summary()).incidents[0];
    assert.equal(inc.status, 'identified');
    assert.equal(inc.updated_at, at(T0 + 10 * MIN));
    assert.equal(inc.created_at, at(T0 + MIN));
    assert.deepEqual(
      inc.incident_updates.map((u: any) => [u.status, u.created_at]),
      [
        ['identified', at(T0 + 10 * MIN)],
        ['investigating', at(T0 + MIN)],
      ],
    );
    assert.deepEqual(inc.incident_updates[0].affected_components, [
      { code: BLOCKS, name: 'Block production', old_status: 'major_outage', new_status: 'major_outage' },
      { code: RPC, name: 'Public RPC', old_status: 'operational', new_status: 'degraded_performance' },
    ]);
    assert.deepEqual(
      inc.components.map((c: any) => c.id),
      [BLOCKS, RPC],
    );
    assert.deepEqual(await status(), { indicator: 'major', description: 'Partial System Outage' });
  });

  test('3. monitoring: blocks flow again, degraded', async () => {
    now = T0 + 20 * MIN;
    page.updateIncident(incidentId, 'monitoring', 'Patched release deployed; blocks are being produced.', {
      [BLOCKS]: 'degraded_performance',
      [RPC]: 'operational',
    });
    const s = await summary();
    assert.equal(s.incidents[0].status, 'monitoring');
    assert.equal(s.incidents[0].monitoring_at, at(T0 + 20 * MIN));
    assert.equal(s.incidents[0].resolved_at, null);
    assert.deepEqual(s.status, { indicator: 'minor', description: 'Partially Degraded Service' });
    assert.equal((await instatus()).activeIncidents[0].status, 'MONITORING');
    assert.equal((await betterstack()).data.attributes.aggregate_state, 'degraded');
  });

  test('4. resolved: components back to operational, incident only in history', async () => {
    now = T0 + 30 * MIN;
    page.resolveIncident(incidentId, 'This incident has been resolved.');
    const s = await summary();
    assert.deepEqual(s.incidents, []);
    assert.deepEqual(s.status, { indicator: 'none', description: 'All Systems Operational' });
    assert.deepEqual(
      s.components.map((c: any) => c.status),
      ['operational', 'operational'],
    );
    assert.deepEqual((await get('/api/v2/incidents/unresolved.json')).incidents, []);

    const [inc] = (await get('/api/v2/incidents.json')).incidents;
    assert.equal(inc.id, incidentId);
    assert.equal(inc.status, 'resolved');
    assert.equal(inc.resolved_at, at(T0 + 30 * MIN));
    assert.equal(inc.monitoring_at, at(T0 + 20 * MIN));
    assert.deepEqual(
      inc.incident_updates.map((u: any) => u.status),
      ['resolved', 'monitoring', 'identified', 'investigating'],
    );
    assert.deepEqual(
      inc.incident_updates[0].affected_components.map((a: any) => [a.code, a.old_status, a.new_status]),
      [
        [BLOCKS, 'degraded_performance', 'operational'],
        [RPC, 'operational', 'operational'],
      ],
    );

    assert.deepEqual(await instatus(), { page: { name: 'Examplechain Status', url: page.url, status: 'UP' } });
    const bs = await betterstack();
    assert.equal(bs.data.attributes.aggregate_state, 'operational');
    const [report] = included(bs, 'status_report');
    assert.equal(report.attributes.aggregate_state, 'resolved');
    assert.equal(report.attributes.ends_at, null, 'Better Stack leaves ends_at null on resolved reports');
    assert.deepEqual(
      report.attributes.affected_resources.map((r: any) => r.status),
      ['resolved', 'resolved'],
    );
    assert.equal(included(bs, 'status_update').length, 4);
  });

  test('5. postmortem keeps it out of unresolved', async () => {
    now = T0 + 60 * MIN;
    page.updateIncident(incidentId, 'postmortem', 'Root cause: ...');
    assert.equal((await get('/api/v2/incidents.json')).incidents[0].status, 'postmortem');
    assert.deepEqual((await summary()).incidents, []);
  });
});

describe('other page states', { concurrency: false, timeout: 10_000 }, () => {
  test('an incident that touches no component leaves the indicator at none', async () => {
    now = T0 + 2 * 60 * MIN;
    const id = page.openIncident({ name: 'Explorer lag', impact: 'minor', body: 'Investigating explorer delays.' });
    const s = await summary();
    assert.equal(s.incidents[0].id, id);
    assert.deepEqual(s.incidents[0].incident_updates[0].affected_components, null);
    assert.deepEqual(s.incidents[0].components, []);
    assert.equal(s.status.indicator, 'none');
    const i = await instatus();
    assert.equal(i.page.status, 'HASISSUES');
    assert.equal(i.activeIncidents[0].impact, 'DEGRADEDPERFORMANCE');
    page.resolveIncident(id, 'Resolved.');
    assert.deepEqual((await summary()).incidents, []);
  });

  test('everything in major outage is critical', async () => {
    const id = page.openIncident({ name: 'Network down', impact: 'critical', components: [RPC, BLOCKS], body: 'Down.' });
    assert.deepEqual(await status(), { indicator: 'critical', description: 'Major Service Outage' });
    page.setComponent(RPC, 'partial_outage');
    assert.deepEqual(await status(), { indicator: 'major', description: 'Partial System Outage' });
    page.resolveIncident(id, 'Back.');
    page.setComponent(RPC, 'partial_outage');
    assert.deepEqual(await status(), { indicator: 'minor', description: 'Minor Service Outage' });
    page.setComponent(RPC, 'operational');
    assert.equal((await status()).indicator, 'none');
  });

  test('scheduled maintenance: upcoming, in progress, completed', async () => {
    now = T0 + 3 * 60 * MIN;
    const start = T0 + 24 * 60 * MIN;
    const id = page.scheduleMaintenance({
      name: 'Hard fork v2',
      scheduledFor: start,
      scheduledUntil: start + 120 * MIN,
      components: [BLOCKS],
      body: 'Network upgrade at block 1,000,000.',
    });
    let s = await summary();
    assert.equal(s.status.indicator, 'none');
    assert.equal(s.scheduled_maintenances.length, 1);
    const m = s.scheduled_maintenances[0];
    assert.deepEqual(Object.keys(m), [...INCIDENT_KEYS, 'scheduled_for', 'scheduled_until']);
    assert.equal(m.id, id);
    assert.equal(m.status, 'scheduled');
    assert.equal(m.impact, 'maintenance');
    assert.equal(m.scheduled_for, at(start));
    assert.equal(m.scheduled_until, at(start + 120 * MIN));
    assert.deepEqual(
      (await get('/api/v2/scheduled-maintenances/upcoming.json')).scheduled_maintenances.map((x: any) => x.id),
      [id],
    );
    assert.deepEqual((await get('/api/v2/scheduled-maintenances/active.json')).scheduled_maintenances, []);
    const i = await instatus();
    assert.equal(i.page.status, 'UP');
    assert.deepEqual(i.activeMaintenances, [
      {
        id,
        name: 'Hard fork v2',
        start: at(start),
        status: 'NOTSTARTEDYET',
        duration: '120',
        url: `${page.url}/maintenance/${id}`,
        updatedAt: at(T0 + 3 * 60 * MIN),
      },
    ]);

    now = start;
    page.updateMaintenance(id, 'in_progress', 'Upgrade started.');
    s = await summary();
    assert.deepEqual(s.status, { indicator: 'maintenance', description: 'Service Under Maintenance' });
    assert.equal(s.components.find((c: any) => c.id === BLOCKS).status, 'under_maintenance');
    assert.deepEqual(
      (await get('/api/v2/scheduled-maintenances/active.json')).scheduled_maintenances.map((x: any) => x.status),
      ['in_progress'],
    );
    assert.deepEqual((await get('/api/v2/scheduled-maintenances/upcoming.json')).scheduled_maintenances, []);
    assert.equal((await instatus()).page.status, 'UNDERMAINTENANCE');
    assert.equal((await instatus()).activeMaintenances[0].status, 'INPROGRESS');
    const bs = await betterstack();
    assert.equal(bs.data.attributes.aggregate_state, 'maintenance');
    const report = included(bs, 'status_report').find((r: any) => r.attributes.title === 'Hard fork v2');
    assert.equal(report.attributes.report_type, 'maintenance');
    assert.equal(report.attributes.ends_at, at(start + 120 * MIN));

    now = start + 90 * MIN;
    page.updateMaintenance(id, 'completed', 'Upgrade complete.');
    s = await summary();
    assert.deepEqual(s.scheduled_maintenances, []);
    assert.equal(s.status.indicator, 'none');
    const all = (await get('/api/v2/scheduled-maintenances.json')).scheduled_maintenances;
    assert.deepEqual(
      all.map((x: any) => [x.status, x.resolved_at]),
      [['completed', at(start + 90 * MIN)]],
    );
    assert.deepEqual(
      all[0].incident_updates.map((u: any) => u.status),
      ['completed', 'in_progress', 'scheduled'],
    );
    assert.equal('activeMaintenances' in (await instatus()), false);
  });

  test('Instatus v2 components and the JS date style', async () => {
    assert.deepEqual((await get('/v2/components.json')).components[0], {
      id: RPC,
      name: 'Public RPC',
      description: 'JSON-RPC endpoints',
      status: 'OPERATIONAL',
      group: null,
    });
    assert.deepEqual(await get('/v3/summary.json'), await instatus());
    const js = await startFakeStatuspage({ clock: () => Date.UTC(2022, 5, 11, 18, 55, 50), instatusDateStyle: 'js' });
    try {
      js.openIncident({ name: 'API issue', impact: 'major', components: [js.componentIds[0]!], body: 'x' });
      const body = (await (await fetch(`${js.url}/summary.json`)).json()) as any;
      assert.equal(body.activeIncidents[0].started, 'Sat Jun 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)');
      assert.equal(body.activeIncidents[0].impact, 'PARTIALOUTAGE');
      assert.equal(Date.parse(body.activeIncidents[0].started), Date.UTC(2022, 5, 11, 18, 55, 50));
    } finally {
      await js.close();
    }
  });

  test('ids are deterministic per seed', async () => {
    const [a, b] = await Promise.all([startFakeStatuspage({ seed: 42 }), startFakeStatuspage({ seed: 42 })]);
    try {
      assert.deepEqual(a.componentIds, b.componentIds);
      assert.equal(a.openIncident({ name: 'x', impact: 'minor', body: 'x' }), b.openIncident({ name: 'x', impact: 'minor', body: 'x' }));
      assert.notDeepEqual(a.componentIds, page.componentIds);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('faults and HTTP', { concurrency: false, timeout: 10_000 }, () => {
  test('failNext: a status, then garbage, each once, on one path only', async () => {
    page.failNext(503, { path: '/api/v2/summary.json' });
    page.failNext('garbage', { path: '/api/v2/summary.json' });
    assert.equal((await fetch(`${page.url}/api/v2/status.json`)).status, 200, 'other paths unaffected');
    const first = await fetch(`${page.url}/api/v2/summary.json`);
    assert.equal(first.status, 503);
    assert.match(await first.text(), /503/);
    const second = await fetch(`${page.url}/api/v2/summary.json`);
    assert.equal(second.status, 200);
    await assert.rejects(second.json(), SyntaxError);
    assert.equal((await summary()).status.indicator, 'none');
  });

  test("failNext('hang') holds the answer; close() frees it", async () => {
    const p = await startFakeStatuspage();
    p.failNext('hang');
    const err = await fetch(`${p.url}/api/v2/summary.json`, { signal: AbortSignal.timeout(200) }).catch((e: Error) => e);
    assert.ok(err instanceof Error && err.name === 'TimeoutError', `got ${String(err)}`);
    p.failNext('hang');
    const hanging = fetch(`${p.url}/index.json`, { signal: AbortSignal.timeout(10_000) });
    while (p.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await p.close();
    await assert.rejects(hanging);
    assert.ok(Date.now() - t0 < 1_000);
  });

  test('unknown paths 404, writes 405, requests are logged with the clock', async () => {
    now = T0 + 99 * MIN;
    const missing = await fetch(`${page.url}/api/v2/nope.json`);
    assert.equal(missing.status, 404);
    await missing.text();
    const post = await fetch(`${page.url}/api/v2/summary.json`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.deepEqual(page.requests.slice(-2), [
      { method: 'GET', path: '/api/v2/nope.json', at: T0 + 99 * MIN },
      { method: 'POST', path: '/api/v2/summary.json', at: T0 + 99 * MIN },
    ]);
    assert.throws(() => page.setComponent('nope', 'major_outage'), /no component nope/);
  });
});
