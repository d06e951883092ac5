import type { Job } from 'bullmq';
import { Routes, type REST } from 'discord.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ConnectivityConfig } from '../src/config/connectivity';
import { renderSightChange } from '../src/discord/render-operator';
import { toDeliveryError } from '../src/discord/errors';
import type { ChecksSight } from '../src/model';
import type { WatcherStore } from '../src/store/watcher';
import { runConnectivityChecks } from '../src/telemetry/connectivity';
import type { Logger } from '../src/util/log';

const AlertData = z.object({ blind: z.boolean(), since: z.number(), reason: z.string().max(1000) });
export type OperatorAlertJobData = z.infer<typeof AlertData>;

export interface WatcherDeps {
  watcher: WatcherStore;
  log: Logger;
  clock?: () => number;
  connectivity?: ConnectivityConfig;
  /** The operators' Discord channel, when configured: where chainwatch tells about itself. */
  operators?: { rest: REST; channelId: string };
}

/**
 * chainwatch watching itself, two jobs on one small queue: `connectivity` runs the checks of the
 * `connectivity:` section and records the round (src/store/watcher.ts); `operator-alert` tells
 * the operators' channel that chainwatch went blind or sees again (once per change: the job id
 * is the change's, and the message carries a nonce).
 */
export function createWatcherProcessor(deps: WatcherDeps) {
  const clock = deps.clock ?? Date.now;
  return async function watcher(job: Job): Promise<unknown> {
    if (job.name === 'connectivity') return connectivity(deps, clock);
    if (job.name === 'operator-alert') return alert(deps, AlertData.parse(job.data), clock());
    deps.log.warn({ job: job.name }, 'unknown watcher job; ignored');
    return null;
  };
}

async function connectivity(deps: WatcherDeps, clock: () => number): Promise<ChecksSight | null> {
  if (!deps.connectivity) return null;
  const results = await runConnectivityChecks(deps.connectivity.checks, deps.connectivity.timeoutMs);
  const now = clock();
  const failed = results.filter((r) => !r.ok);
  const before = (await deps.watcher.read()).checks;
  const failing = failed.length * 2 >= results.length;
  const checks: ChecksSight = {
    at: now,
    total: results.length,
    failed: failed.length,
    failingSince: failing ? (before?.failingSince ?? now) : null,
  };
  await deps.watcher.recordChecks(checks);
  const wasFailing = before?.failingSince !== null && before?.failingSince !== undefined;
  if (failing && !wasFailing) deps.log.warn({ failed: failed.map((r) => `${r.label}: ${r.reason}`) }, 'connectivity checks failing');
  else if (!failing && wasFailing) deps.log.info({ checks: results.length }, 'connectivity checks answer again');
  return checks;
}

async function alert(deps: WatcherDeps, change: OperatorAlertJobData, now: number): Promise<'posted' | 'logged'> {
  if (!deps.operators) return 'logged';
  const nonce = createHash('sha256').update(`sight:${change.blind}:${change.since}`).digest('base64url').slice(0, 25);
  const body = { ...renderSightChange(change, now), nonce, enforce_nonce: true };
  try {
    await deps.operators.rest.post(Routes.channelMessages(deps.operators.channelId), { body });
  } catch (err) {
    const e = toDeliveryError(err, 'post to the operators channel');
    if (e.delivery.kind === 'fatal') {
      deps.log.error({ reason: e.delivery.reason }, 'the operators channel refused the message; it is in the log only');
      return 'logged';
    }
    throw e;
  }
  return 'posted';
}
