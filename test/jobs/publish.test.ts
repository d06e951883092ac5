/**
 * The publish processor and the outbox against the real Redis (random prefix), with a fake
 * BullMQ Job and a recording Publisher: no worker runs.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createPublishProcessor } from '../../jobs/publish';
import {
  type Incident,
  type IncidentEvent,
  incidentId,
  keyspace,
  type Publication,
  PUBLISH_QUEUE,
  type Publisher,
  publishJobId,
  type Sink,
} from '../../src/model';
import { IncidentStore } from '../../src/store/incidents';
import { createLogger } from '../../src/util/log';
import { PublishOutbox, type PublishJobData } from '../../src/queue/outbox';
import { PublicationStore } from '../../src/store/publications';
import { REDIS_URL, deleteKeys } from '../support/pipeline';

const T0 = Date.UTC(2025, 2, 7, 12, 0, 0);
const prefix = `cwtest-${randomBytes(6).toString('hex')}`;
const keys = keyspace(prefix);
let redis: Redis;
let store: IncidentStore;
let publications: PublicationStore;

before(() => {
  redis = new Redis(REDIS_URL);
  store = new IncidentStore(redis, keys);
  publications = new PublicationStore(redis, keys);
});

after(async () => {
  await store.close();
  await deleteKeys(prefix);
  await redis.quit();
});

/** Records deliveries; can be told to fail once on one seq. Returns a root id on the first. */
class RecordingPublisher implements Publisher {
  readonly sink = 'console' as const;
  readonly delivered: number[] = [];
  readonly seenIds: Record<string, string>[] = [];
  constructor(private failOnce?: number) {}

  async deliver(event: IncidentEvent, _incident: Incident, publication: Publication): Promise<Record<string, string>> {
    if (event.seq === this.failOnce) {
      this.failOnce = undefined;
      throw new Error(`sink unavailable at seq ${event.seq}`);
    }
    this.delivered.push(event.seq);
    this.seenIds.push(publication.ids);
    return event.seq === 1 ? { root: `msg-${event.incidentId}` } : { last: `msg-${event.seq}` };
  }
}

function fakeJob(data: PublishJobData, moveToDelayed: (...args: unknown[]) => Promise<void> = async () => {}): Job<PublishJobData> {
  return { data, id: publishJobId(data.incidentId, data.seq), moveToDelayed } as unknown as Job<PublishJobData>;
}

let netCounter = 0;

/** Stores a fresh incident with `n` events (seq 1..n) on its own network. */
async function seedIncident(n: number): Promise<Incident> {
  const network = `pub-net-${++netCounter}`;
  const inc: Incident = {
    id: incidentId(network, T0),
    network,
    status: 'investigating',
    severity: 'major',
    kind: 'halted',
    title: 'Block production halted',
    startedAt: T0,
    openedAt: T0,
    updatedAt: T0,
    confirmedAt: T0,
    recoveredAt: null,
    resolvedAt: null,
    ack: null,
    signals: { halted: 1 },
    summary: 'No new block',
    seq: 0,
    reopened: 0,
    seen: ['halted'],
  };
  await appendEvents(inc, n);
  return inc;
}

/** Appends `n` events to the stored incident (mutates `inc.seq`). */
async function appendEvents(inc: Incident, n: number): Promise<void> {
  const events: IncidentEvent[] = [];
  for (let i = 0; i < n; i++) {
    inc.seq += 1;
    events.push({
      incidentId: inc.id,
      network: inc.network,
      seq: inc.seq,
      at: T0 + inc.seq * 1000,
      type: inc.seq === 1 ? 'opened' : 'evidence',
      status: inc.status,
      severity: inc.severity,
      kind: inc.kind,
      title: inc.title,
      text: `event ${inc.seq}`,
    });
  }
  const snapshot = structuredClone(inc);
  await store.apply(
    inc.network,
    `seed-${inc.seq}`,
    () => ({}),
    (s) => ({ state: s, events, incident: snapshot }),
  );
}

