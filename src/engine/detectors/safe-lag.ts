/**
 * safe_lag: on rollups the `safe` head is the newest L2 block derived from data posted to
 * L1. A safe head far behind the latest means batches are not being posted or derived,
 * even while the sequencer keeps producing blocks.
 */
import type { Network } from '../../config/network';
import { type ChainState, staleAfterMs } from './state';

export type SafeLagResult =
  | { kind: 'ok'; lagBlocks: number }
  | { kind: 'lagging'; lagBlocks: number; safe: number; latest: number; lagMs: number; endpoint: string }
  | { kind: 'unknown' };

export function detectSafeLag(state: ChainState, network: Network, now: number): SafeLagResult {
  const limit = network.thresholds.safeLagBlocks;
  const obs = state.safe;
  // An old observation says nothing about now (its endpoint may have stopped answering).
  if (limit === null || !obs || now - obs.observedAt > staleAfterMs(network)) return { kind: 'unknown' };
  const lagBlocks = obs.latest - obs.safe;
  if (lagBlocks <= limit) return { kind: 'ok', lagBlocks };
  return {
    kind: 'lagging',
    lagBlocks,
    safe: obs.safe,
    latest: obs.latest,
    lagMs: lagBlocks * network.blockTimeMs,
    endpoint: obs.endpoint,
  };
}
