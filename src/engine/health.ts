/**
 * One verdict on a network's health, shared by `/status` and the status page so that the two
 * never disagree. Pure: a snapshot of what is known and `now` in, a word out.
 */
import type { Network } from '../config/network';
import { isSilenced, type Incident, type Silence } from '../model';
import type { ChainView, EndpointStatus } from './detectors';

/** What is known about one network at a glance: its config, the chain's view, the incident, any silence. */
export interface NetworkSnapshot {
  network: Network;
  /** null when no poll has been stored yet (a fresh start, or Redis lost the state). */
  view: ChainView | null;
  /** The open incident, if any. A `suspected` one is not shown publicly. */
  incident: Incident | null;
  silence?: Pick<Silence, 'until' | 'reason' | 'by'> | null;
}

export type NetworkHealth = 'major' | 'degraded' | 'maintenance' | 'unknown' | 'operational';

/** One provider's problem: the network is degraded, not down. */
export const PROVIDER_PROBLEMS: ReadonlySet<EndpointStatus> = new Set<EndpointStatus>([
  'down',
  'lagging',
  'stuck',
  'divergent',
  'wrong_chain',
]);

/** Worst first: overviews list networks in this order, so a cut list loses healthy ones. */
export const HEALTH_ORDER: readonly NetworkHealth[] = ['major', 'degraded', 'maintenance', 'unknown', 'operational'];

/**
 * The incident people are told about: open and public. A suspected incident has not been
 * confirmed (DESIGN.md: weak evidence opens it out of sight), so no public view reveals it.
 */
export function publicIncident(incident: Incident | null | undefined): Incident | null {
  if (!incident) return null;
  return incident.status === 'investigating' || incident.status === 'monitoring' ? incident : null;
}

/**
 * A silence means people know (planned maintenance), so it wins. A halt or unreachable RPC
 * is a major outage; any other public incident, or a provider down or behind, is degraded.
 * With no view, no head, or no endpoint answering recently, we do not know.
 */
export function networkHealth(snapshot: NetworkSnapshot, now: number): NetworkHealth {
  if (isSilenced(snapshot.silence, now)) return 'maintenance';
  const incident = publicIncident(snapshot.incident);
  if (incident) {
    if (incident.status === 'monitoring') return 'degraded';
    const outage = incident.kind === 'halted' || incident.kind === 'rpc_unreachable' || incident.severity === 'critical';
    return outage ? 'major' : 'degraded';
  }
  const view = snapshot.view;
  if (!view?.head || view.endpoints.every((e) => e.status === 'unknown')) return 'unknown';
  if (view.endpoints.some((e) => PROVIDER_PROBLEMS.has(e.status))) return 'degraded';
  return 'operational';
}
