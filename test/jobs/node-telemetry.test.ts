/**
 * The scrape job on real Redis with a local node: endpoints are scraped when due, failures are
 * logged when they start and end (never with the metrics URL or its key), and the state carries
 * the count.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Job } from 'bullmq';
import { createNodeTelemetryProcessor, type NodeTelemetryResult } from '../../jobs/node-telemetry';
import type { Network } from '../../src/config/network';
import type { NetworkState } from '../../src/engine';
import { StatusService } from '../../src/discord/bot/status-service';
import { SilenceStore } from '../../src/store/silences';
import { IncidentStore } from '../../src/store/incidents';
import { createLogger } from '../../src/util/log';
import { PublishOutbox } from '../../src/queue/outbox';
import { PublicationStore } from '../../src/store/publications';
import { keyspace } from '../../src/model';
import { testNetwork } from '../support/network';
import { testRedis, type TestRedis } from '../support/redis';
import { startFakeNode, type FakeNode } from '../telemetry/fake-node';

let node: FakeNode;
let r: TestRedis;
before(async () => {
  node = await startFakeNode({ memory: () => 10 * 2 ** 30, limit: 32 * 2 ** 30 });
  r = testRedis();
});
after(async () => {
  await node?.stop();
  await r?.cleanup();
});

test('due endpoints only; failures logged once at start and once at end, without the URL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-telemetry-'));
  const file = join(dir, 'log.jsonl');
  const fd = openSync(file, 'w');
  const keys = keyspace(r.prefix);
  const store = new IncidentStore(r.redis, keys);
  let now = Date.parse('2026-01-01T00:00:00Z');
  const network: Network = testNetwork({
    name: 'job-it',
    endpoints: [
      {
        label: 'rpc-a',
        url: 'http://127.0.0.1:1/a',
        metrics: {
          url: `${node.base}/metrics?token=SECRET-METRICS-KEY`,
          scrapeEveryMs: 15_000,
          warnWithinMs: 3_600_000,
          highWatermark: 0.9,
          lowWatermark: 0.8,
        },
      },
    ],
  });
  const processor = createNodeTelemetryProcessor({
    networks: new Map([[network.name, network]]),
    store,
    outbox: new PublishOutbox(new Map(), new PublicationStore(r.redis, keys)),
    log: createLogger('debug', fd),
    clock: () => now,
  });
  let id = 0;
  const run = async () =>
    (await processor({ name: 'scrape', id: `job-${++id}`, data: { network: network.name } } as Job)) as NodeTelemetryResult;
  try {
    assert.deepEqual(await run(), { network: 'job-it', scraped: 1, failed: 0, signals: 0, events: 0 });
    now += 5000;
    assert.equal((await run()).scraped, 0, 'not due 5 s later');
    node.mode = '404';
    for (let i = 0; i < 3; i++) {
      now += 15_000;
      assert.equal((await run()).failed, 1);
    }
    const state = (await store.readState<NetworkState>(network.name))!.state;
    assert.equal(state.node?.endpoints['rpc-a']?.failures, 3);
    assert.equal(state.node?.endpoints['rpc-a']?.lastError, 'HTTP 404');
    const status = new StatusService({
      store,
      silences: new SilenceStore(r.redis, keys),
      publications: new PublicationStore(r.redis, keys),
      networks: [network],
      clock: () => now,
    });
    assert.equal((await status.rows([network], null))[0]!.memory?.['rpc-a'], 'node: metrics failing 3× (HTTP 404)');
    node.mode = 'ok';
    now += 15_000;
    assert.equal((await run()).failed, 0);
    assert.equal((await status.rows([network], null))[0]!.memory?.['rpc-a'], 'node: 31% of 32 GiB, not rising');
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; kind?: string; failures?: number });
    assert.deepEqual(
      lines.map((l) => [l.msg, l.kind ?? l.failures]),
      [
        ['node metrics scrape failed', 'http'],
        ['node metrics scrape answers again', 3],
      ],
    );
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('SECRET-METRICS-KEY') && !text.includes(node.base), text);
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    await store.close();
  }
});
