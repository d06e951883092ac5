import type { Network } from '../config/network';
import { initialNodeState, observeNode } from '../telemetry/observe';
import type { NodeSample } from '../telemetry/types';
import { correlateSource, type ChainStep, type NetworkState } from './evaluate-chain';

/**
 * Scrapes of the network's nodes (and the passing of time) through the memory trends and the
 * correlator, in the network's atomic step like the chain and the community, live and in
 * replay. Node conditions are the `node` source's: a chain poll leaves them alone.
 */
export function evaluateNode(prev: NetworkState, samples: readonly NodeSample[], network: Network, now: number): ChainStep {
  const { state: node, signals } = observeNode(prev.node ?? initialNodeState(), samples, network, now);
  return correlateSource({ ...prev, node }, signals, 'node', network, now);
}
