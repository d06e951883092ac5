import type { Queue } from 'bullmq';
import type { RedisClient } from '../store/redis-client';
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
import { createXPublisher, linkFromTemplate, ROOT_LINK_WAIT_MS, type CreateXPublisherOptions } from '../x/publisher';
import { incidentPageUrl } from '../http/links';
import type { DiscordArchiveJobData } from '../../jobs/discord-archive';

export interface PublisherDeps {
  networks: ReadonlyMap<string, Network>;
  store: IncidentStore;
  silences: SilenceStore;
  publications: PublicationStore;
  redis: RedisClient;
  keys: Keyspace;
  log: Logger;
  clock: () => number;
  archiveQueue: Queue<DiscordArchiveJobData> | null;
  /** Head and report history, for the incident pictures; absent: no pictures. */
  history?: Pick<HistoryStore, 'intervals' | 'reports'>;
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
    publishers.push(
      createXPublisher({
        config: config.x,
        redis: deps.redis,
        keys: deps.keys,
        networks: deps.networks,
        clock: deps.clock,
        log: deps.log,
        ...(images && config.x.images !== false ? { image: images } : {}),
        ...rootLink(config, deps.publications),
      }),
    );
  }
  if (publishers.length === 0) publishers.push(new ConsolePublisher(undefined, deps.networks));
  return { publishers, rest };
}

/**
 * The X root's link to the incident: the configured link, the status page, else its Discord
 * thread. The first two exist as soon as the incident does; the thread is created by the
 * Discord publisher, maybe after the X publisher runs, so then the root waits for it (bounded).
 */
function rootLink(config: AppConfig, publications: PublicationStore): Pick<CreateXPublisherOptions, 'linkFor' | 'rootLinkWaitMs'> {
  if (config.x?.incidentLink) return { linkFor: linkFromTemplate(config.x.incidentLink) };
  if (incidentPageUrl(config, '{id}')) return { linkFor: async (incident: Incident) => incidentPageUrl(config, incident.id) ?? null };
  const discord = config.discord;
  if (!discord?.guildId) return { linkFor: async () => null };
  return { linkFor: (incident: Incident) => discordThreadLink(discord, incident, publications), rootLinkWaitMs: ROOT_LINK_WAIT_MS };
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
