import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { REST } from 'discord.js';
import { chainView } from '../engine/detectors';
import type { AppConfig, DiscordConfig } from '../config';
import type { Network } from '../config/network';
import type { NetworkState } from '../engine';
import type { SilenceStore } from '../store/silences';
import type { IncidentStore } from '../store/incidents';
import { archiveJobId, type Incident, type Keyspace, type Publisher } from '../model';
import type { Logger } from '../util/log';
import { ConsolePublisher } from '../console/publisher';
import type { HistoryStore } from '../store/history';
import { DiscordPublisher } from '../discord/publisher';
import { createIncidentImageSource, type IncidentImageSource } from '../publish/image/incident-image';
import { createDiscordRest } from '../discord/rest';
import type { PublicationStore } from '../store/publications';
import { createXPublisher, linkFromTemplate } from '../x/publisher';
import { incidentPageUrl } from '../http/links';
import type { DiscordArchiveJobData } from '../../jobs/discord-archive';

export interface PublisherDeps {
  networks: ReadonlyMap<string, Network>;
  store: IncidentStore;
  silences: SilenceStore;
  publications: PublicationStore;
  redis: Redis;
  keys: Keyspace;
  log: Logger;
  clock: () => number;
  archiveQueue: Queue<DiscordArchiveJobData> | null;
  /** Head and report history, for the incident pictures; absent: no pictures. */
  history?: Pick<HistoryStore, 'heads' | 'reports'>;
}

/** Discord and the X account where configured; the console (dry run) when neither is. */
export function createPublishers(config: AppConfig, deps: PublisherDeps): { publishers: Publisher[]; rest: REST | null } {
  const publishers: Publisher[] = [];
  let rest: REST | null = null;
  const history = deps.history;
  const images: IncidentImageSource | null = history
    ? createIncidentImageSource({ history, timeline: (id) => deps.store.getTimeline(id), networks: deps.networks })
    : null;
  if (config.discord && deps.archiveQueue) {
    rest = createDiscordRest(config.discord);
    const image = config.discord.images !== false ? images : null;
    publishers.push(discordPublisher(config.discord, rest, deps.archiveQueue, deps, image, (id) => incidentPageUrl(config, id)));
  }
  if (config.x?.user) {
    const discord = config.discord;
    publishers.push(
      createXPublisher({
        config: config.x,
        redis: deps.redis,
        keys: deps.keys,
        networks: deps.networks,
        clock: deps.clock,
        log: deps.log,
        ...(images && config.x.images !== false ? { image: images } : {}),
        // The root post links to the incident: the configured link, the status page, else its Discord thread.
        linkFor: config.x.incidentLink
          ? linkFromTemplate(config.x.incidentLink)
          : incidentPageUrl(config, '{id}')
            ? async (incident: Incident) => incidentPageUrl(config, incident.id) ?? null
            : async (incident: Incident) => (discord ? discordThreadLink(discord, incident, deps.publications) : null),
      }),
    );
  }
  if (publishers.length === 0) publishers.push(new ConsolePublisher(undefined, deps.networks));
  return { publishers, rest };
}

async function discordThreadLink(discord: DiscordConfig, incident: Incident, publications: PublicationStore): Promise<string | null> {
  if (!discord.guildId) return null;
  const { threadId } = (await publications.read('discord', incident.id)).ids;
  return threadId ? `https://discord.com/channels/${discord.guildId}/${threadId}` : null;
}

function discordPublisher(
  config: DiscordConfig,
  rest: REST,
  archiveQueue: Queue<DiscordArchiveJobData>,
  deps: PublisherDeps,
  image: IncidentImageSource | null,
  incidentUrl?: (incidentId: string) => string | undefined,
): DiscordPublisher {
  return new DiscordPublisher({
    rest,
    ...(incidentUrl ? { incidentUrl } : {}),
    config,
    networks: deps.networks,
    clock: deps.clock,
    log: deps.log,
    ...(image ? { image } : {}),
    silenceOf: (network) => deps.silences.get(network),
    headOf: async (network) => {
      const stored = await deps.store.readState<NetworkState>(network);
      const n = deps.networks.get(network);
      const head = stored && n ? chainView(stored.state.chain, n, deps.clock()).head : null;
      return head && { number: head.number, timestamp: head.timestamp };
    },
    scheduleArchive: async (threadId, incidentId, at) => {
      await archiveQueue.add(
        'archive',
        { threadId, incidentId },
        { jobId: archiveJobId(incidentId, at), delay: Math.max(0, at - deps.clock()) },
      );
    },
  });
}
