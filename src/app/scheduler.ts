import { syncPollSchedulers, syncSocialPollScheduler, syncTelemetrySchedulers } from '../queue/schedulers';
import type { AppContext } from './context';

/**
 * The scheduler role: one BullMQ Job Scheduler per network for its polls and node telemetry,
 * and one for X search. Upserts are idempotent, so any number of scheduler processes converge
 * on the config, and schedulers of networks that left the config are removed.
 */
export async function startScheduler(ctx: AppContext): Promise<void> {
  const { config, log, queues } = ctx;
  const { removed } = await syncPollSchedulers(queues.poll, config.networks);
  log.info({ networks: config.networks.map((n) => n.name), removed }, 'poll schedulers in place');
  const telemetry = await syncTelemetrySchedulers(queues.telemetry, config.networks);
  log.info(telemetry, 'node telemetry schedulers in place');
  if (queues.socialPoll) await syncSocialPollScheduler(queues.socialPoll);
}
