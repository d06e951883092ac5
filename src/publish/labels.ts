import type { IncidentEvent } from '../incidents/types';

/** How each kind of timeline event is labelled in a thread, on every sink. */
export const EVENT_LABEL: Record<IncidentEvent['type'], string> = {
  opened: 'Opened',
  evidence: 'New evidence',
  severity_changed: 'Severity',
  acknowledged: 'Acknowledged',
  update: 'Update',
  recovered: 'Recovering',
  relapsed: 'Relapse',
  resolved: 'Resolved',
  reopened: 'Reopened',
  dismissed: 'Dismissed',
};
