/**
 * The head history by minute: points as seen for the last HISTORY_BOUNDS.rawMs, three
 * intervals a minute before. The Lua writer and the codec agree; summaries keep the longest gap
 * exactly; a halt that began in summarised history and ended in raw history reads as one
 * interval; the picture drawn from the summaries matches the one drawn from every point; and
 * the hash stays bounded in fields, bytes and time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { blockIntervals, type HeadPoint, type HeadSample, HISTORY_BOUNDS, keyspace } from '../../src/model';
import { HistoryStore } from '../../src/store/history';
import { decodeMinute, encodeRaw, MINUTE_MS, minuteOf, summarize } from '../../src/store/history-codec';
import { columns } from '../../src/publish/image/scale';
import { BUCKET_MS, IntervalWindow } from '../../src/http/status/intervals';
import { CHART_WINDOW_MS } from '../../src/http/status/chart';
import { testRedis, type TestRedis } from '../support/redis';

const T0 = Date.parse('2025-03-07T06:00:00Z');
const sample = (n: number, ts: number, observedAt: number): HeadSample => ({
  ok: true,
  network: 'net',
  endpoint: 'a',
  observedAt,
  latencyMs: 5,
  number: n,
  hash: `0x${n}`,
  parentHash: `0x${n - 1}`,
  timestamp: ts,
});

/** A 1 s chain polled about every second (jitter from a fixed sequence), halted over [haltFrom, haltTo). */
function chain(from: number, to: number, halt: [number, number] | null, hiccupEvery = 0): HeadPoint[] {
  const out: HeadPoint[] = [];
  let n = 1000;
  let k = 0;
  for (let t = from; t < to; t += 1000) {
    k++;
    if (halt && t >= halt[0] && t < halt[1]) continue;
    // One 20 s hiccup every `hiccupEvery` polls: the longest gap of its minute.
    if (hiccupEvery && k % hiccupEvery === 0) t += 20_000;
    const seen = t + ((k * 37) % 300);
    out.push({ t: seen, n, ts: Math.floor(seen / 1000) });
    n++;
  }
  return out;
}

