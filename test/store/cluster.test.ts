/**
 * The stores on a real Redis Cluster (3 primaries + 3 replicas, started here): reads that span
 * networks whose keys sit on different primaries, the compare-and-set commit under contention,
 * WAIT after a transition (and what happens without a replica), and deleteByPrefix across
 * every primary. Each read is also tried the way it was written before (one pipeline for all
 * networks), to show the engine and ioredis refuse that on a Cluster.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Redis, type Cluster } from 'ioredis';
import { incidentId, keyspace, type Incident, type IncidentEvent } from '../../src/model';
import { deleteByPrefix } from '../../src/queue/delete-prefix';
import { readJsonMany } from '../../src/store/json';
import { IncidentStore, type Step } from '../../src/store/incidents';
import { OutageLog } from '../../src/store/outages';
import { PublicationStore } from '../../src/store/publications';
import { execReplicated, onReplicaAcks, replicaWait, setReplicaWait } from '../../src/store/redis-client';
import { startTopology, type TestTopology } from '../support/redis';

const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const keys = keyspace(prefix);
const T0 = Date.UTC(2026, 11, 1, 12);
let topo: TestTopology;
let redis: Cluster;
/** Three network names whose keys live on three different primaries. */
let spread: string[];

before(
  async () => {
    topo = await startTopology('cluster');
    redis = topo.connect() as Cluster;
    spread = [];
    const owners = new Set<number>();
    for (let i = 0; spread.length < 3 && i < 200; i++) {
      const name = `net-${i}`;
      const owner = (await topo.cluster!.primaryForKey(keys.networkState(name))).port;
      if (!owners.has(owner)) (owners.add(owner), spread.push(name));
    }
    assert.equal(spread.length, 3, 'three networks on three primaries');
  },
  { timeout: 60_000 },
);

after(async () => {
  redis?.disconnect();
  await topo?.stop();
});

function incident(network: string, seq: number, status: Incident['status'] = 'investigating'): Incident {
  return {
    id: incidentId(network, T0),
    network,
    status,
    severity: 'major',
    kind: 'halted',
    title: 'Block production halted',
    startedAt: T0,
    openedAt: T0,
    updatedAt: T0 + seq,
    confirmedAt: T0,
    recoveredAt: null,
    resolvedAt: status === 'resolved' ? T0 + seq : null,
    ack: null,
    signals: { halted: 1 },
    summary: 'No new block',
    seq,
    reopened: 0,
    seen: ['halted'],
  };
}

/** One more event on the network's incident (opening it when there is none). */
function nextEvent(network: string) {
  return (state: { seq: number }): Step<{ seq: number }> & { incident: Incident } => {
    const seq = state.seq + 1;
    const inc = incident(network, seq);
    const event: IncidentEvent = {
      incidentId: inc.id,
      network,
      seq,
      at: T0 + seq,
      type: seq === 1 ? 'opened' : 'evidence',
      status: inc.status,
      severity: inc.severity,
      kind: inc.kind,
      title: inc.title,
      text: `event ${seq}`,
    };
    return { state: { seq }, events: [event], incident: inc };
  };
}

test('reads across networks on three primaries: one pipeline is refused, the stores read them all', { timeout: 30_000 }, async () => {
  for (const [i, n] of spread.entries()) await redis.set(keys.silence(n), JSON.stringify({ i }));
  // What json.ts did before: one pipeline for every network.
  const one = redis.pipeline();
  for (const n of spread) one.get(keys.silence(n));
  await assert.rejects(one.exec(), /same slots allocation group/);

  const read = await readJsonMany<{ i: number }>(redis, [...spread, 'absent'], keys.silence);
  assert.deepEqual(
    spread.map((n) => read.get(n)?.i),
    [0, 1, 2],
  );
  assert.equal(read.has('absent'), false);

  const pubs = new PublicationStore(redis, keys);
  const ids = spread.map((n) => incidentId(n, T0));
  for (const [i, id] of ids.entries()) await pubs.record('discord', id, i + 1, { threadId: `t${i}` }, false);
  const many = await pubs.readMany('discord', ids);
  assert.deepEqual(
    ids.map((id) => [many.get(id)?.cursor, many.get(id)?.ids.threadId]),
    [
      [1, 't0'],
      [2, 't1'],
      [3, 't2'],
    ],
  );

  const outages = new OutageLog(redis, keys);
  for (const [i, n] of spread.entries()) {
    await outages.setWatchedSince(n, T0 - i);
    if (i > 0)
      await outages.record(
        n,
        { id: ids[i]!, startedAt: T0, endedAt: T0 + 1000 * i, severity: 'major', kind: 'halted', title: 't' },
        T0 + 5000,
      );
  }
  const listed = await outages.listMany(spread, T0 - 1);
  assert.deepEqual(
    spread.map((n) => [listed.get(n)?.since, listed.get(n)?.outages.map((o) => o.id)]),
    [
      [T0, []],
      [T0 - 1, [ids[1]]],
      [T0 - 2, [ids[2]]],
    ],
  );
});

