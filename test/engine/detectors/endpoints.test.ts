import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectEndpoints, observeChain } from '../../../src/engine/detectors';
import { advancingPolls, type Batch, failSample, kinds, makeNetwork, okSample, run, T0 } from './builders';

const network = makeNetwork({ endpoints: ['rpc-a', 'rpc-b'], thresholds: { endpointDownFailures: 3 } });

function failingPolls(from: number, polls: number, a: 'ok' | 'fail', b: 'ok' | 'fail'): Batch[] {
  return Array.from({ length: polls }, (_, i) => {
    const now = from + i * 1_000;
    const number = 100 + i;
    const sample = (ep: string, how: 'ok' | 'fail') =>
      how === 'ok'
        ? okSample(ep, number, now)
        : ep === 'rpc-a'
          ? failSample(ep, now, 'timeout')
          : failSample(ep, now, 'http', { status: 500 });
    return { now, samples: [sample('rpc-a', a), sample('rpc-b', b)] };
  });
}

test('every endpoint failing raises rpc_unreachable only', () => {
  const warm = advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 90, polls: 10 });
  const { signals, state } = run(network, [...warm, ...failingPolls(T0 + 10_000, 3, 'fail', 'fail')]);
  assert.deepEqual(kinds(signals[11]!), [], 'two failures each: not down yet');
  const last = signals[12]!;
  assert.deepEqual(kinds(last), ['rpc_unreachable']);
  const s = last[0]!;
  assert.equal(s.severity, 'major');
  assert.equal(s.endpoint, undefined);
  assert.equal(s.details.failures, 'rpc-a: timeout, rpc-b: http 500');
  assert.equal(s.details.failingForMs, 2_000);
  assert.equal(s.details.lastBlockNumber, 99);
  assert.equal(s.summary, 'No endpoint answers (rpc-a: timeout, rpc-b: http 500) for 2 s; the last block seen was #99');
  // Still no halt long after, while nobody answers.
  const later = T0 + 120_000;
  const out = observeChain(state, [failSample('rpc-a', later), failSample('rpc-b', later)], network, later);
  assert.deepEqual(kinds(out.signals), ['rpc_unreachable']);
});

test('N-1 consecutive failures raise nothing', () => {
  const { signals } = run(network, failingPolls(T0, 2, 'ok', 'fail'));
  assert.deepEqual(signals.flat(), []);
});

test('one endpoint down while another answers raises endpoint_down for it', () => {
  const { last } = run(network, failingPolls(T0, 4, 'ok', 'fail'));
  assert.deepEqual(kinds(last), ['endpoint_down']);
  const s = last[0]!;
  assert.equal(s.severity, 'minor');
  assert.equal(s.endpoint, 'rpc-b');
  assert.deepEqual(s.details, {
    failures: 4,
    failingForMs: 3_000,
    lastErrorKind: 'http',
    status: 500,
    message: 'HTTP 500 (server error)',
  });
  assert.equal(s.summary, 'Endpoint rpc-b failed 4 polls in a row over 3 s (HTTP 500 (server error)); other endpoints still answer');
});

test('an ok sample resets the failure count', () => {
  const polls = failingPolls(T0, 2, 'ok', 'fail');
  const recovered = { now: T0 + 2_000, samples: [okSample('rpc-a', 102, T0 + 2_000), okSample('rpc-b', 102, T0 + 2_000)] };
  const again = failingPolls(T0 + 3_000, 2, 'ok', 'fail');
  const { state, signals } = run(network, [...polls, recovered, ...again]);
  assert.deepEqual(signals.flat(), []);
  assert.deepEqual(detectEndpoints(state, network, T0 + 5_000), { kind: 'healthy' });
});

test('an endpoint that never answered does not make the network unreachable', () => {
  const { last } = run(
    network,
    failingPolls(T0, 3, 'fail', 'fail').map((b) => ({ ...b, samples: b.samples.slice(0, 1) })),
  );
  assert.deepEqual(kinds(last), ['endpoint_down']);
});
