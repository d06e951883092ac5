import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFaultProxy, type FaultProxy, type ProxyMode } from '../../src/devnet/fault-proxy';
import type { FailureKind } from '../../src/model';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';

/** Lying and broken endpoints become classified failures in the live pipeline, never crashes. */
let anvil: Anvil;
let proxy: FaultProxy;
let pipe: TestPipeline;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  proxy = await startFaultProxy(anvil.url);
  const network = testNetwork({
    name: 'faults-it',
    endpoints: [
      { label: 'direct', url: anvil.url },
      { label: 'liar', url: proxy.url },
    ],
    thresholds: { pollIntervalMs: 250, requestTimeoutMs: 600, stallMs: 5000, safeLagBlocks: null },
  });
  pipe = await startPipeline([network]);
  await waitUntil(() => pipe.samples.filter((s) => s.ok).length >= 4, 10_000, 'first samples');
});

after(async () => {
  await pipe?.stop();
  await proxy?.stop();
  await anvil?.stop();
});

const cases: [string, ProxyMode, FailureKind, number | undefined][] = [
  ['garbage body', { kind: 'garbage' }, 'malformed', undefined],
  ['bogus block fields', { kind: 'malformed' }, 'malformed', undefined],
  ['slow beyond the timeout', { kind: 'slow', delayMs: 1500 }, 'timeout', undefined],
  ['HTTP 500', { kind: 'http', status: 500, body: '{"error":"internal"}' }, 'http', 500],
  ['JSON-RPC error', { kind: 'rpc_error', code: -32005, message: 'limit exceeded' }, 'rpc', -32005],
];

for (const [name, mode, kind, status] of cases) {
  test(`${name} is a "${kind}" failure and the pipeline keeps polling`, async () => {
    const from = pipe.samples.length;
    proxy.setMode(mode);
    await waitUntil(
      () => pipe.samples.slice(from).some((s) => !s.ok && s.endpoint === 'liar' && s.kind === kind),
      10_000,
      `a ${kind} sample`,
    );
    const failure = pipe.samples.slice(from).find((s) => !s.ok && s.endpoint === 'liar' && s.kind === kind);
    assert.ok(failure && !failure.ok);
    if (status !== undefined) assert.equal(failure.status, status);
    assert.doesNotMatch(failure.message, /127\.0\.0\.1/, 'no endpoint URL in failure messages');
    proxy.setMode({ kind: 'pass' });
    const back = pipe.samples.length;
    await waitUntil(() => pipe.samples.slice(back).some((s) => s.ok && s.endpoint === 'liar'), 10_000, 'liar answering again');
  });
}

test('none of it was taken for a halt', () => {
  assert.equal(pipe.capture.events.filter((e) => e.kind === 'halted').length, 0);
});