describe('head history by minute', () => {
  let r: TestRedis;
  before(() => {
    r = testRedis();
  });
  after(() => r.cleanup());
  const store = () => new HistoryStore(r.redis, keyspace(r.prefix));

  it('the Lua writer stores what the codec reads, and only heads that advanced', async () => {
    const h = store();
    const pts = chain(T0, T0 + 150_000, null);
    for (const p of pts) {
      await h.recordHeads('lua', [sample(p.n, p.ts, p.t), sample(p.n - 3, p.ts - 3, p.t)]);
      await h.recordHeads('lua', [sample(p.n, p.ts, p.t + 500)]); // seen again: the first sighting stays
      await h.recordHeads('lua', [sample(p.n - 1, p.ts - 1, p.t + 600)]); // a lagging endpoint, later
    }
    assert.deepEqual(await h.heads('lua', 0, Infinity), pts);
    const key = keyspace(r.prefix).historyMinutes('lua');
    const m = minuteOf(pts[70]!.t);
    const text = await r.redis.hget(key, `r${m}`);
    const inMinute = pts.filter((p) => minuteOf(p.t) === m);
    const before = pts.filter((p) => p.t < m).at(-1)!;
    assert.equal(text, encodeRaw(m, before, inMinute), 'the same text as the codec writes');
    assert.deepEqual(await h.intervals('lua', 0, Infinity), blockIntervals(pts));
    const ttl = await r.redis.pttl(key);
    assert.ok(ttl > HISTORY_BOUNDS.retentionMs && ttl <= HISTORY_BOUNDS.retentionMs + MINUTE_MS, `ttl ${ttl}`);
  });

  it('keeps sightings in order when clocks disagree, and a chain that started over', async () => {
    const h = store();
    await h.recordHeads('skew', [sample(10, 100, T0 + 5000)]);
    await h.recordHeads('skew', [sample(11, 101, T0 + 4000)]); // another worker, its clock a second behind
    await h.recordHeads('skew', [sample(3, 200, T0 + 9000)]); // a devnet reset: lower head, later block
    await h.recordHeads('skew', [sample(4, 201, T0 + 10_000)]);
    assert.deepEqual(
      (await h.heads('skew', T0, T0 + 60_000)).map((p) => [p.t - T0, p.n]),
      [
        [5000, 10],
        [5000, 11],
        [9000, 3],
        [10_000, 4],
      ],
    );
  });

  it('summarises a minute into the longest gap exactly and spans around it; three advances or fewer stay as they are', () => {
    const m = T0;
    const prev = { t: m - 1000, n: 99, ts: Math.floor((m - 1000) / 1000) };
    const pts: HeadPoint[] = [];
    for (let i = 0; i < 20; i++) pts.push({ t: m + i * 1000, n: 100 + i, ts: Math.floor((m + i * 1000) / 1000) });
    // 25 s without a head, then blocks again to the last millisecond of the minute.
    for (let i = 0; i < 14; i++) pts.push({ t: m + 44_000 + i * 1000, n: 120 + i, ts: Math.floor((m + 44_000 + i * 1000) / 1000) });
    pts.push({ t: m + 59_999, n: 134, ts: Math.floor((m + 59_999) / 1000) });
    const s = summarize({ kind: 'raw', prev, points: pts });
    assert.equal(s.length, 3);
    assert.deepEqual(s[0]!.span && { ...s[0]!.span, t: s[0]!.t - m, max: s[0]!.seconds }, {
      since: m,
      count: 20,
      mean: 1,
      t: 19_000,
      max: 1,
    });
    assert.deepEqual(s[1], { t: m + 44_000, seconds: 25 }, 'the gap, exactly where it ended');
    assert.equal(s[2]!.span?.since, m + 45_000);
    assert.equal(s[2]!.t, m + 59_999, 'the last millisecond of the minute is in the minute');
    const few = pts.slice(0, 3);
    assert.deepEqual(summarize({ kind: 'raw', prev, points: few }), blockIntervals([prev, ...few]));
    const decoded = decodeMinute('raw', m, encodeRaw(m, prev, pts));
    assert.deepEqual(decoded, { kind: 'raw', prev, points: pts });
    assert.equal(decodeMinute('raw', m, '1,2|x,1,1'), null, 'garbage reads as nothing');
    assert.equal(decodeMinute('summary', m, '1,2,3'), null);
  });

  it('a halt that began in summarised history and ended in raw history is one interval, and draws as the points would', async () => {
    const h = store();
    const now = T0 + 6 * 3600_000;
    // Halted from 90 to 30 minutes ago: it began before HISTORY_BOUNDS.rawMs, ended after.
    const halt: [number, number] = [now - 90 * MINUTE_MS, now - 30 * MINUTE_MS];
    const pts = chain(T0, now, halt, 97);
    await h.importPoints('halt', pts.slice(0, -1));
    const last = pts.at(-1)!;
    await h.recordHeads('halt', [sample(last.n, last.ts, last.t)]); // the upkeep summarises all but the last hour
    const key = keyspace(r.prefix).historyMinutes('halt');
    const fields = await r.redis.hkeys(key);
    const raw = fields.filter((f) => f.startsWith('r')).map((f) => Number(f.slice(1)));
    assert.ok(raw.length > 0 && Math.min(...raw) + MINUTE_MS > now - HISTORY_BOUNDS.rawMs, 'raw only for the last 62 minutes');
    assert.ok(
      fields.some((f) => f.startsWith('s')),
      'summaries before',
    );

    const got = await h.intervals('halt', T0, now);
    const exact = blockIntervals(pts);
    const resumed = exact.find((i) => i.t >= halt[1])!;
    assert.ok(resumed.seconds > 3500, `the halt is one interval in the points (${resumed.seconds} s)`);
    assert.deepEqual(
      got.find((i) => i.t === resumed.t),
      resumed,
    );
    assert.equal(got.filter((i) => i.t > halt[0] && i.t < halt[1]).length, 0, 'nothing inside the halt');
    assert.ok(got.length < exact.length / 5, `${got.length} intervals stored for ${exact.length}`);

    // The picture of the window, 1050 columns (as render-svg draws it): gaps and blocks where the points have them.
    const [from, to, n] = [T0, now, 1050];
    const fromPoints = columns(exact, from, to, n, now, 2);
    const fromStore = columns(got, from, to, n, now, 2);
    const kind = (c: { interval: number | null; gap: number | null }) => (c.gap !== null ? 'gap' : c.interval !== null ? 'block' : 'none');
    const differ = fromPoints.map((c, i) => [i, kind(c), kind(fromStore[i]!)]).filter(([, a, b]) => a !== b);
    assert.deepEqual(differ, [], 'the same columns have blocks and gaps');
    const gaps = fromPoints.flatMap((c, i) => (c.gap !== null ? [[c.gap, fromStore[i]!.gap!]] : []));
    assert.ok(gaps.length > 150, `${gaps.length} gap columns (the halt climbs)`);
    for (const [a, b] of gaps) assert.ok(Math.abs(a! - b!) < 1, `gap ${a} s drawn as ${b} s`);
  });

  it("the status page's last hour (20 s buckets) is what every point gives, after six hours of upkeep", async () => {
    const h = store();
    const now = T0 + 6 * 3600_000;
    // A hiccup every 97 polls and a three-minute halt within the hour: buckets of every kind.
    const pts = chain(T0, now, [now - 30 * MINUTE_MS, now - 27 * MINUTE_MS], 97);
    await h.importPoints('hour', pts.slice(0, -1));
    const last = pts.at(-1)!;
    await h.recordHeads('hour', [sample(last.n, last.ts, last.t)]);
    const summarised = (await r.redis.hkeys(keyspace(r.prefix).historyMinutes('hour'))).filter((f) => f.startsWith('s'));
    assert.ok(summarised.length > 250, `${summarised.length} minutes summarised`);
    // As src/http/status/source.ts reads it: the hour and one bucket, then trimmed.
    const from = now - CHART_WINDOW_MS - BUCKET_MS;
    const window = (points: readonly HeadPoint[]) => {
      const w = new IntervalWindow();
      w.add(points);
      w.trim(from);
      return { buckets: w.list(), lastHeadAt: w.lastHeadAt() };
    };
    const fromStore = window(await h.heads('hour', from, now));
    const fromPoints = window(pts.filter((p) => p.t >= from && p.t <= now));
    assert.ok(fromPoints.buckets.length > 80, `${fromPoints.buckets.length} buckets`);
    assert.deepEqual(fromStore, fromPoints);
  });

  it('stays bounded: the text of a minute, the fields kept, nothing past the retention, garbage dropped', async () => {
    const h = store();
    const key = keyspace(r.prefix).historyMinutes('bounds');
    // 3,000 heads in one minute (50 ms polls): the minute's text stops at its cap.
    for (let i = 0; i < 3000; i += 1) await h.recordHeads('bounds', [sample(1000 + i, 1_700_000_000 + i, T0 + i * 20)]);
    const text = (await r.redis.hget(key, `r${T0}`))!;
    assert.ok(text.length <= HISTORY_BOUNDS.minuteBytes + 40 && text.length > HISTORY_BOUNDS.minuteBytes, `${text.length} bytes`);
    await r.redis.hset(key, 'junk', 'x', `r${T0 + 2 * MINUTE_MS}`, 'not|a,minute', `s${T0 + 3 * MINUTE_MS}`, 'x');
    assert.ok((await h.intervals('bounds', T0, T0 + 10 * MINUTE_MS)).length > 0, 'garbage is skipped, not thrown on');
    await r.redis.hset(key, 'last', 'garbage');
    // An unreadable `last` and an unreadable minute: the minute starts afresh.
    const at = T0 + 2 * MINUTE_MS + 5000;
    await h.recordHeads('bounds', [sample(9000, 1_700_009_000, at)]);
    assert.deepEqual(await h.heads('bounds', at - 5000, at + 55_000), [{ t: at, n: 9000, ts: 1_700_009_000 }]);
    // Eight hours later, a minute at a time.
    const pts = chain(T0 + MINUTE_MS, T0 + 8 * 3600_000, null);
    await h.importPoints('bounds', pts);
    const end = T0 + 8 * 3600_000 + 1000;
    await h.recordHeads('bounds', [sample(pts.at(-1)!.n + 1, pts.at(-1)!.ts + 1, end)]);
    const fields = await r.redis.hkeys(key);
    const minutes = fields.filter((f) => f !== 'last').map((f) => Number(f.slice(1)));
    assert.ok(!fields.includes('junk'), 'a field that is not a minute is dropped');
    assert.ok(Math.min(...minutes) + MINUTE_MS > end - HISTORY_BOUNDS.retentionMs, 'nothing past the retention');
    assert.ok(fields.length <= HISTORY_BOUNDS.retentionMs / MINUTE_MS + 2, `${fields.length} fields`);
    const bytes = Number(await r.redis.memory('USAGE', key, 'SAMPLES', '0'));
    assert.ok(bytes < 150_000, `${bytes} bytes for six hours of 1 s heads`);
  });

  it('deletes the sorted set of the old format on its first upkeep', async () => {
    const keys = keyspace(r.prefix);
    await r.redis.zadd(keys.historyHeads('legacy'), 1, '1:1', 2, '2:2');
    await store().recordHeads('legacy', [sample(5, 5, T0)]);
    assert.equal(await r.redis.exists(keys.historyHeads('legacy')), 0);
  });
});
