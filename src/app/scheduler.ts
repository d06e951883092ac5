import {
  syncConnectivityScheduler,
  syncHeartbeatScheduler,
  syncPollSchedulers,
  syncProbeSchedulers,
  syncSocialPollScheduler,
  syncStatusPageSchedulers,
  syncTelemetrySchedulers,
} from '../queue/schedulers';
import type { AppContext } from './context';

/**
 * The scheduler role: one BullMQ Job Scheduler per network for its polls and node telemetry,
 * one for X search and one for the heartbeat. Upserts are idempotent, so any number of scheduler processes converge
 * on the config, and schedulers of networks that left the config are removed.
 */
export async function startScheduler(ctx: AppContext): Promise<void> {
  const { config, log, queues } = ctx;
  const { removed } = await syncPollSchedulers(queues.poll, config.networks);
  log.info({ networks: config.networks.map((n) => n.name), removed }, 'poll schedulers in place');
  const telemetry = await syncTelemetrySchedulers(queues.telemetry, config.networks);
  log.info(telemetry, 'node telemetry schedulers in place');
  const probes = await syncProbeSchedulers(queues.probe, config.networks);
  if (probes.probes > 0 || probes.removed.length > 0) log.info(probes, 'inclusion probe schedulers in place');
  const pages = await syncStatusPageSchedulers(queues.statusPage, config.networks);
  if (pages.pages > 0 || pages.removed.length > 0) log.info(pages, 'status page schedulers in place');
  if (queues.socialPoll) await syncSocialPollScheduler(queues.socialPoll);
  const heartbeat = await syncHeartbeatScheduler(queues.heartbeat, config.heartbeat);
  if (heartbeat !== 'none')
    log.info({ heartbeat: config.heartbeat?.kind ?? null, everyMs: config.heartbeat?.everyMs ?? null }, `heartbeat scheduler ${heartbeat}`);
  const connectivity = await syncConnectivityScheduler(queues.watcher, config.connectivity);
  if (connectivity !== 'none')
    log.info({ checks: config.connectivity?.checks.map((c) => c.label) ?? [] }, `connectivity checks ${connectivity}`);
  await ctx.watcher.forget(config.networks.map((n) => n.name));
  if (config.networks.length === 1 && !config.connectivity) {
    log.warn(
      { network: config.networks[0]!.name },
      "one network and no connectivity.checks: if chainwatch's own connectivity fails, that cannot be told from the network's outage (add connectivity.checks or more networks)",
    );
  }
}
