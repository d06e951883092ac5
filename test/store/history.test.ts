import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { blockIntervals, type HeadSample, HISTORY_BOUNDS, keyspace } from '../../src/model';
import { HistoryStore } from '../../src/store/history';
import { testRedis, type TestRedis } from '../support/redis';

const head = (n: number, ts: number, observedAt: number, endpoint = 'a'): HeadSample => ({
  ok: true,
  network: 'net',
  endpoint,
  observedAt,
  latencyMs: 5,
  number: n,
  hash: `0x${n}`,
  parentHash: `0x${n - 1}`,
  timestamp: ts,
});

describe('HistoryStore', () => {
  let t: TestRedis;
  before(() => {
    t = testRedis();
  });
  after(() => t.cleanup());

  it('keeps the first sighting of each head, the highest head of a poll only', async () => {
    const h = new HistoryStore(t.redis, keyspace(t.prefix));
    await h.recordHeads('net', [head(10, 100, 1000), head(9, 99, 1000, 'b')]);
    await h.recordHeads('net', [head(10, 100, 2000)]);
    await h.recordHeads('net', [
      head(11, 101, 3000),
      { ok: false, network: 'net', endpoint: 'b', observedAt: 3000, latencyMs: 1, kind: 'timeout', message: 'x' },
    ]);
    assert.deepEqual(await h.heads('net', 0, 10_000), [
      { t: 1000, n: 10, ts: 100 },
      { t: 3000, n: 11, ts: 101 },
    ]);
    assert.deepEqual(await h.heads('net', 2500, 10_000), [{ t: 3000, n: 11, ts: 101 }]);
  });

  it('drops head points older than the retention', async () => {
    const h = new HistoryStore(t.redis, keyspace(t.prefix));
    await h.recordHeads('old', [head(1, 1, 1000)]);
    await h.recordHeads('old', [head(2, 2, 1000 + HISTORY_BOUNDS.retentionMs + 1)]);
    assert.deepEqual(
      (await h.heads('old', 0, Infinity)).map((p) => p.n),
      [2],
    );
  });

  it('counts reports per minute, and a retried count only where the caller says so', async () => {
    const h = new HistoryStore(t.redis, keyspace(t.prefix));
    await h.recordReports('net', 60_000, 2);
    await h.recordReports('net', 119_999, 3);
    await h.recordReports('net', 120_000, 1);
    await h.recordReports('net', 120_000, 0);
    assert.deepEqual(await h.reports('net', 0, 200_000), [
      { t: 60_000, count: 5 },
      { t: 120_000, count: 1 },
    ]);
  });

  it('keeps at most the bounded number of report minutes', async () => {
    const h = new HistoryStore(t.redis, keyspace(t.prefix));
    for (let m = 0; m < HISTORY_BOUNDS.reportMinutes + 20; m++) await h.recordReports('many', m * 60_000, 1);
    const all = await h.reports('many', 0, Infinity);
    assert.ok(all.length <= HISTORY_BOUNDS.reportMinutes + 1, `${all.length} minutes kept`);
    assert.equal(all.at(-1)!.t, (HISTORY_BOUNDS.reportMinutes + 19) * 60_000);
  });
});

describe('blockIntervals', () => {
  it('gives the mean interval over skipped blocks and one long interval across a halt', () => {
    const pts = [
      { t: 0, n: 100, ts: 1000 },
      { t: 1000, n: 104, ts: 1001 },
      { t: 2000, n: 108, ts: 1002 },
      { t: 600_000, n: 109, ts: 1600 },
    ];
    assert.deepEqual(blockIntervals(pts), [
      { t: 1000, seconds: 0.25 },
      { t: 2000, seconds: 0.25 },
      { t: 600_000, seconds: 598 },
    ]);
  });
  it('ignores heads that go backwards (a lagging endpoint seen late)', () => {
    assert.deepEqual(
      blockIntervals([
        { t: 0, n: 10, ts: 10 },
        { t: 1, n: 9, ts: 9 },
        { t: 2, n: 11, ts: 12 },
      ]),
      [{ t: 2, seconds: 2 }],
    );
  });
});
