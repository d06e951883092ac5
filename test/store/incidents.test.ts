/**
 * IncidentStore against the real Redis, under a random key prefix (deleted afterwards).
 * Steps are pure functions of the stored state, as in the chain-poll job.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { step, initialNetworkState, type NetworkState } from '../../src/engine';
import { type Incident, type IncidentEvent, type IncidentEventType, incidentId, type IncidentStatus, keyspace } from '../../src/model';
import { IncidentStore, type Step } from '../../src/store/incidents';
import { BOUNDS } from '../../src/store/bounds';
import { T0, advancingPolls, makeNetwork, okSample } from '../engine/detectors/builders';
import { REDIS_URL, deleteKeys } from '../support/pipeline';

const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const keys = keyspace(prefix);
let redis: Redis;
let store: IncidentStore;

before(() => {
  redis = new Redis(REDIS_URL);
  store = new IncidentStore(redis, keys);
});

after(async () => {
  await store.close();
  await deleteKeys(prefix);
  await redis.quit();
});

function makeIncident(network: string, openedAt: number, over: Partial<Incident> = {}): Incident {
  return {
    id: incidentId(network, openedAt),
    network,
    status: 'investigating',
    severity: 'major',
    kind: 'halted',
    title: 'Block production halted',
    startedAt: openedAt,
    openedAt,
    updatedAt: openedAt,
    confirmedAt: openedAt,
    recoveredAt: null,
    resolvedAt: null,
    ack: null,
    signals: { halted: 1 },
    summary: 'No new block',
    seq: 0,
    reopened: 0,
    seen: ['halted'],
    ...over,
  };
}

/** Appends one event to `inc` (mutating its seq and status), as the correlator's Timeline does. */
function emit(inc: Incident, type: IncidentEventType, at: number, status: IncidentStatus = inc.status): IncidentEvent {
  inc.seq += 1;
  inc.status = status;
  inc.updatedAt = at;
  return {
    incidentId: inc.id,
    network: inc.network,
    seq: inc.seq,
    at,
    type,
    status: inc.status,
    severity: inc.severity,
    kind: inc.kind,
    title: inc.title,
    text: `${type} #${inc.seq}`,
  };
}

/** State of the hand-written steps: the incident the network points at. */
interface IncState {
  incident: Incident | null;
}
const initialIncState = (): IncState => ({ incident: null });

/** A step that emits one event on the current incident (opening `fresh` when there is none). */
function appendStep(type: IncidentEventType, at: number, opts: { fresh?: Incident; status?: IncidentStatus } = {}) {
  return (state: IncState): Step<IncState> & { incident: Incident | null } => {
    const inc = structuredClone(state.incident ?? opts.fresh ?? null);
    if (!inc) throw new Error('appendStep needs an incident');
    const event = emit(inc, type, at, opts.status);
    return { state: { incident: inc }, events: [event], incident: inc };
  };
}

/** Every key of the prefix with its content, to show that a step wrote nothing. */
async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const k of found) {
      const type = await redis.type(k);
      if (type === 'string') out[k] = await redis.get(k);
      else if (type === 'list') out[k] = await redis.lrange(k, 0, -1);
      else if (type === 'zset') out[k] = await redis.zrange(k, '0', '-1', 'WITHSCORES');
      else if (type === 'stream') out[k] = await redis.xrange(k, '-', '+');
      else out[k] = type;
      out[`${k} ttl`] = await redis.ttl(k);
    }
  } while (cursor !== '0');
  return out;
}

