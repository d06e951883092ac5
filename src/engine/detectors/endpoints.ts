/**
 * Endpoint failures. One provider failing is an endpoint problem (endpoint_down); only
 * every configured endpoint failing makes the network unreachable (rpc_unreachable).
 */
import type { Network } from '../../config/network';
import type { FailureKind } from '../../model';
import { type ChainState, configuredEndpoints, type EndpointState, isDown, isExcluded } from './state';

export interface DownEndpoint {
  endpoint: string;
  failures: number;
  failingForMs: number;
  kind: FailureKind;
  status: number | null;
  message: string;
}

export type EndpointsResult =
  { kind: 'healthy' } | { kind: 'degraded'; down: DownEndpoint[] } | { kind: 'unreachable'; down: DownEndpoint[]; failingForMs: number };

function describe(ep: EndpointState, now: number): DownEndpoint {
  const f = ep.lastFailure;
  return {
    endpoint: ep.label,
    failures: ep.failures,
    failingForMs: ep.failingSince === null ? 0 : now - ep.failingSince,
    kind: f?.kind ?? 'unreachable',
    status: f?.status ?? null,
    message: f?.message ?? '',
  };
}

export function detectEndpoints(state: ChainState, network: Network, now: number): EndpointsResult {
  // Endpoints left out of the view (another chain, a head nobody reaches) neither answer for
  // the network nor count among its failures: they have incidents of their own.
  const eps = configuredEndpoints(state, network).filter((e) => !isExcluded(e));
  const down = eps.filter((e) => isDown(e, network)).map((e) => describe(e, now));
  if (down.length === 0) return { kind: 'healthy' };
  if (down.length < eps.length) return { kind: 'degraded', down };
  // The network has been unreachable since its last endpoint started failing.
  return { kind: 'unreachable', down, failingForMs: Math.min(...down.map((d) => d.failingForMs)) };
}

/** "timeout", "http 500", "rpc -32000": the failure as people read it. */
export function failureLabel(d: Pick<DownEndpoint, 'kind' | 'status'>): string {
  return d.status === null ? d.kind : `${d.kind} ${d.status}`;
}