function processorFor(publisher: Publisher) {
  return createPublishProcessor({ publisher, store, publications, log: createLogger('silent') });
}

const cursorOf = async (id: string) => (await publications.read('console', id)).cursor;

test('delivers events 1..n in order, moving the cursor and remembering ids', async () => {
  const inc = await seedIncident(4);
  const publisher = new RecordingPublisher();
  const result = await processorFor(publisher)(fakeJob({ incidentId: inc.id, seq: 4 }), 'token-1');
  assert.deepEqual(result, { delivered: 4 });
  assert.deepEqual(publisher.delivered, [1, 2, 3, 4]);
  assert.equal(await cursorOf(inc.id), 4);
  // Later deliveries see the ids of earlier ones (the thread to reply in).
  assert.deepEqual(publisher.seenIds[1], { root: `msg-${inc.id}` });
  assert.deepEqual((await publications.read('console', inc.id)).ids, { root: `msg-${inc.id}`, last: 'msg-4' });
  assert.equal(await redis.exists(keys.publishLock('console', inc.id)), 0, 'the lock is released');
});

test('the same job run again, or a job for an older seq, delivers nothing', async () => {
  const inc = await seedIncident(3);
  const publisher = new RecordingPublisher();
  const publish = processorFor(publisher);
  await publish(fakeJob({ incidentId: inc.id, seq: 3 }), 'token-1');
  assert.deepEqual(publisher.delivered, [1, 2, 3]);

  assert.deepEqual(await publish(fakeJob({ incidentId: inc.id, seq: 3 }), 'token-2'), { delivered: 0 }, 'retried job');
  assert.deepEqual(await publish(fakeJob({ incidentId: inc.id, seq: 1 }), 'token-3'), { delivered: 0 }, 'older job');
  assert.deepEqual(publisher.delivered, [1, 2, 3], 'nothing delivered twice');
  assert.equal(await cursorOf(inc.id), 3);

  // New events are picked up from the cursor on, whichever job comes next.
  await appendEvents(inc, 2);
  assert.deepEqual(await publish(fakeJob({ incidentId: inc.id, seq: 5 }), 'token-4'), { delivered: 2 });
  assert.deepEqual(publisher.delivered, [1, 2, 3, 4, 5]);
});

test('a publisher failing on event 2 leaves the cursor at 1; the retry continues at 2 without resending 1', async () => {
  const inc = await seedIncident(3);
  const publisher = new RecordingPublisher(2);
  const publish = processorFor(publisher);
  const job = fakeJob({ incidentId: inc.id, seq: 3 });
  await assert.rejects(publish(job, 'token-1'), /sink unavailable at seq 2/);
  assert.deepEqual(publisher.delivered, [1]);
  assert.equal(await cursorOf(inc.id), 1);
  assert.equal(await redis.exists(keys.publishLock('console', inc.id)), 0, 'the lock is released after a failure');

  assert.deepEqual(await publish(job, 'token-2'), { delivered: 2 });
  assert.deepEqual(publisher.delivered, [1, 2, 3]);
  assert.equal(await cursorOf(inc.id), 3);
});

test('while another worker holds the lock, the job is moved to delayed and DelayedError thrown', async () => {
  const inc = await seedIncident(2);
  const release = await publications.lock('console', inc.id, 'other-worker', 10_000);
  assert.ok(release);
  const publisher = new RecordingPublisher();
  const moves: unknown[][] = [];
  const job = fakeJob({ incidentId: inc.id, seq: 2 }, async (...args) => void moves.push(args));
  const startedAt = Date.now();
  await assert.rejects(processorFor(publisher)(job, 'my-token'), (err) => err instanceof DelayedError);
  assert.equal(moves.length, 1);
  const [until, token] = moves[0]!;
  assert.ok(typeof until === 'number' && until > startedAt, `delayed until ${String(until)}`);
  assert.equal(token, 'my-token');
  assert.deepEqual(publisher.delivered, []);
  assert.equal(await redis.get(keys.publishLock('console', inc.id)), 'other-worker', 'the other lock is untouched');

  await release();
  assert.deepEqual(await processorFor(publisher)(job, 'my-token'), { delivered: 2 });
  assert.deepEqual(publisher.delivered, [1, 2]);
});