test(
  '20 concurrent commits from two Cluster clients: seq 1..20, no gap, no duplicate, conflicts retried',
  { timeout: 30_000 },
  async () => {
    const other = topo.connect();
    const network = spread[0]!;
    const stores = [new IncidentStore(redis, keys), new IncidentStore(other, keys)];
    let steps = 0;
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % 2]!.apply(
            network,
            `race-${i}`,
            () => ({ seq: 0 }),
            (s) => (steps++, nextEvent(network)(s)),
          ),
        ),
      );
      assert.ok(results.every((r) => !r.duplicate && r.events.length === 1));
      const timeline = await stores[0]!.getTimeline(incidentId(network, T0));
      assert.deepEqual(
        timeline.map((e) => e.seq),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      assert.equal(await redis.xlen(keys.networkEvents(network)), 20);
      assert.ok(steps > 20, `expected conflicting commits to rerun their steps, ran ${steps}`);
      const again = await stores[1]!.apply(network, 'race-3', () => ({ seq: 0 }), nextEvent(network));
      assert.equal(again.duplicate, true, 'a batch id already applied writes nothing');
    } finally {
      other.disconnect();
    }
  },
);

test('a transition waits for its replica; with the replica gone the wait times out and says so', { timeout: 60_000 }, async () => {
  assert.deepEqual(replicaWait(redis), { replicas: 1, timeoutMs: 500 });
  const network = spread[1]!;
  const state = keys.networkState(network);
  const { acked } = await execReplicated(redis, 'probe', (p) => p.set(keys.silence(network), 'x'));
  assert.equal(acked, 1, 'the replica acknowledged');

  const owner = await topo.cluster!.primaryForKey(state);
  const view = await topo.cluster!.topology();
  const ownerId = view.find((n) => n.port === owner.port)!.id;
  const replica = view.find((n) => n.masterId === ownerId)!;
  const told: string[] = [];
  onReplicaAcks(redis, (what, got, wanted) => got < wanted && told.push(`${what} ${got}/${wanted}`));
  await topo.cluster!.kill(replica.port);
  const started = Date.now();
  const store = new IncidentStore(redis, keys);
  const r = await store.apply(network, 'alone-1', () => ({ seq: 0 }), nextEvent(network));
  const waited = Date.now() - started;
  assert.equal(r.events.length, 1, 'the transition is committed on the primary all the same');
  assert.deepEqual(told, [`network ${network}: incident transition 0/1`]);
  assert.ok(waited >= 450, `WAIT gave up after its timeout, not at once (${waited} ms)`);
  await topo.cluster!.restart(replica.port);
});

test(
  'a transition returns only once the replica has it (a frozen replica holds the commit until it runs again)',
  { timeout: 60_000 },
  async () => {
    const network = spread[2]!;
    const store = new IncidentStore(redis, keys);
    await store.apply(network, 'warm-1', () => ({ seq: 0 }), nextEvent(network));
    const owner = await topo.cluster!.primaryForKey(keys.networkState(network));
    const view = await topo.cluster!.topology();
    const replica = view.find((n) => n.masterId === view.find((m) => m.port === owner.port)!.id)!;
    const acks: number[] = [];
    onReplicaAcks(redis, (_what, got) => acks.push(got));
    setReplicaWait(redis, { replicas: 1, timeoutMs: 10_000 });
    try {
      await topo.cluster!.kill(replica.port, 'SIGSTOP');
      const started = performance.now();
      let returnedAt = 0;
      const commit = store
        .apply(network, 'held-1', () => ({ seq: 0 }), nextEvent(network))
        .then((r) => ((returnedAt = performance.now()), r));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(returnedAt, 0, 'the commit has not returned while the replica is frozen');
      const continuedAt = performance.now();
      await topo.cluster!.kill(replica.port, 'SIGCONT');
      const r = await commit;
      assert.equal(r.events.length, 1);
      assert.ok(returnedAt >= continuedAt, `returned ${Math.round(returnedAt - started)} ms in, after the replica ran again`);
      assert.deepEqual(acks, [1], 'acknowledged by the replica');
      const direct = new Redis({ host: replica.host, port: replica.port, lazyConnect: true });
      try {
        await direct.connect();
        await direct.readonly();
        const tl = await direct.lrange(keys.timeline(incidentId(network, T0)), 0, -1);
        assert.equal(tl.length, 2, 'the replica holds both events');
      } finally {
        direct.disconnect();
      }
    } finally {
      setReplicaWait(redis, { replicas: 1, timeoutMs: 500 });
    }
  },
);

test('deleteByPrefix removes the prefix on every primary and nothing else', { timeout: 30_000 }, async () => {
  const otherPrefix = `${prefix}x`;
  const mine = spread.flatMap((n) => [keys.networkState(n), keys.silence(n)]);
  for (const k of mine) await redis.set(k, '1');
  await redis.set(keyspace(otherPrefix).networkState(spread[0]!), 'keep');
  const primaries = new Set(await Promise.all(mine.map((k) => topo.cluster!.primaryForKey(k).then((p) => p.port))));
  assert.equal(primaries.size, 3, 'keys on every primary');

  await deleteByPrefix(redis, `${prefix}:`);
  for (const k of mine) assert.equal(await redis.exists(k), 0, k);
  assert.equal(await redis.get(keyspace(otherPrefix).networkState(spread[0]!)), 'keep');
  await deleteByPrefix(redis, otherPrefix);
  assert.equal(await redis.exists(keyspace(otherPrefix).networkState(spread[0]!)), 0);
});
