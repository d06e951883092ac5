import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFaultProxy, type FaultProxy } from '../../src/devnet/fault-proxy';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';

/**
 * Quorum before alarm: one of two providers failing or stuck is an endpoint incident, never
 * a halt, while the chain itself keeps producing blocks.
 */
let anvil: Anvil;
let proxy: FaultProxy;
let pipe: TestPipeline;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  proxy = await startFaultProxy(anvil.url);
  const network = testNetwork({
    name: 'quorum-it',
    endpoints: [
      { label: 'direct', url: anvil.url },
      { label: 'proxied', url: proxy.url },
    ],
    thresholds: {
      pollIntervalMs: 250,
      requestTimeoutMs: 800,
      stallMs: 2500,
      endpointStuckMs: 2500,
      endpointLagBlocks: 2,
      confirmMs: 1000,
      resolveAfterMs: 1500,
      safeLagBlocks: null,
    },
  });
  pipe = await startPipeline([network]);
  await waitUntil(() => pipe.samples.filter((s) => s.ok).length >= 4, 10_000, 'first samples');
});

after(async () => {
  await pipe?.stop();
  await proxy?.stop();
  await anvil?.stop();
});

test('a dead provider opens an endpoint_down incident, not a halt', async () => {
  proxy.setMode({ kind: 'refuse' });
  const opened = await pipe.capture.waitFor((e) => e.type === 'opened', 10_000, 'opened');
  assert.equal(opened.kind, 'endpoint_down');
  assert.equal(opened.title, 'RPC provider proxied down');
  assert.equal(opened.severity, 'minor');
  proxy.setMode({ kind: 'pass' });
  await pipe.capture.waitFor((e) => e.type === 'resolved' && e.incidentId === opened.incidentId, 15_000, 'resolved');
  assert.ok(pipe.samples.some((s) => !s.ok && s.endpoint === 'proxied' && s.kind === 'unreachable'));
});

test('a provider stuck on an old head opens endpoint_lagging, not a halt', async () => {
  proxy.setMode({ kind: 'freeze' });
  const opened = await pipe.capture.waitFor((e) => e.type === 'opened' && e.kind === 'endpoint_lagging', 15_000, 'lagging opened');
  assert.equal(opened.title, 'RPC provider proxied lagging');
  proxy.setMode({ kind: 'pass' });
  await pipe.capture.waitFor((e) => e.type === 'resolved' && e.incidentId === opened.incidentId, 15_000, 'resolved');
  assert.equal(pipe.capture.events.filter((e) => e.kind === 'halted').length, 0, 'never called a halt');
});
