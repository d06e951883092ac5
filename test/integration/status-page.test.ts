/**
 * The official status page through the live pipeline: real anvil (healthy, 1 s blocks), real
 * Redis and BullMQ, the status-page scheduler and worker, and the fake Statuspage driven through
 * an outage. The page alone opens a suspected incident whose timeline quotes it, Incident.officialAt
 * is recorded, and the incident resolves once the page does.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startAnvil, type Anvil } from '../support/anvil';
import { startFakeStatuspage, type FakeStatuspage } from '../support/fake-statuspage';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';

let anvil: Anvil;
let fake: FakeStatuspage;
let pipe: TestPipeline;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  fake = await startFakeStatuspage({ page: { name: 'Base Status' }, components: [{ id: 'rpcapi000001', name: 'Public RPC' }] });
  const network = testNetwork({
    name: 'official-it',
    displayName: 'Base',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    statusPage: { url: `${fake.url}/api/v2/summary.json`, kind: 'statuspage', everyMs: 500, timeoutMs: 400 },
    thresholds: { pollIntervalMs: 500, requestTimeoutMs: 1000, confirmMs: 1000, resolveAfterMs: 1500, safeLagBlocks: null },
  });
  pipe = await startPipeline([network]);
});

after(async () => {
  await pipe?.stop();
  await fake?.close();
  await anvil?.stop();
});

test('an incident on the official page alone opens a suspected incident, quoted, and resolves with the page', async (t) => {
  const { capture, running } = pipe;
  // Read on its schedule (every 500 ms), by the status-page worker.
  await waitUntil(() => fake.requests.filter((r) => r.path === '/api/v2/summary.json').length >= 3, 10_000, 'the page read');
  assert.equal(capture.events.length, 0, 'an operational page and a healthy chain: nothing');

  const openedAt = Date.now();
  const id = fake.openIncident({
    name: 'Elevated RPC errors',
    impact: 'minor',
    components: ['rpcapi000001'],
    body: 'We are investigating @everyone',
  });
  const opened = await capture.waitFor((e) => e.type === 'opened', 10_000, 'opened');
  assert.equal(opened.kind, 'status_page');
  assert.equal(opened.status, 'suspected');
  assert.equal(opened.severity, 'minor');
  assert.match(opened.text, /Base status page: Investigating — “Elevated RPC errors: We are investigating @everyone”/);
  t.diagnostic(`opened ${opened.at - openedAt} ms after the page posted its incident (read every 500 ms, confirm 1 s)`);
  const stored = await running.store.getIncident(opened.incidentId);
  assert.ok(typeof stored?.officialAt === 'number' && Math.abs(stored.officialAt - openedAt) < 2000, `officialAt ${stored?.officialAt}`);

  const pageResolvedAt = Date.now();
  fake.resolveIncident(id, 'Resolved.');
  const resolved = await capture.waitFor((e) => e.type === 'resolved', 15_000, 'resolved');
  assert.equal(resolved.incidentId, opened.incidentId);
  t.diagnostic(`resolved ${resolved.at - pageResolvedAt} ms after the page resolved its incident (resolveAfter 1.5 s)`);
  // The page was first: chainwatch claims no lead.
  assert.doesNotMatch(resolved.text, /before the official status page/);
});
