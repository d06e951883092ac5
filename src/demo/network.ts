import type { Network } from '../config/network';

/**
 * The demo's local chain: 1 s blocks, two "providers" (anvil direct, and anvil behind a
 * loopback proxy that can fail), and thresholds short enough to tell the story in a minute.
 */
export function demoNetwork(directUrl: string, proxiedUrl: string): Network {
  return {
    name: 'demo',
    displayName: 'Demo chain',
    chainId: 31337,
    blockTimeMs: 1000,
    // Its 4 s stall is written, as in a config file: public at once, no learning period first.
    learn: { stallWritten: true },
    endpoints: [
      { label: 'rpc-a', url: directUrl },
      { label: 'rpc-b', url: proxiedUrl },
    ],
    thresholds: {
      pollIntervalMs: 500,
      requestTimeoutMs: 1000,
      stallMs: 4000,
      endpointDownFailures: 3,
      endpointLagBlocks: 5,
      endpointStuckMs: 4000,
      reorgMinDepth: 1,
      reorgMajorDepth: 3,
      slowFactor: 3,
      slowWindowMs: 30_000,
      safeLagBlocks: null,
      confirmMs: 5000,
      resolveAfterMs: 8000,
      reopenWindowMs: 60_000,
      criticalAfterMs: 15_000,
    },
  };
}
