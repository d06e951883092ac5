import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OUTAGE_BOUNDS, OutageLog, recordOutages } from '../../src/store/outages';
import { keyspace, type IncidentEvent, outageOf } from '../../src/model';
import { incident } from '../discord/bot/render/fixtures';
import { testRedis, type TestRedis } from '../support/redis';

/** The outage log the status page's 90 days read, on the real Redis. */
let r: TestRedis;
let log: OutageLog;
before(() => {
  r = testRedis();
  log = new OutageLog(r.redis, keyspace(r.prefix));
});
after(() => r.cleanup());

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 2, 7, 12);
const resolved = (id: string, startedAt: number, over = {}) =>
  incident({
    id,
    network: 'megaeth',
    status: 'resolved',
    startedAt,
    recoveredAt: startedAt + 600_000,
    resolvedAt: startedAt + 900_000,
    ...over,
  });
const ev = (type: IncidentEvent['type']) => [{ type }] as IncidentEvent[];

test('a record is the window from start to recovery; only public, resolved incidents leave one', () => {
  assert.deepEqual(outageOf(resolved('megaeth-20250307T110000Z', NOW - 3600_000)), {
    id: 'megaeth-20250307T110000Z',
    startedAt: NOW - 3600_000,
    endedAt: NOW - 3000_000,
    severity: 'major',
    kind: 'halted',
    title: 'Block production halted',
  });
  assert.equal(outageOf(incident()), null, 'open');
  assert.equal(outageOf(resolved('x-20250307T110000Z', NOW, { confirmedAt: null })), null, 'never public');
  assert.equal(outageOf(resolved('x-20250307T110000Z', NOW, { status: 'dismissed' })), null, 'a false alarm');
});

test('recorded once per incident (a retry or a second resolution overwrites), listed by window end', async () => {
  const inc = resolved('megaeth-20250307T100000Z', NOW - 2 * 3600_000);
  await recordOutages(log, 'megaeth', { events: ev('resolved'), incident: inc }, NOW);
  await recordOutages(log, 'megaeth', { events: ev('resolved'), incident: inc }, NOW);
  await recordOutages(log, 'megaeth', { events: ev('resolved'), incident: { ...inc, recoveredAt: inc.startedAt + 1200_000 } }, NOW);
  await recordOutages(log, 'megaeth', { events: ev('evidence'), incident: resolved('megaeth-20250307T090000Z', NOW - 3 * 3600_000) }, NOW);
  const list = await log.list('megaeth', 0);
  assert.deepEqual(
    list.map((o) => [o.id, o.endedAt - o.startedAt]),
    [['megaeth-20250307T100000Z', 1200_000]],
  );
  const many = await log.listMany(['megaeth', 'base'], 0);
  assert.equal(many.get('megaeth')!.since, NOW, 'watched since the first step');
  assert.deepEqual(many.get('base'), { since: null, outages: [] });
});

test('bounded: records older than 90 days and past the count cap are dropped', async () => {
  const net = 'bounded';
  await log.record(net, outageOf(resolved('bounded-20241101T000000Z', NOW - 100 * DAY))!, NOW);
  assert.equal((await log.list(net, 0)).length, 0, 'already too old');
  const writes = [];
  for (let i = 0; i < OUTAGE_BOUNDS.perNetwork + 5; i++)
    writes.push(log.record(net, { ...outageOf(resolved(`bounded-${i}`, NOW - DAY + i * 1000))!, id: `bounded-${i}` }, NOW));
  await Promise.all(writes);
  const kept = await log.list(net, 0);
  assert.equal(kept.length, OUTAGE_BOUNDS.perNetwork);
  assert.equal(await r.redis.hlen(`{${r.prefix}:${net}}:outages:data`), OUTAGE_BOUNDS.perNetwork, 'data trimmed with the index');
  assert.equal(kept[0]!.id, 'bounded-5', 'oldest dropped');
});

test('a failing write is reported, never thrown', async () => {
  const broken = new OutageLog(
    {
      set: async () => {
        throw new Error('down');
      },
    } as never,
    keyspace('p'),
  );
  let seen = '';
  await recordOutages(broken, 'n', { events: [], incident: null }, NOW, (err) => (seen = err.message));
  assert.equal(seen, 'down');
});
