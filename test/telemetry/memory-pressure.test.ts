/**
 * The whole path on real Redis, real BullMQ and real anvil: a node whose metrics endpoint shows
 * memory rising 1 % of its limit a second, scraped every second. A memory_pressure incident must
 * open well before the simulated out-of-memory moment; when the numbers fall (a restart), it
 * must resolve.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Network } from '../../src/config/network';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { startPipeline, type TestPipeline } from '../support/pipeline';
import { startFakeNode, type FakeNode } from './fake-node';

const GiB = 2 ** 30;
const LIMIT = 32 * GiB;
const BASE = 0.4;
const RATE = 0.01; // of the limit per second
const FLAT_MS = 6000;

let anvil: Anvil;
let node: FakeNode;
let pipe: TestPipeline;
let riseStart = 0;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  node = await startFakeNode({ limit: LIMIT });
  riseStart = Date.now() + FLAT_MS;
  node.setMemory(() => LIMIT * Math.min(1, BASE + Math.max(0, (Date.now() - riseStart) / 1000) * RATE));
  const network: Network = testNetwork({
    name: 'oom-it',
    endpoints: [
      {
        label: 'rpc-a',
        url: anvil.url,
        metrics: {
          url: `${node.base}/metrics`,
          scrapeEveryMs: 1000,
          process: 'op-reth',
          warnWithinMs: 3_600_000,
          highWatermark: 0.9,
          lowWatermark: 0.8,
        },
      },
    ],
    thresholds: {
      pollIntervalMs: 500,
      requestTimeoutMs: 1000,
      stallMs: 5000,
      resolveAfterMs: 3000,
      confirmMs: 30_000,
      criticalAfterMs: 600_000,
      safeLagBlocks: null,
    },
  });
  pipe = await startPipeline([network]);
});

after(async () => {
  await pipe?.stop();
  await node?.stop();
  await anvil?.stop();
});

test(
  'memory rising 1 %/s toward the limit opens memory_pressure before the simulated OOM, and it resolves when memory falls',
  { timeout: 120_000 },
  async () => {
    const { capture } = pipe;
    const opened = await capture.waitFor((e) => e.type === 'opened', 90_000, 'opened');
    const oomAt = riseStart + ((1 - BASE) / RATE) * 1000;
    const leadMs = oomAt - opened.at;
    const sinceRiseMs = opened.at - riseStart;
    const predicted = Number(opened.details?.oomInSeconds) * 1000;
    // Reported by the test so the README's figure can be checked: lead time before the OOM.
    console.log(
      JSON.stringify({
        figure: 'memory_pressure lead time',
        leadMs,
        sinceRiseMs,
        predictedOomInMs: predicted,
        actualOomInMs: leadMs,
        scrapes: node.scrapes,
        text: opened.text,
      }),
    );
    assert.equal(opened.kind, 'memory_pressure');
    assert.equal(opened.title, 'Node rpc-a running out of memory');
    assert.equal(opened.severity, 'major', 'out of memory within 15 minutes');
    assert.equal(opened.status, 'investigating');
    assert.match(
      opened.text,
      /^Node rpc-a running out of memory\. op-reth on rpc-a: \d+% of 32 GiB, \+[\d.]+ [GT]iB\/h, out of memory in (about \d+ min|under a minute)\.$/,
    );
    assert.ok(sinceRiseMs < 25_000, `opened ${sinceRiseMs} ms into the rise`);
    assert.ok(leadMs > 30_000, `opened only ${leadMs} ms before the OOM`);
    // Ten seconds into a rise, the 16-point fit still holds a few flat points: it errs late by up to a quarter.
    assert.ok(Math.abs(predicted - leadMs) < 0.25 * leadMs, `predicted ${predicted} ms to the OOM, it was ${leadMs} ms`);

    // The node restarts: memory falls back to 30 %. The alarm clears and the incident resolves.
    node.setMemory(() => 0.3 * LIMIT);
    const recovered = await capture.waitFor((e) => e.type === 'recovered' && e.incidentId === opened.incidentId, 30_000, 'recovered');
    const resolved = await capture.waitFor((e) => e.type === 'resolved' && e.incidentId === opened.incidentId, 30_000, 'resolved');
    assert.ok(resolved.at > recovered.at, JSON.stringify(capture.events.map((e) => [e.type, e.at, e.text])));
    const timeline = await pipe.running.store.getTimeline(opened.incidentId);
    assert.deepEqual(
      timeline.map((e) => e.type),
      ['opened', 'recovered', 'resolved'],
    );
  },
);
