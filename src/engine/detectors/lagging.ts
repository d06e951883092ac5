/**
 * endpoint_lagging: one provider behind or stuck while others advance. This is a
 * provider problem, never a halt: the network's best head is the max over endpoints.
 * Needs a second endpoint to compare with; observeChain also skips it while halted or
 * unreachable, when every endpoint looks "stuck" for a reason that is not theirs.
 */
import type { Network } from '../../config/network';
import { type ChainState, configuredEndpoints, type EndpointState, isHealthy } from './state';

export interface LaggingEndpoint {
  endpoint: string;
  mode: 'behind' | 'stuck';
  behindBlocks: number;
  stuckForMs: number;
  head: { number: number; hash: string };
}

export type LaggingResult = { kind: 'not-applicable' } | { kind: 'checked'; lagging: LaggingEndpoint[] };

/** Whether one answering endpoint lags the best head; null when it keeps up (or says nothing now). */
export function endpointLag(state: ChainState, ep: EndpointState, network: Network, now: number): LaggingEndpoint | null {
  const best = state.best;
  if (!best || !ep.head || ep.headChangedAt === null || !isHealthy(ep, network, now)) return null;
  const { endpointLagBlocks, endpointStuckMs } = network.thresholds;
  const behindBlocks = Math.max(0, best.number - ep.head.number);
  const stuckForMs = now - ep.headChangedAt;
  const head = { number: ep.head.number, hash: ep.head.hash };
  if (behindBlocks > endpointLagBlocks) return { endpoint: ep.label, mode: 'behind', behindBlocks, stuckForMs, head };
  // Stuck: its head froze, and the network moved past it after that.
  const networkMovedOn = state.bestAdvanceAt !== null && state.bestAdvanceAt > ep.headChangedAt && behindBlocks > 0;
  if (stuckForMs >= endpointStuckMs && networkMovedOn) {
    return { endpoint: ep.label, mode: 'stuck', behindBlocks, stuckForMs, head };
  }
  return null;
}

export function detectLagging(state: ChainState, network: Network, now: number): LaggingResult {
  if (network.endpoints.length < 2) return { kind: 'not-applicable' };
  const lagging: LaggingEndpoint[] = [];
  for (const ep of configuredEndpoints(state, network)) {
    const lag = ep ? endpointLag(state, ep, network, now) : null;
    if (lag) lagging.push(lag);
  }
  return { kind: 'checked', lagging };
}
