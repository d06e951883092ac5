import { chainView } from '../chain/detectors';
import type { Network } from '../config/network';
import { initialNodeState, observeNode } from '../telemetry/observe';
import type { NodeSample } from '../telemetry/types';
import { correlate } from './correlator';
import type { ChainStep, NetworkState } from './evaluate-chain';

/**
 * Scrapes of the network's nodes (and the passing of time) through the memory trends and the
 * correlator, in the network's atomic step like the chain and the community, live and in
 * replay. Node conditions are the `node` source's: a chain poll leaves them alone.
 */
export function evaluateNode(prev: NetworkState, samples: readonly NodeSample[], network: Network, now: number): ChainStep {
  const { state: node, signals } = observeNode(prev.node ?? initialNodeState(), samples, network, now);
  const head = chainView(prev.chain, network, now).head;
  const { state: corr, events } = correlate(
    prev.corr,
    { now, signals, evaluated: ['node'], head: head && { number: head.number, hash: head.hash, timestamp: head.timestamp } },
    network,
  );
  return { state: { ...prev, node, corr }, signals, events, incident: corr.incident };
}
