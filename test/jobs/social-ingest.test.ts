/**
 * The social-ingest job on real Redis: concurrent jobs of one process commit to a network one
 * at a time (no optimistic-transaction retries between them), and every report is counted once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createIngest } from '../../jobs/social-ingest';
import type { NetworkState } from '../../src/engine';
import { keyspace, type Post } from '../../src/model';
import { PublishOutbox } from '../../src/queue/outbox';
import { IncidentStore } from '../../src/store/incidents';
import { PublicationStore } from '../../src/store/publications';
import { createLogger } from '../../src/util/log';
import { testNetwork } from '../support/network';
import { testRedis, type TestRedis } from '../support/redis';

let r: TestRedis;
before(() => {
  r = testRedis();
});
after(async () => {
  await r?.cleanup();
});

/** An IncidentStore that counts its commits in flight per network. */
function countingStore(...args: ConstructorParameters<typeof IncidentStore>) {
  const store = new IncidentStore(...args);
  const inFlight = new Map<string, number>();
  const seen = { max: 0 };
  const apply = store.apply.bind(store);
  store.apply = (async (...a: Parameters<typeof apply>) => {
    const n = (inFlight.get(a[0]) ?? 0) + 1;
    inFlight.set(a[0], n);
    seen.max = Math.max(seen.max, n);
    try {
      return await apply(...a);
    } finally {
      inFlight.set(a[0], (inFlight.get(a[0]) ?? 1) - 1);
    }
  }) as typeof store.apply;
  return { store, seen };
}

test('eight concurrent jobs about two networks: one commit per network at a time, every report counted', async () => {
  const keys = keyspace(r.prefix);
  const { store, seen } = countingStore(r.redis, keys);
  const networks = [testNetwork({ name: 'megaeth', displayName: 'MegaETH' }), testNetwork({ name: 'base', displayName: 'Base' })];
  const now = Date.now();
  const ingest = createIngest({
    networks,
    store,
    outbox: new PublishOutbox(new Map(), new PublicationStore(r.redis, keys)),
    log: createLogger('silent'),
    clock: () => now,
  });
  const post = (j: number, k: number, name: string): Post => ({
    source: 'x',
    id: `p${j}-${k}-${name}`,
    author: `user${j}-${k}`,
    text: `${name} rpc is down, no new blocks for 10 minutes`,
    lang: 'en',
    createdAt: now - 1000,
  });
  const jobs = Array.from({ length: 8 }, (_, j) => Array.from({ length: 10 }, (_, k) => post(j, k, k % 2 ? 'MegaETH' : 'Base')));
  const results = await Promise.all(jobs.map((posts, j) => ingest(posts, `job-${j}`)));
  assert.equal(
    results.reduce((s, x) => s + x.outage, 0),
    80,
  );
  assert.equal(seen.max, 1, 'commits to one network never overlap within the process');
  for (const n of networks) {
    const state = (await store.readState<NetworkState>(n.name))!.state;
    assert.equal(state.social?.authors.length, 40, `${n.name}: every reporter once`);
  }
});
