import type { CorrelatorState } from './correlator';
import { type Incident, type IncidentEvent, type IncidentEventType, isOpen } from '../model';

/**
 * What moderators do to an incident, as pure transitions of the correlator state. The store
 * runs them in the same atomic step as the detectors, so an acknowledgement and a poll that
 * lands at the same moment cannot overwrite each other.
 */
export type ModeratorAction =
  | { type: 'ack'; by: string }
  | { type: 'update'; by: string; text: string }
  | { type: 'resolve'; by: string; reason?: string }
  | { type: 'confirm'; by: string }
  | { type: 'dismiss'; by: string; reason?: string };

export type ActionRefusal = 'no_incident' | 'closed' | 'already_acknowledged' | 'not_suspected' | 'empty_text';

export type ActionResult =
  { ok: true; state: CorrelatorState; events: IncidentEvent[] } | { ok: false; reason: ActionRefusal; incident: Incident | null };

/** Longest moderator update kept (Discord's text option allows 6000; a thread message 2000). */
export const MAX_UPDATE_CHARS = 1500;

export function applyAction(prev: CorrelatorState, incidentId: string, action: ModeratorAction, now: number): ActionResult {
  const current = prev.incident;
  if (!current || current.id !== incidentId) return { ok: false, reason: 'no_incident', incident: null };
  if (!isOpen(current)) return { ok: false, reason: 'closed', incident: current };
  const inc = structuredClone(current);
  const events: IncidentEvent[] = [];
  const emit = (type: IncidentEventType, text: string) => {
    inc.seq += 1;
    inc.updatedAt = now;
    events.push({
      incidentId: inc.id,
      network: inc.network,
      seq: inc.seq,
      at: now,
      type,
      status: inc.status,
      severity: inc.severity,
      kind: inc.kind,
      title: inc.title,
      text,
      by: action.by,
    });
  };
  let suppressed = prev.suppressed ?? [];
  switch (action.type) {
    case 'ack':
      if (inc.ack) return { ok: false, reason: 'already_acknowledged', incident: current };
      inc.ack = { by: action.by, at: now };
      emit('acknowledged', `Acknowledged by ${action.by}.`);
      break;
    case 'update': {
      const text = action.text.trim().slice(0, MAX_UPDATE_CHARS);
      if (!text) return { ok: false, reason: 'empty_text', incident: current };
      emit('update', text);
      break;
    }
    case 'confirm':
      if (inc.status !== 'suspected') return { ok: false, reason: 'not_suspected', incident: current };
      inc.status = 'investigating';
      inc.confirmedAt = now;
      emit('update', `Confirmed by ${action.by}: this is a real disruption.`);
      break;
    case 'resolve':
    case 'dismiss': {
      const dismiss = action.type === 'dismiss';
      inc.status = dismiss ? 'dismissed' : 'resolved';
      inc.resolvedAt = now;
      inc.recoveredAt ??= now;
      const reason = action.reason?.trim() ? `: ${action.reason.trim().slice(0, 300)}` : '.';
      emit(
        dismiss ? 'dismissed' : 'resolved',
        dismiss ? `Dismissed by ${action.by} as a false alarm${reason}` : `Resolved by ${action.by}${reason}`,
      );
      // Evidence still present when a person closes the incident must not reopen it at once:
      // it is ignored until it clears.
      suppressed = [...new Set([...suppressed, ...Object.keys(prev.conditions)])];
      break;
    }
  }
  return { ok: true, state: { ...prev, incident: inc, suppressed }, events };
}
