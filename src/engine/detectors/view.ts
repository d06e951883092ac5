/** A read-only summary of ChainState for /status and the status page. */
import type { Network } from '../../config/network';
import type { Head } from '../../model';
import { endpointLag } from './lagging';
import { meanBlockInterval } from './slow-blocks';
import { type ChainState, type EndpointState, findEndpoint, isDown, isHealthy, staleAfterMs } from './state';

export type EndpointStatus = 'ok' | 'lagging' | 'stuck' | 'down' | 'unknown';

export interface EndpointView {
  label: string;
  status: EndpointStatus;
  number: number | null;
  failures: number;
  /** "timeout: request timed out" while the endpoint is failing; null once it answers. */
  lastError: string | null;
  latencyMs: number | null;
  observedAt: number | null;
}

export interface ChainView {
  head: Head | null;
  lastAdvanceAt: number | null;
  /** Mean block interval over the slow-blocks window; null with fewer than two blocks in it. */
  blockIntervalMs: number | null;
  safeLag: number | null;
  endpoints: EndpointView[];
}

/**
 * 'down' once the detectors count it down; 'unknown' when it never answered, answers
 * nothing recent, or has failed fewer polls than that (not known to be down yet).
 */
function endpointStatus(state: ChainState, ep: EndpointState | undefined, network: Network, now: number): EndpointStatus {
  if (isDown(ep, network)) return 'down';
  if (!isHealthy(ep, network, now)) return 'unknown';
  const lag = network.endpoints.length >= 2 ? endpointLag(state, ep, network, now) : null;
  if (!lag) return 'ok';
  return lag.mode === 'behind' ? 'lagging' : 'stuck';
}

function endpointView(state: ChainState, label: string, network: Network, now: number): EndpointView {
  const ep = findEndpoint(state, label);
  const f = ep?.lastFailure;
  return {
    label,
    status: endpointStatus(state, ep, network, now),
    number: ep?.head?.number ?? null,
    failures: ep?.failures ?? 0,
    lastError: f ? `${f.kind}${f.status === null ? '' : ` ${f.status}`}${f.message ? `: ${f.message}` : ''}` : null,
    latencyMs: ep ? ep.latencyMs : null,
    observedAt: ep ? ep.lastObservedAt : null,
  };
}

export function chainView(state: ChainState, network: Network, now: number): ChainView {
  const best = state.best;
  const mean = meanBlockInterval(state, network.thresholds.slowWindowMs, now);
  const safe = state.safe && now - state.safe.observedAt <= staleAfterMs(network) ? state.safe : null;
  return {
    head: best ? { number: best.number, hash: best.hash, timestamp: best.timestamp, observedAt: best.observedAt } : null,
    lastAdvanceAt: state.bestAdvanceAt,
    blockIntervalMs: mean ? mean.meanIntervalMs : null,
    safeLag: safe ? safe.latest - safe.safe : null,
    endpoints: network.endpoints.map((e) => endpointView(state, e.label, network, now)),
  };
}
