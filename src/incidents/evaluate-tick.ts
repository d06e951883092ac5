import type { HeadSample } from '../chain/types';
import type { Network } from '../config/network';
import { evaluateChain, type ChainStep, type NetworkState } from './evaluate-chain';
import { evaluateSocial } from './evaluate-social';

/**
 * One poll of a network: the chain samples, then the social window moved on to `now` (so
 * reports expire even when no new post arrives). Both in the same atomic step.
 */
export function evaluatePoll(prev: NetworkState, samples: HeadSample[], network: Network, now: number): ChainStep {
  const chain = evaluateChain(prev, samples, network, now);
  if (!chain.state.social?.reports.length) return chain;
  const social = evaluateSocial(chain.state, [], network, now);
  return { ...social, signals: [...chain.signals, ...social.signals], events: [...chain.events, ...social.events] };
}
