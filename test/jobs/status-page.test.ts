/**
 * The status-page job on real Redis with the fake Statuspage and a simulated clock: a read
 * commits the page into the network's step, a failed read keeps the last page until it is
 * stale, failures are logged when they start and end (never with the URL or its key).
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Job } from 'bullmq';
import { createStatusPageProcessor, type StatusPageJobResult } from '../../jobs/status-page';
import { keyspace } from '../../src/model';
import { LastStatusPages } from '../../src/official';
import { PublishOutbox } from '../../src/queue/outbox';
import { IncidentStore } from '../../src/store/incidents';
import { PublicationStore } from '../../src/store/publications';
import { createLogger } from '../../src/util/log';
import { startFakeStatuspage, type FakeStatuspage } from '../support/fake-statuspage';
import { testNetwork } from '../support/network';
import { testRedis, type TestRedis } from '../support/redis';

const T0 = Date.parse('2026-03-07T12:00:00Z');
const MIN = 60_000;
let now = T0;
let fake: FakeStatuspage;
let r: TestRedis;
before(async () => {
  fake = await startFakeStatuspage({
    clock: () => now,
    page: { name: 'Base Status' },
    components: [{ id: 'rpcapi000001', name: 'Public RPC' }],
  });
  r = testRedis();
});
after(async () => {
  await fake?.close();
  await r?.cleanup();
});

test('reads commit the page; a failing page keeps the last read until stale and is logged once each way', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-status-page-'));
  const file = join(dir, 'log.jsonl');
  const fd = openSync(file, 'w');
  const keys = keyspace(r.prefix);
  const store = new IncidentStore(r.redis, keys);
  const lastPages = new LastStatusPages(r.redis, keys);
  const network = testNetwork({
    name: 'job-sp',
    displayName: 'Base',
    statusPage: { url: `${fake.url}/api/v2/summary.json?api_key=SECRET-PAGE-KEY`, kind: 'statuspage', everyMs: MIN, timeoutMs: 1000 },
  });
  const processor = createStatusPageProcessor({
    networks: new Map([[network.name, network]]),
    lastPages,
    store,
    outbox: new PublishOutbox(new Map(), new PublicationStore(r.redis, keys)),
    log: createLogger('debug', fd),
    clock: () => now,
  });
  let id = 0;
  const run = async () =>
    (await processor({ name: 'status-page', id: `sp-${++id}`, data: { network: network.name } } as Job)) as StatusPageJobResult;
  try {
    assert.deepEqual(await run(), { network: 'job-sp', ok: true, judged: 'fresh', problems: 0, events: 0 });
    fake.openIncident({ name: 'Elevated RPC errors', impact: 'major', components: ['rpcapi000001'], body: 'Looking into it.' });
    assert.equal((await run()).problems, 2, 'the incident and its component');
    now += MIN;
    const opened = await run();
    assert.equal(opened.events, 1, 'confirmed a minute later: opened');
    const inc = (await store.listIncidents(network.name))[0]!;
    assert.equal(inc.status, 'suspected');
    assert.equal(inc.kind, 'status_page');
    assert.equal(inc.officialAt, T0);

    // The page fails: the last page is judged for 10 min (5 reads at 1 min, at least 10 min), then nothing.
    fake.failNext(502, { times: 11 });
    const judged: string[] = [];
    for (let k = 0; k < 11; k++) {
      now += MIN;
      judged.push((await run()).judged);
    }
    assert.deepEqual(judged, [...Array(10).fill('last'), 'none']);
    const record = await lastPages.read(network.name);
    assert.equal(record?.failingSince, T0 + 2 * MIN);
    assert.equal(record?.error, 'HTTP 502');
    now += MIN;
    assert.equal((await run()).judged, 'fresh', 'the page answers again');
    assert.equal((await lastPages.read(network.name))?.failingSince, null);
  } finally {
    closeSync(fd);
  }
  const log = readFileSync(file, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  assert.equal(log.match(/status page read failed/g)?.length, 1, log);
  assert.equal(log.match(/status page answers again/g)?.length, 1, log);
  assert.doesNotMatch(log, /SECRET-PAGE-KEY|api_key/);
});
