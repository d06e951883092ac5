import type { Queue } from 'bullmq';
import type { REST } from 'discord.js';
import { chainView } from '../chain/detectors';
import type { AppConfig } from '../config';
import type { Network } from '../config/network';
import type { NetworkState } from '../incidents/evaluate-chain';
import type { SilenceStore } from '../incidents/silences';
import type { IncidentStore } from '../incidents/store';
import type { Logger } from '../log';
import { ConsolePublisher } from '../publish/console/publisher';
import { DiscordPublisher } from '../publish/discord/publisher';
import { createDiscordRest } from '../publish/discord/rest';
import type { Publisher } from '../publish/types';
import type { DiscordArchiveJobData } from '../../jobs/discord-archive';

/** Discord when configured; the console (dry run) when no credentials are. */
export function createPublishers(
  config: AppConfig,
  deps: {
    networks: ReadonlyMap<string, Network>;
    store: IncidentStore;
    silences: SilenceStore;
    log: Logger;
    clock: () => number;
    archiveQueue: Queue<DiscordArchiveJobData> | null;
  },
): { publishers: Publisher[]; rest: REST | null } {
  if (!config.discord || !deps.archiveQueue) return { publishers: [new ConsolePublisher(undefined, deps.networks)], rest: null };
  const rest = createDiscordRest(config.discord);
  const archiveQueue = deps.archiveQueue;
  const discord = new DiscordPublisher({
    rest,
    config: config.discord,
    networks: deps.networks,
    clock: deps.clock,
    silenceOf: (network) => deps.silences.get(network),
    headOf: async (network) => {
      const stored = await deps.store.readState<NetworkState>(network);
      const n = deps.networks.get(network);
      const head = stored && n ? chainView(stored.state.chain, n, deps.clock()).head : null;
      return head && { number: head.number, timestamp: head.timestamp };
    },
    scheduleArchive: async (threadId, incidentId, at) => {
      await archiveQueue.add('archive', { threadId, incidentId }, { jobId: `archive-${incidentId}-${at}`, delay: Math.max(0, at - deps.clock()) });
    },
  });
  return { publishers: [discord], rest };
}
