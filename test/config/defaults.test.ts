import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultThresholds } from '../../src/config';

const shared = {
  endpointDownFailures: 3,
  reorgMinDepth: 1,
  reorgMajorDepth: 3,
  slowFactor: 3,
  confirmMs: 30000,
  resolveAfterMs: 300000,
  reopenWindowMs: 1800000,
  criticalAfterMs: 600000,
};

test('Ethereum, 12 s slots: poll 4 s, halted after 5 missed slots, lagging 3 blocks behind', () => {
  assert.deepEqual(defaultThresholds(12000), {
    ...shared,
    pollIntervalMs: 4000,
    requestTimeoutMs: 8000,
    stallMs: 60000,
    endpointLagBlocks: 3,
    endpointStuckMs: 60000,
    slowWindowMs: 360000,
    safeLagBlocks: 150,
  });
});

test('Base and OP, 2 s blocks: poll every block, 10 s stall floor, 15 s of lag is 8 blocks', () => {
  assert.deepEqual(defaultThresholds(2000), {
    ...shared,
    pollIntervalMs: 2000,
    requestTimeoutMs: 4000,
    stallMs: 10000,
    endpointLagBlocks: 8,
    endpointStuckMs: 10000,
    slowWindowMs: 60000,
    safeLagBlocks: 900,
  });
});

test('MegaETH, 1 s blocks', () => {
  assert.deepEqual(defaultThresholds(1000), {
    ...shared,
    pollIntervalMs: 1000,
    requestTimeoutMs: 2000,
    stallMs: 10000,
    endpointLagBlocks: 15,
    endpointStuckMs: 10000,
    slowWindowMs: 60000,
    safeLagBlocks: 1800,
  });
});

test('Arbitrum, 250 ms blocks: polling floored at 1 s, lag counted as 60 blocks', () => {
  assert.deepEqual(defaultThresholds(250), {
    ...shared,
    pollIntervalMs: 1000,
    requestTimeoutMs: 2000,
    stallMs: 10000,
    endpointLagBlocks: 60,
    endpointStuckMs: 10000,
    slowWindowMs: 60000,
    safeLagBlocks: 7200,
  });
});

test('every default is consistent: stall outlasts a poll, timeout below a minute', () => {
  for (const blockTimeMs of [100, 250, 1000, 2000, 12000, 60000, 600000]) {
    const t = defaultThresholds(blockTimeMs);
    assert.ok(t.stallMs > t.pollIntervalMs, `stall > poll at ${blockTimeMs}`);
    assert.ok(t.requestTimeoutMs < 60000, `timeout < 60 s at ${blockTimeMs}`);
    assert.ok(t.endpointLagBlocks >= 3, `lag >= 3 at ${blockTimeMs}`);
    assert.ok(t.slowWindowMs >= 3 * blockTimeMs, `slow window covers blocks at ${blockTimeMs}`);
  }
});
