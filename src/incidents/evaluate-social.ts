import { chainView } from '../chain/detectors';
import type { Network } from '../config/network';
import { DEFAULT_SOCIAL, initialSocialState, observeSocial, type Report, type SocialSettings } from '../social/evidence';
import { correlate } from './correlator';
import type { ChainStep, NetworkState } from './evaluate-chain';

export function socialSettings(network: Network): SocialSettings {
  return network.social ?? DEFAULT_SOCIAL;
}

/**
 * New community reports (and the passing of time) through the social evidence model and the
 * correlator. Runs in the same atomic step per network as the chain, live and in replay.
 */
export function evaluateSocial(prev: NetworkState, reports: readonly Report[], network: Network, now: number): ChainStep {
  const { state: social, signals } = observeSocial(prev.social ?? initialSocialState(), reports, network, now, socialSettings(network));
  const head = chainView(prev.chain, network, now).head;
  const { state: corr, events } = correlate(
    prev.corr,
    { now, signals, evaluated: ['social'], head: head && { number: head.number, hash: head.hash, timestamp: head.timestamp } },
    network,
  );
  return { state: { ...prev, social, corr }, signals, events, incident: corr.incident };
}
