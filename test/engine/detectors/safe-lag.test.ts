import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSafeLag, observeChain } from '../../../src/engine/detectors';
import { T0, kinds, makeNetwork, okSample, run } from './builders';

// A 2 s rollup whose safe head may trail by up to 1,800 blocks (an hour) before we worry.
const rollup = makeNetwork({ blockTimeMs: 2_000, thresholds: { safeLagBlocks: 1_800 } });

test('safe head far behind the latest raises safe_lag', () => {
  const { last } = run(rollup, [{ now: T0, samples: [okSample('rpc-a', 10_000, T0, { safe: 7_600 })] }]);
  assert.deepEqual(kinds(last), ['safe_lag']);
  const s = last[0]!;
  assert.equal(s.severity, 'minor');
  assert.deepEqual(s.details, { lagBlocks: 2_400, safe: 7_600, latest: 10_000, lagMs: 4_800_000, endpoint: 'rpc-a' });
  assert.equal(s.summary, 'The safe head is 2,400 blocks (about 1 h 20 min) behind the latest: batches may not be reaching L1');
});

test('a safe head within the limit, or no limit, raises nothing', () => {
  const within = run(rollup, [{ now: T0, samples: [okSample('rpc-a', 10_000, T0, { safe: 8_200 })] }]);
  assert.deepEqual(within.last, []);
  assert.deepEqual(detectSafeLag(within.state, rollup, T0), { kind: 'ok', lagBlocks: 1_800 });
  const unchecked = makeNetwork({ thresholds: { safeLagBlocks: null } });
  const out = observeChain(within.state, [okSample('rpc-a', 10_001, T0 + 1, { safe: 1 })], unchecked, T0 + 1);
  assert.deepEqual(out.signals, []);
});

test('the freshest sample with a safe number decides', () => {
  const { last } = run(rollup, [
    {
      now: T0 + 1_000,
      samples: [
        okSample('rpc-b', 10_001, T0 + 1_000, { safe: 9_900 }),
        okSample('rpc-a', 10_000, T0 + 500, { safe: 5_000 }), // older, folded first
        okSample('rpc-a', 10_002, T0 + 900), // no safe tag: does not count
      ],
    },
  ]);
  assert.deepEqual(last, []);
});

test('an old safe observation says nothing about now', () => {
  const { state } = run(rollup, [{ now: T0, samples: [okSample('rpc-a', 10_000, T0, { safe: 1 })] }]);
  assert.deepEqual(detectSafeLag(state, rollup, T0 + 10 * 60_000), { kind: 'unknown' });
});
