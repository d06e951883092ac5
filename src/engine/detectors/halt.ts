/**
 * halted: no endpoint has shown a higher block for longer than `stallMs`, while at least
 * one endpoint answers (quorum before alarm: with no answering endpoint we know nothing
 * about the chain, and rpc_unreachable covers that case).
 */
import type { Network } from '../../config/network';
import type { Head } from '../../model';
import { type ChainState, configuredEndpoints, isHealthy } from './state';

export type HaltResult =
  | { kind: 'advancing'; sinceAdvanceMs: number }
  | {
      kind: 'halted';
      stalledForMs: number;
      /** The stall it was judged against. */
      stallMs: number;
      head: Head;
      healthyEndpoints: number;
      totalEndpoints: number;
      /** Only one of several endpoints answers: a quorum of one. */
      weak: boolean;
    }
  | { kind: 'unknown'; reason: 'no-head' | 'no-healthy-endpoint' };

/** `stallMs`: the stall in force (learnt.ts: learnt from the chain, between floor and ceiling); default the configured one. */
export function detectHalt(state: ChainState, network: Network, now: number, stallMs: number = network.thresholds.stallMs): HaltResult {
  if (!state.best || state.bestAdvanceAt === null) return { kind: 'unknown', reason: 'no-head' };
  const stalledForMs = now - state.bestAdvanceAt;
  if (stalledForMs <= stallMs) return { kind: 'advancing', sinceAdvanceMs: stalledForMs };
  const totalEndpoints = network.endpoints.length;
  const healthyEndpoints = configuredEndpoints(state, network).filter((e) => isHealthy(e, network, now)).length;
  if (healthyEndpoints === 0) return { kind: 'unknown', reason: 'no-healthy-endpoint' };
  const { number, hash, timestamp, observedAt } = state.best;
  return {
    kind: 'halted',
    stalledForMs,
    stallMs,
    head: { number, hash, timestamp, observedAt },
    healthyEndpoints,
    totalEndpoints,
    weak: totalEndpoints >= 2 && healthyEndpoints === 1,
  };
}
