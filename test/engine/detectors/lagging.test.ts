import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLagging } from '../../../src/engine/detectors';
import { type Batch, blockHash, failSample, kinds, makeNetwork, okSample, run, T0 } from './builders';

// Lag of 10 blocks tolerated; stuck after 20 s.
const network = makeNetwork({ thresholds: { endpointLagBlocks: 10, endpointStuckMs: 20_000 } });

/** rpc-a advances one block a second; rpc-b reports `bHead(i)`. */
function polls(count: number, bHead: (i: number) => number): Batch[] {
  return Array.from({ length: count }, (_, i) => {
    const now = T0 + i * 1_000;
    return { now, samples: [okSample('rpc-a', 100 + i, now), okSample('rpc-b', bHead(i), now, { timestamp: T0 / 1000 + bHead(i) - 100 })] };
  });
}

test('one endpoint stuck while the other advances is endpoint_lagging, not halted', () => {
  // rpc-b freezes at #100 but by only a few blocks: lag blocks set high so only "stuck" can fire.
  const patient = makeNetwork({ thresholds: { endpointLagBlocks: 1_000, endpointStuckMs: 20_000 } });
  const { signals } = run(
    patient,
    polls(40, () => 100),
  );
  assert.deepEqual(kinds(signals[19]!), [], '19 s stuck: not yet');
  const at20 = signals[20]!;
  assert.deepEqual(kinds(at20), ['endpoint_lagging']);
  const s = at20[0]!;
  assert.equal(s.endpoint, 'rpc-b');
  assert.equal(s.severity, 'minor');
  assert.deepEqual(s.details, { mode: 'stuck', behindBlocks: 20, stuckForMs: 20_000, headNumber: 100 });
  assert.deepEqual(s.evidence, [blockHash(100)]);
  assert.equal(s.summary, 'Endpoint rpc-b has been stuck at #100 for 20 s while other endpoints advance');
  assert.ok(signals.flat().every((x) => x.kind !== 'halted'));
});

test('an endpoint more than endpointLagBlocks behind is lagging (behind)', () => {
  // rpc-b advances too, but stays 11 blocks behind.
  const { last, signals } = run(
    network,
    polls(5, (i) => 89 + i),
  );
  assert.deepEqual(kinds(signals[0]!), ['endpoint_lagging']);
  assert.equal(last[0]!.details.mode, 'behind');
  assert.equal(last[0]!.details.behindBlocks, 11);
  assert.equal(last[0]!.summary, 'Endpoint rpc-b is 11 blocks behind the best head (at #93); other endpoints advance');
});

test('exactly endpointLagBlocks behind is tolerated', () => {
  const { signals } = run(
    network,
    polls(5, (i) => 90 + i),
  );
  assert.deepEqual(signals.flat(), []);
});

test('a single-endpoint network is never checked for lagging', () => {
  const one = makeNetwork({ endpoints: ['rpc-a'] });
  const { state } = run(
    one,
    polls(3, () => 100).map((b) => ({ ...b, samples: b.samples.slice(0, 1) })),
  );
  assert.deepEqual(detectLagging(state, one, T0 + 2_000), { kind: 'not-applicable' });
});

test('no lagging signal while the network is halted', () => {
  const { state } = run(
    network,
    polls(5, () => 100),
  );
  const now = T0 + 4_000 + 31_000;
  const { last } = run(network, [{ now, samples: [okSample('rpc-a', 104, now), okSample('rpc-b', 100, now)] }], state);
  assert.deepEqual(kinds(last), ['halted']);
});

test('a failing endpoint is endpoint_down, not lagging', () => {
  const { state } = run(
    network,
    polls(30, () => 100),
  );
  assert.equal(detectLagging(state, network, T0 + 29_000).kind, 'checked');
  const fails = [1, 2, 3].map((k) => {
    const now = T0 + 29_000 + k * 1_000;
    return { now, samples: [okSample('rpc-a', 129 + k, now), failSample('rpc-b', now)] };
  });
  const { last } = run(network, fails, state);
  assert.deepEqual(kinds(last), ['endpoint_down']);
});