test('a halt seen through evaluateChain opens an incident: state, incident, timeline, index and stream are written', async () => {
  const network = makeNetwork({ name: 'halt-net' }); // stallMs 30 s, rpc-a and rpc-b
  const name = network.name;
  const polls = advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 5, network: name });
  for (const [i, b] of polls.entries()) {
    const r = await store.apply<NetworkState>(name, `poll-${i}`, initialNetworkState, (s) =>
      step(s, { type: 'poll', samples: b.samples }, network, b.now),
    );
    assert.deepEqual(r.events, [], `healthy poll ${i} emits nothing`);
  }
  assert.deepEqual(await redis.zcard(keys.networkIncidents(name)), 0);

  const now = T0 + 4_000 + 30_001; // the last advance was seen at T0 + 4 s
  const halted = [okSample('rpc-a', 104, now, { network: name }), okSample('rpc-b', 104, now, { network: name })];
  const r = await store.apply<NetworkState>(name, 'poll-halt', initialNetworkState, (s) =>
    step(s, { type: 'poll', samples: halted }, network, now),
  );

  assert.equal(r.duplicate, false);
  assert.deepEqual(
    r.events.map((e) => [e.type, e.seq, e.status]),
    [['opened', 1, 'investigating']],
  );
  const inc = r.incident!;
  assert.equal(inc.id, incidentId(name, now));
  assert.equal(inc.kind, 'halted');

  const stored = await store.readState<NetworkState>(name);
  assert.deepEqual(stored?.incident, inc);
  assert.deepEqual(stored?.state.corr.incident, inc);
  assert.deepEqual(await store.getIncident(inc.id), inc);
  assert.deepEqual(await store.getTimeline(inc.id), r.events);
  assert.equal(await redis.zscore(keys.networkIncidents(name), inc.id), String(inc.openedAt));
  const stream = await redis.xrange(keys.networkEvents(name), '-', '+');
  assert.equal(stream.length, 1);
  assert.deepEqual(stream[0]![1], ['event', JSON.stringify(r.events[0])]);
  assert.equal(await redis.ttl(keys.incident(inc.id)), -1, 'an open incident does not expire');
  assert.equal(await redis.ttl(keys.timeline(inc.id)), -1);
});

test('a repeated batch id returns duplicate: true, runs no step and writes nothing', async () => {
  const name = 'dup-net';
  const fresh = makeIncident(name, T0);
  const first = await store.apply(name, 'batch-1', initialIncState, appendStep('opened', T0, { fresh }));
  assert.equal(first.duplicate, false);
  const written = await snapshot();

  let calls = 0;
  const again = await store.apply(name, 'batch-1', initialIncState, (s) => {
    calls++;
    return appendStep('evidence', T0 + 1000)(s);
  });
  assert.equal(calls, 0, 'the step is not run for a batch already applied');
  assert.equal(again.duplicate, true);
  assert.deepEqual(again.events, []);
  assert.deepEqual(again.incident, first.incident);
  assert.deepEqual(await snapshot(), written);
});

test('20 concurrent applies from two stores on two connections yield seq 1..20, no gap, no duplicate', async () => {
  const name = 'race-net';
  const otherRedis = new Redis(REDIS_URL);
  const other = new IncidentStore(otherRedis, keys);
  const fresh = makeIncident(name, T0);
  let steps = 0;
  try {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : store).apply(name, `race-${i}`, initialIncState, (s) => {
          steps++;
          return appendStep(s.incident ? 'evidence' : 'opened', T0 + i, { fresh })(s);
        }),
      ),
    );
    assert.ok(results.every((r) => !r.duplicate && r.events.length === 1));
    const timeline = await store.getTimeline(fresh.id);
    assert.deepEqual(
      timeline.map((e) => e.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      results.map((r) => r.events[0]!.seq).sort((a, b) => a - b),
      timeline.map((e) => e.seq),
    );
    assert.equal((await store.getIncident(fresh.id))?.seq, 20);
    assert.equal(await redis.xlen(keys.networkEvents(name)), 20);
    // Eight pooled connections race on one key, so some EXECs fail and their steps rerun.
    assert.ok(steps > 20, `expected WATCH conflicts to rerun steps, ran ${steps}`);
  } finally {
    await other.close();
    await otherRedis.quit();
  }
});

test("a store that committed last starts its next step from that state, yet sees another store's commit in between", async () => {
  const name = 'cache-net';
  const otherRedis = new Redis(REDIS_URL);
  const other = new IncidentStore(otherRedis, keys);
  const mineRedis = new Redis(REDIS_URL);
  const mine = new IncidentStore(mineRedis, keys);
  let gets = 0;
  const get = mineRedis.get.bind(mineRedis);
  mineRedis.get = ((...args: Parameters<typeof get>) => (gets++, get(...args))) as typeof get;
  const fresh = makeIncident(name, T0);
  const seen: (number | undefined)[] = [];
  const traced = (type: IncidentEventType, at: number) => (s: IncState) => {
    seen.push(s.incident?.seq);
    return appendStep(type, at, { fresh })(s);
  };
  try {
    await mine.apply(name, 'c-1', initialIncState, traced('opened', T0));
    await mine.apply(name, 'c-2', initialIncState, traced('evidence', T0 + 1));
    await other.apply(name, 'c-3', initialIncState, traced('evidence', T0 + 2));
    assert.equal(gets, 1, 'the first step read the (empty) state, the second started from what the first wrote');
    await mine.apply(name, 'c-4', initialIncState, traced('evidence', T0 + 3));
    // mine's remembered state (seq 2) is stale: the script refuses it, the step reruns on seq 3.
    assert.deepEqual(seen, [undefined, 1, 2, 2, 3]);
    assert.equal(gets, 2, 'one more GET, for the rerun after the refused write');
    assert.deepEqual(
      (await store.getTimeline(fresh.id)).map((e) => e.seq),
      [1, 2, 3, 4],
    );
    // A step that throws writes nothing and leaves nothing remembered: the next one reads seq 4.
    await assert.rejects(
      mine.apply(name, 'c-5', initialIncState, () => {
        throw new Error('refused');
      }),
      /refused/,
    );
    await mine.apply(name, 'c-6', initialIncState, traced('evidence', T0 + 4));
    assert.deepEqual(seen.at(-1), 4);
    assert.equal(gets, 3, 'after a step that threw, the next one reads the stored state');
  } finally {
    await Promise.all([other.close(), mine.close()]);
    await Promise.all([otherRedis.quit(), mineRedis.quit()]);
  }
});

