import type { HeadSample } from '../chain/types';
import type { Network } from '../config/network';
import { evaluateChain, type ChainStep, type NetworkState } from './evaluate-chain';
import { evaluateNode } from './evaluate-node';
import { evaluateSocial } from './evaluate-social';

/**
 * One poll of a network: the chain samples, then the social window and the node trends moved
 * on to `now` (so reports and stale node alarms expire even when nothing new arrives). All in
 * the same atomic step.
 */
export function evaluatePoll(prev: NetworkState, samples: HeadSample[], network: Network, now: number): ChainStep {
  const chain = evaluateChain(prev, samples, network, now);
  const social = chain.state.social?.reports.length ? join(chain, evaluateSocial(chain.state, [], network, now)) : chain;
  // A node alarm whose scrapes stopped (a crashed node, a dropped scheduler) expires here too.
  if (!nodeNeedsTime(social.state, network)) return social;
  return join(social, evaluateNode(social.state, [], network, now));
}

/** Only a raised alarm, or telemetry of endpoints no longer configured, has anything to expire. */
function nodeNeedsTime(state: NetworkState, network: Network): boolean {
  const entries = Object.entries(state.node?.endpoints ?? {});
  return entries.some(([label, e]) => e.active || !network.endpoints.some((ep) => ep.label === label && ep.metrics));
}

function join(a: ChainStep, b: ChainStep): ChainStep {
  return { ...b, signals: [...a.signals, ...b.signals], events: [...a.events, ...b.events] };
}
