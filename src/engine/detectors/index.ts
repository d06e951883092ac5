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
import { type Learnt, learnFromPoll, learntThresholds, readLearntState } from './learnt';
import { detectLowThroughput } from './low-throughput';
import { detectSafeLag } from './safe-lag';
import {
  endpointDownSignal,
  excludedSignal,
  haltSignal,
  laggingSignal,
  lowThroughputSignal,
  reorgSignal,
  safeLagSignal,
  slowSignal,
  unreachableSignal,
} from './signals';
import { detectSlowBlocks } from './slow-blocks';
import { type ChainState, configuredEndpoints } from './state';

export type { ChainState, EndpointState, CanonBlock, SafeObservation, TimingPoint, LearntState } from './state';
export { CANON_MAX, ORPHANS_MAX, TIMING_MAX, initialChainState } from './state';
export { CHAIN_ID_EVERY_MS, chainIdDue, divergentAfterMs, quorumSize } from './quorum';
export { canonicalHash, planAncestry } from './reorg';
export type { HeadVerdict } from './reorg';
export { chainView } from './view';
export type { ChainView, EndpointView, EndpointStatus, LearntView } from './view';
export { detectHalt } from './halt';
export type { HaltResult } from './halt';
export { detectEndpoints } from './endpoints';
export type { EndpointsResult, DownEndpoint } from './endpoints';
export { detectLagging } from './lagging';
export type { LaggingResult, LaggingEndpoint } from './lagging';
export { detectSlowBlocks } from './slow-blocks';
export type { SlowBlocksResult } from './slow-blocks';
export { detectSafeLag } from './safe-lag';
export { detectLowThroughput } from './low-throughput';
export type { LowThroughputResult } from './low-throughput';
export { initialLearntState, learntThresholds, readLearntState, systemTxPerBlock } from './learnt';
export type { Learnt } from './learnt';
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
  const { state, reorgs } = foldSamples(prev, samples, network, now);
  const advanced = state.best !== null && (prev.best === null || state.best.number > prev.best.number);
  // A stored state of another shape (an older deploy) starts over rather than being misread.
  if (state.learnt !== undefined) state.learnt = readLearntState(state.learnt);
  // Judged against what was learnt before this poll; this poll is learnt after (learnt.ts).
  const learnt = learntThresholds(state, network);
  const { signals, slow } = judge(state, reorgs, network, now, learnt);
  state.learnt = learnFromPoll(state.learnt, state, samples, network, { advanced, slow });
  return { state, signals };
}

function judge(
  state: ChainState,
  reorgs: ReturnType<typeof foldSamples>['reorgs'],
  network: Network,
  now: number,
  learnt: Learnt,
): { signals: Signal[]; slow: boolean } {
  const { reorgMinDepth } = network.thresholds;
  const signals: Signal[] = reorgs.filter((r) => r.depth >= reorgMinDepth).map((r) => reorgSignal(r, network, now));

  // Providers left out of the view are named, whatever else holds.
  for (const ep of configuredEndpoints(state, network)) if (ep?.excluded) signals.push(excludedSignal(ep.label, ep.excluded, network, now));

  const endpoints = detectEndpoints(state, network, now);
  if (endpoints.kind === 'unreachable') {
    // Every endpoint failing says nothing about the chain itself: one signal, no halt,
    // and nothing from heads we can no longer refresh.
    signals.push(unreachableSignal(endpoints, state.best, network, now));
    return { signals, slow: false };
  }
  if (endpoints.kind === 'degraded') signals.push(...endpoints.down.map((d) => endpointDownSignal(d, network, now)));

  let slowNow = false;
  const halt = detectHalt(state, network, now, learnt.stall.stallMs);
  if (halt.kind === 'halted') {
    // A halt explains stuck endpoints, long intervals and blocks without transactions: report only the halt.
    signals.push(unsureStall(learnt, network) ? unsureHalt(haltSignal(halt, network, now), halt) : haltSignal(halt, network, now));
  } else {
    const lagging = detectLagging(state, network, now);
    if (lagging.kind === 'checked') signals.push(...lagging.lagging.map((l) => laggingSignal(l, network, now)));
    const slow = detectSlowBlocks(state, network, now, learnt.slow.expectedMs);
    slowNow = slow.kind === 'slow';
    if (slow.kind === 'slow') signals.push(slowSignal(slow, network, now));
    const tput = detectLowThroughput(state, network, now);
    if (tput.kind === 'low' || tput.kind === 'empty') signals.push(lowThroughputSignal(tput, network, now));
  }
  const safe = detectSafeLag(state, network, now);
  if (safe.kind === 'lagging') signals.push(safeLagSignal(safe, network, now));
  return { signals, slow: slowNow };
}

/**
 * While a chain's rhythm is still being learnt (fewer advances than the learnt stall needs to
 * tighten) and nobody wrote a stall for it, the stall in force is a guess from the block time:
 * a chain whose normal rhythm has 12–18 s blocks would be "halted" at the first one. Such a
 * stall is weak evidence (a suspected incident, not public) until it lasts twice the threshold;
 * a real halt is then public at 2 × stall. A stall someone wrote is their promise: never weak.
 */
function unsureStall(learnt: Learnt, network: Network): boolean {
  return !learnt.stall.basis.mayTighten && network.learn?.stallWritten !== true && network.learn?.thresholds !== false;
}

function unsureHalt(signal: Signal, halt: Extract<ReturnType<typeof detectHalt>, { kind: 'halted' }>): Signal {
  if (halt.stalledForMs >= UNSURE_STALL_FACTOR * halt.stallMs) return signal;
  return { ...signal, weak: true, summary: `${signal.summary}; this chain's rhythm is still being learnt` };
}

/** How many times the guessed stall an unlearnt chain must stand still before a halt is public. */
const UNSURE_STALL_FACTOR = 2;