test('closed incidents expire after closedTtlSeconds; open (and reopened) ones do not', async () => {
  const name = 'ttl-net';
  const fresh = makeIncident(name, T0);
  const id = fresh.id;
  await store.apply(name, 'b1', initialIncState, appendStep('opened', T0, { fresh }));
  assert.equal(await redis.ttl(keys.incident(id)), -1);
  assert.equal(await redis.ttl(keys.timeline(id)), -1);

  await store.apply(name, 'b2', initialIncState, appendStep('resolved', T0 + 60_000, { status: 'resolved' }));
  for (const k of [keys.incident(id), keys.timeline(id)]) {
    const ttl = await redis.ttl(k);
    assert.ok(ttl > BOUNDS.closedTtlSeconds - 60 && ttl <= BOUNDS.closedTtlSeconds, `${k} ttl ${ttl}`);
  }

  await store.apply(name, 'b3', initialIncState, appendStep('reopened', T0 + 120_000, { status: 'investigating' }));
  assert.equal(await redis.ttl(keys.incident(id)), -1, 'reopening removes the expiry');
  assert.equal(await redis.ttl(keys.timeline(id)), -1);
  assert.equal(await redis.ttl(keys.networkIncidents(name)), -1, 'the index is bounded by length, not time');
});

test('listIncidents is newest first, honours its limit, and the index keeps at most incidentsPerNetwork', async () => {
  const name = 'list-net';
  const hour = 3_600_000;
  const total = BOUNDS.incidentsPerNetwork + 3;
  for (let i = 0; i < total; i++) {
    const fresh = makeIncident(name, T0 + i * hour);
    // A new incident each time: the step ignores the previous one.
    await store.apply(name, `open-${i}`, initialIncState, () => appendStep('opened', T0 + i * hour, { fresh })(initialIncState()));
  }
  const idAt = (i: number) => incidentId(name, T0 + i * hour);

  const newest = await store.listIncidents(name, 3);
  assert.deepEqual(
    newest.map((x) => x.id),
    [idAt(total - 1), idAt(total - 2), idAt(total - 3)],
  );
  assert.equal((await store.listIncidents(name)).length, 20, 'default limit');
  assert.equal(await redis.zcard(keys.networkIncidents(name)), BOUNDS.incidentsPerNetwork);
  const all = await store.listIncidents(name, 1000);
  assert.equal(all.length, BOUNDS.incidentsPerNetwork);
  assert.equal(all.at(-1)!.id, idAt(3), 'the three oldest left the index');
  assert.deepEqual(await store.listIncidents('no-such-net'), []);
});

test('getTimeline(fromSeq) returns the events from that seq on, in order', async () => {
  const name = 'tl-net';
  const fresh = makeIncident(name, T0);
  await store.apply(name, 's1', initialIncState, appendStep('opened', T0, { fresh }));
  for (let i = 2; i <= 5; i++) await store.apply(name, `s${i}`, initialIncState, appendStep('evidence', T0 + i * 1000));

  assert.deepEqual(
    (await store.getTimeline(fresh.id)).map((e) => e.seq),
    [1, 2, 3, 4, 5],
  );
  assert.deepEqual(
    (await store.getTimeline(fresh.id, 3)).map((e) => e.seq),
    [3, 4, 5],
  );
  assert.deepEqual(
    (await store.getTimeline(fresh.id, 5)).map((e) => [e.seq, e.type]),
    [[5, 'evidence']],
  );
  assert.deepEqual(await store.getTimeline(fresh.id, 6), []);
  assert.deepEqual(await store.getTimeline(incidentId(name, T0 + 999_000)), [], 'unknown incident');
});
