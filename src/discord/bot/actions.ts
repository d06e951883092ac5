import type { Network } from '../../config/network';
import type { ModeratorAction } from '../../engine';
import { isOpen, networkOfIncident, type Incident } from '../../model';
import { commitStep, ActionRefused, type CommitDeps } from '../../queue/commit';

/**
 * Moderator actions go through the same atomic step as the detectors (one writer per
 * network), keyed by the interaction id so a retried interaction applies once; then the
 * publishers are told to catch up.
 */
export class ActionService {
  constructor(private readonly deps: CommitDeps & { networks: readonly Network[] }) {}

  async apply(incidentId: string, action: ModeratorAction, requestId: string): Promise<Incident> {
    const name = networkOfIncident(incidentId);
    const network = this.deps.networks.find((n) => n.name === name);
    if (!network) throw new ActionRefused('no_incident', null);
    let incident: Incident | null;
    try {
      ({ incident } = await commitStep(this.deps, network, `act-${requestId}`, { type: 'action', incidentId, action }));
    } catch (err) {
      if (!(err instanceof ActionRefused && err.reason === 'no_incident')) throw err;
      // Not the network's current incident: an older, closed one, or none at all.
      const old = await this.deps.store.getIncident(incidentId);
      throw old && !isOpen(old) ? new ActionRefused('closed', old) : err;
    }
    if (!incident || incident.id !== incidentId) throw new ActionRefused('no_incident', null);
    return incident;
  }
}
