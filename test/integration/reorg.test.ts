import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';

let anvil: Anvil;
let pipe: TestPipeline;

before(async () => {
  // Manual mining, so the reorg happens between two polls at a known height.
  anvil = await startAnvil({ noMining: true });
  await anvil.mine(20);
  const network = testNetwork({
    name: 'reorg-it',
    endpoints: [{ label: 'rpc-a', url: anvil.url }],
    thresholds: {
      pollIntervalMs: 250,
      requestTimeoutMs: 1000,
      stallMs: 600_000,
      confirmMs: 1000,
      resolveAfterMs: 1000,
      safeLagBlocks: null,
    },
  });
  pipe = await startPipeline([network]);
});

after(async () => {
  await pipe?.stop();
  await anvil?.stop();
});

test('anvil_reorg at the same height gives a reorg signal with its depth', async () => {
  // The detectors know only the blocks they saw: let them see each of the last few.
  for (let n = 21; n <= 25; n++) {
    await anvil.mine(1);
    await waitUntil(() => pipe.samples.some((s) => s.ok && s.number === n), 10_000, `head ${n} seen`);
  }
  await anvil.reorg(3);
  const opened = await pipe.capture.waitFor((e) => e.type === 'opened', 10_000, 'reorg incident');
  assert.equal(opened.kind, 'reorg');
  assert.equal(opened.title, 'Chain reorganization');
  assert.equal(opened.details?.depth, 3);
  assert.equal(opened.severity, 'major', 'depth 3 reaches reorgMajorDepth');
  await pipe.capture.waitFor((e) => e.type === 'resolved', 10_000, 'resolved');
  assert.equal(pipe.capture.events.filter((e) => e.type === 'opened').length, 1, 'one reorg, one incident');
});
