import type { Job } from 'bullmq';
import { applyAction, type ModeratorAction } from '../../src/engine/actions';
import type { CorrelatorState } from '../../src/engine/correlator';
import type { Incident } from '../../src/model';

/** A publish job for the processor in jobs/publish.ts; `delayed` collects what it was moved to. */
export function publishJob(incident: Incident, delayed: number[] = []): Job {
  return {
    id: `j-${incident.id}-${incident.seq}`,
    data: { incidentId: incident.id, seq: incident.seq },
    moveToDelayed: async (ts: number) => void delayed.push(ts),
  } as unknown as Job;
}

/** A correlator step applying a moderator's action to the open incident; throws when refused. */
export function actionStep(action: ModeratorAction, now: number) {
  return (s: CorrelatorState) => {
    const r = applyAction(s, s.incident!.id, action, now);
    if (!r.ok) throw new Error(r.reason);
    return r;
  };
}