test('PublishOutbox.notify enqueues publishJobId(id, seq) only while the cursor is behind', async () => {
  const queue = new Queue<PublishJobData>(PUBLISH_QUEUE.console, { connection: redis, prefix: keys.bullPrefix });
  queue.on('error', () => undefined);
  try {
    const outbox = new PublishOutbox(new Map<Sink, Queue<PublishJobData>>([['console', queue]]), publications);
    const inc = await seedIncident(3);

    await outbox.notify(inc);
    await outbox.notify(inc); // the job id dedupes
    const job = await queue.getJob(publishJobId(inc.id, 3));
    assert.ok(job, 'job for seq 3 enqueued');
    assert.deepEqual(job.data, { incidentId: inc.id, seq: 3 });
    assert.equal(await queue.count(), 1);

    const other = await seedIncident(2);
    await publications.record('console', other.id, 2, {}, false);
    await outbox.notify(other);
    assert.equal(await queue.getJob(publishJobId(other.id, 2)), undefined, 'cursor == seq: nothing to do');

    await appendEvents(other, 1);
    await outbox.notify(other);
    assert.deepEqual((await queue.getJob(publishJobId(other.id, 3)))?.data, { incidentId: other.id, seq: 3 });
    assert.equal(await queue.count(), 2);
  } finally {
    await queue.close();
  }
});

const STUCK_QUEUE = 'publish-stuck-test';
test('a job left active by a dead worker: past the delivery lock, the outbox adds a retry beside it (BullMQ would ignore the same id for up to a minute)', async () => {
  const queue = new Queue<PublishJobData>(STUCK_QUEUE, { connection: redis, prefix: keys.bullPrefix });
  queue.on('error', () => undefined);
  let took!: () => void;
  const taken = new Promise<void>((r) => (took = r));
  // A worker that takes the job and never finishes: what a SIGKILLed worker leaves behind.
  const dying = new Worker<PublishJobData>(STUCK_QUEUE, () => (took(), new Promise(() => undefined)), {
    connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
    prefix: keys.bullPrefix,
    autorun: false,
  });
  dying.on('error', () => undefined);
  try {
    const outbox = new PublishOutbox(new Map<Sink, Queue<PublishJobData>>([['console', queue]]), publications);
    const inc = await seedIncident(2);
    await outbox.notify(inc);
    void dying.run();
    await taken;
    await outbox.notify(inc);
    assert.equal(await queue.getWaitingCount(), 0, 'just taken: nothing added');
    // A live worker holding the delivery lock: its job is not orphaned, however long it runs.
    const release = await publications.lock('console', inc.id, 'live-worker', 60_000);
    await new Promise((r) => setTimeout(r, 2100));
    await outbox.notify(inc);
    assert.equal(await queue.getWaitingCount(), 0, 'the lock is held: nothing added');
    await release!();
    // The lock lapsed (a killed worker's, within its TTL): a retry joins the queue.
    await outbox.notify(inc);
    await outbox.notify(inc);
    const waiting = await queue.getWaiting();
    assert.equal(waiting.length, 1, 'one retry per lock period, however many notifications');
    assert.match(waiting[0]!.id!, new RegExp(`^${publishJobId(inc.id, 2)}-r\\d+$`));
    assert.deepEqual(waiting[0]!.data, { incidentId: inc.id, seq: 2 });
    assert.equal(await (await queue.getJob(publishJobId(inc.id, 2)))!.getState(), 'active');
  } finally {
    await dying.close(true);
    await queue.obliterate({ force: true });
    await queue.close();
  }
});
