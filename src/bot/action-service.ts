import { applyAction, type ActionRefusal, type ModeratorAction } from '../incidents/actions';
import { initialNetworkState, type NetworkState } from '../incidents/evaluate-chain';
import type { IncidentStore } from '../incidents/store';
import { recordOutages, type OutageLog } from '../incidents/outages';
import type { Incident } from '../incidents/types';
import type { PublishOutbox } from '../publish/outbox';
import { networkOfIncident } from '../queue/names';

export class ActionRefused extends Error {
  constructor(
    readonly reason: ActionRefusal,
    readonly incident: Incident | null,
  ) {
    super(`action refused: ${reason}`);
    this.name = 'ActionRefused';
  }
}

/**
 * Moderator actions go through the same atomic step as the detectors (one writer per
 * network), keyed by the interaction id so a retried interaction applies once; then the
 * publishers are told to catch up.
 */
export class ActionService {
  constructor(private readonly deps: { store: IncidentStore; outbox: PublishOutbox; clock: () => number; outages?: OutageLog }) {}

  async apply(incidentId: string, action: ModeratorAction, requestId: string): Promise<Incident> {
    const network = networkOfIncident(incidentId);
    let incident: Incident | null;
    try {
      const result = await this.deps.store.apply<NetworkState>(network, `act-${requestId}`, initialNetworkState, (state) => {
        const r = applyAction(state.corr, incidentId, action, this.deps.clock());
        if (!r.ok) throw new ActionRefused(r.reason, r.incident);
        return { state: { ...state, corr: r.state }, events: r.events, incident: r.state.incident };
      });
      incident = result.incident;
      await recordOutages(this.deps.outages, network, result, this.deps.clock());
    } catch (err) {
      if (!(err instanceof ActionRefused && err.reason === 'no_incident')) throw err;
      // Not the network's current incident: an older, closed one, or none at all.
      const old = await this.deps.store.getIncident(incidentId);
      throw old ? new ActionRefused('closed', old) : err;
    }
    if (!incident || incident.id !== incidentId) throw new ActionRefused('no_incident', null);
    await this.deps.outbox.notify(incident);
    return incident;
  }
}
