import type { Network, Thresholds } from '../../src/config/network';

/** A network with explicit, small thresholds so pure tests read as plain arithmetic. */
export function testNetwork(overrides: Omit<Partial<Network>, 'thresholds'> & { thresholds?: Partial<Thresholds> } = {}): Network {
  const { thresholds, ...rest } = overrides;
  return {
    name: 'testnet',
    displayName: 'Testnet',
    chainId: 31337,
    blockTimeMs: 1000,
    endpoints: [
      { label: 'rpc-a', url: 'http://127.0.0.1:1/a' },
      { label: 'rpc-b', url: 'http://127.0.0.1:1/b' },
    ],
    // Its thresholds are written out, as a config file's would be: a stall someone wrote.
    learn: { stallWritten: true },
    ...rest,
    thresholds: {
      pollIntervalMs: 1000,
      requestTimeoutMs: 2000,
      stallMs: 10_000,
      endpointDownFailures: 3,
      endpointLagBlocks: 15,
      endpointStuckMs: 10_000,
      reorgMinDepth: 1,
      reorgMajorDepth: 3,
      slowFactor: 3,
      slowWindowMs: 60_000,
      safeLagBlocks: 1800,
      confirmMs: 30_000,
      resolveAfterMs: 300_000,
      reopenWindowMs: 1_800_000,
      criticalAfterMs: 600_000,
      ...thresholds,
    },
  };
}
