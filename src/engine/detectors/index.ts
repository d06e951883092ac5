/**
 * Chain detectors: pure functions of (previous state, samples, network, now). `step`
 * (src/engine/step.ts) folds a poll's samples into ChainState here and hands the Signals to
 * the correlator, live and in replay; the chain-poll job asks `planAncestry` first whether a
 * head needs its parents fetched to be judged.
 */
import type { Network } from '../../config/network';
import type { HeadSample, Signal } from '../../model';
import { detectEndpoints } from './endpoints';
import { foldSamples } from './fold';
import { detectHalt } from './halt';
import { detectLagging } from './lagging';
import { detectSafeLag } from './safe-lag';
import { endpointDownSignal, haltSignal, laggingSignal, reorgSignal, safeLagSignal, slowSignal, unreachableSignal } from './signals';
import { detectSlowBlocks } from './slow-blocks';
import type { ChainState } from './state';

export type { ChainState, EndpointState, CanonBlock, SafeObservation, TimingPoint } from './state';
export { CANON_MAX, ORPHANS_MAX, TIMING_MAX, initialChainState } from './state';
export { canonicalHash, planAncestry } from './reorg';
export type { HeadVerdict } from './reorg';
export { chainView } from './view';
export type { ChainView, EndpointView, EndpointStatus } from './view';
export { detectHalt } from './halt';
export type { HaltResult } from './halt';
export { detectEndpoints } from './endpoints';
export type { EndpointsResult, DownEndpoint } from './endpoints';
export { detectLagging } from './lagging';
export type { LaggingResult, LaggingEndpoint } from './lagging';
export { detectSlowBlocks } from './slow-blocks';
export type { SlowBlocksResult } from './slow-blocks';
export { detectSafeLag } from './safe-lag';
export type { SafeLagResult } from './safe-lag';

/**
 * Fold `samples` (any number, any order; older-than-folded ones are dropped) into the
 * state, then evaluate every detector at `now`. Reorgs are events: reported by the call
 * that folds the sample revealing them and never again. Every other kind is a condition,
 * reported on every call while it holds.
 */
export function observeChain(
  prev: ChainState,
  samples: HeadSample[],
  network: Network,
  now: number,
): { state: ChainState; signals: Signal[] } {
  const { state, reorgs } = foldSamples(prev, samples, network);
  const { reorgMinDepth } = network.thresholds;
  const signals: Signal[] = reorgs.filter((r) => r.depth >= reorgMinDepth).map((r) => reorgSignal(r, network, now));

  const endpoints = detectEndpoints(state, network, now);
  if (endpoints.kind === 'unreachable') {
    // Every endpoint failing says nothing about the chain itself: one signal, no halt,
    // and nothing from heads we can no longer refresh.
    signals.push(unreachableSignal(endpoints, state.best, network, now));
    return { state, signals };
  }
  if (endpoints.kind === 'degraded') signals.push(...endpoints.down.map((d) => endpointDownSignal(d, network, now)));

  const halt = detectHalt(state, network, now);
  if (halt.kind === 'halted') {
    // A halt explains stuck endpoints and long intervals: report only the halt.
    signals.push(haltSignal(halt, network, now));
  } else {
    const lagging = detectLagging(state, network, now);
    if (lagging.kind === 'checked') signals.push(...lagging.lagging.map((l) => laggingSignal(l, network, now)));
    const slow = detectSlowBlocks(state, network, now);
    if (slow.kind === 'slow') signals.push(slowSignal(slow, network, now));
  }
  const safe = detectSafeLag(state, network, now);
  if (safe.kind === 'lagging') signals.push(safeLagSignal(safe, network, now));
  return { state, signals };
}
