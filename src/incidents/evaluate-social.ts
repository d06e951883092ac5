import type { Network } from '../config/network';
import { DEFAULT_SOCIAL, initialSocialState, observeSocial, type Report, type SocialSettings } from '../social/evidence';
import { correlateSource, type ChainStep, type NetworkState } from './evaluate-chain';

export function socialSettings(network: Network): SocialSettings {
  return network.social ?? DEFAULT_SOCIAL;
}

/**
 * New community reports (and the passing of time) through the social evidence model and the
 * correlator. Runs in the same atomic step per network as the chain, live and in replay.
 */
export function evaluateSocial(prev: NetworkState, reports: readonly Report[], network: Network, now: number): ChainStep {
  const { state: social, signals } = observeSocial(prev.social ?? initialSocialState(), reports, network, now, socialSettings(network));
  return correlateSource({ ...prev, social }, signals, 'social', network, now);
}
