/**
 * The one way a step reaches Redis and the world: the engine's `step` runs inside the network's
 * atomic transaction (src/store/incidents.ts), then the publishers are asked to catch up and a
 * closed incident leaves its outage record. Chain polls, community reports, node scrapes and
 * moderator actions all commit through here, so each does the same thing in the same order.
 */
import type { Network } from '../config/network';
import { initialNetworkState, step, type ActionRefusal, type NetworkState, type StepInput } from '../engine';
import type { Incident } from '../model';
import type { ApplyResult, IncidentStore } from '../store/incidents';
import { recordOutages, type OutageLog } from '../store/outages';
import type { Logger } from '../util/log';
import type { PublishOutbox } from './outbox';

export interface CommitDeps {
  store: IncidentStore;
  outbox: PublishOutbox;
  log: Logger;
  clock: () => number;
  /** Outage windows of closed incidents, for the status page's 90 days (optional). */
  outages?: OutageLog;
}

/** A moderator action the engine refused: nothing was written. */
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
 * Commits one step of `network`. `batchId` makes it idempotent: a retried job whose batch was
 * already committed writes nothing and returns `duplicate: true`. `now` is read inside the
 * transaction, so a step retried after a conflict is judged at the time it really ran.
 */
export async function commitStep(
  deps: CommitDeps,
  network: Network,
  batchId: string,
  input: StepInput,
): Promise<ApplyResult<NetworkState>> {
  const result = await deps.store.apply<NetworkState>(network.name, batchId, initialNetworkState, (state) => {
    const next = step(state, input, network, deps.clock());
    // Thrown inside the transaction: a refused action writes nothing, not even its batch id.
    if (next.refused) throw new ActionRefused(next.refused, next.incident);
    return next;
  });
  if (result.incident) await deps.outbox.notify(result.incident);
  await recordOutages(deps.outages, network.name, result, deps.clock(), (err) =>
    deps.log.warn({ network: network.name, err: err.message }, 'outage record not written'),
  );
  for (const e of result.events) {
    deps.log.info({ network: network.name, incident: e.incidentId, event: e.type, status: e.status, severity: e.severity }, e.text);
  }
  return result;
}
