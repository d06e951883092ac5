import { initialChainState, observeChain, type ChainState } from '../chain/detectors';
import type { HeadSample } from '../chain/types';
import type { Network } from '../config/network';
import { correlate, initialCorrelatorState, type CorrelatorState } from './correlator';
import type { SocialState } from '../social/evidence';
import type { NodeState } from '../telemetry/observe';
import type { Incident, IncidentEvent, Signal, SignalSource } from './types';

/** Everything chainwatch remembers about one network between polls. Plain JSON. */
export interface NetworkState {
  chain: ChainState;
  corr: CorrelatorState;
  /** Community reports (absent until the first post arrives). */
  social?: SocialState;
  /** Node telemetry: memory trends of the nodes with `metrics` (absent until the first scrape). */
  node?: NodeState;
}

export function initialNetworkState(): NetworkState {
  return { chain: initialChainState(), corr: initialCorrelatorState() };
}

export interface ChainStep {
  state: NetworkState;
  signals: Signal[];
  events: IncidentEvent[];
  incident: Incident | null;
}

/**
 * One poll's samples through the chain detectors and the correlator. The same function runs
 * inside the live Redis transaction and in replay.
 */
export function evaluateChain(prev: NetworkState, samples: HeadSample[], network: Network, now: number): ChainStep {
  const { state: chain, signals } = observeChain(prev.chain, samples, network, now);
  return correlateSource({ ...prev, chain }, signals, 'chain', network, now);
}

/**
 * The signals of one source (whose new state is already in `state`) through the correlator,
 * which settles only that source's conditions. Shared by the chain, social and node steps.
 */
export function correlateSource(state: NetworkState, signals: Signal[], source: SignalSource, network: Network, now: number): ChainStep {
  // The best head as stored, for recovery lines (what chainView's head reports, without its per-endpoint work).
  const best = state.chain.best;
  const { state: corr, events } = correlate(
    state.corr,
    { now, signals, evaluated: [source], head: best && { number: best.number, hash: best.hash, timestamp: best.timestamp } },
    network,
  );
  return { state: { ...state, corr }, signals, events, incident: corr.incident };
}
