import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';

/** Real anvil, real Redis, real BullMQ: the whole chain-watch pipeline, short thresholds. */
let anvil: Anvil;
let pipe: TestPipeline;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  const network = testNetwork({
    name: 'halt-it',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: {
      pollIntervalMs: 250,
      requestTimeoutMs: 1000,
      stallMs: 2500,
      resolveAfterMs: 2000,
      criticalAfterMs: 600_000,
      safeLagBlocks: null,
    },
  });
  pipe = await startPipeline([network]);
});

after(async () => {
  await pipe?.stop();
  await anvil?.stop();
});

test('a halt opens an incident within seconds and it resolves after blocks resume', async () => {
  const { capture } = pipe;
  await waitUntil(() => pipe.samples.filter((s) => s.ok).length >= 4, 10_000, 'first samples');
  await anvil.halt();
  const haltedAt = Date.now();
  const opened = await capture.waitFor((e) => e.type === 'opened', 10_000, 'opened');
  assert.equal(opened.kind, 'halted');
  assert.equal(opened.title, 'Block production halted');
  assert.equal(opened.status, 'investigating');
  // Stall threshold 2.5 s after the last block (up to 1 s before the halt) plus a poll.
  assert.ok(opened.at - haltedAt < 4000, `opened ${opened.at - haltedAt} ms after the halt`);
  await anvil.resume(1);
  await capture.waitFor((e) => e.type === 'recovered', 10_000, 'recovered');
  const resolved = await capture.waitFor((e) => e.type === 'resolved', 10_000, 'resolved');
  assert.equal(resolved.incidentId, opened.incidentId);
  assert.deepEqual(
    capture.events.map((e) => e.seq),
    capture.events.map((_, i) => i + 1),
    'every event delivered once, in order',
  );
  const stored = await pipe.running.store.getIncident(opened.incidentId);
  assert.equal(stored?.status, 'resolved');
  const timeline = await pipe.running.store.getTimeline(opened.incidentId);
  assert.deepEqual(
    timeline.map((e) => e.type),
    capture.events.map((e) => e.type),
  );
});
