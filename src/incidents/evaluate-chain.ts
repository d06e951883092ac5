import { chainView, initialChainState, observeChain, type ChainState } from '../chain/detectors';
import type { HeadSample } from '../chain/types';
import type { Network } from '../config/network';
import { correlate, initialCorrelatorState, type CorrelatorState } from './correlator';
import type { SocialState } from '../social/evidence';
import type { NodeState } from '../telemetry/observe';
import type { Incident, IncidentEvent, Signal } from './types';

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
  const head = chainView(chain, network, now).head;
  const { state: corr, events } = correlate(
    prev.corr,
    { now, signals, evaluated: ['chain'], head: head && { number: head.number, hash: head.hash, timestamp: head.timestamp } },
    network,
  );
  return { state: { ...prev, chain, corr }, signals, events, incident: corr.incident };
}
