import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { APIMessage, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { DiscordConfig } from '../../config';
import type { Network } from '../../config/network';
import { isSilenced, type Silence } from '../../incidents/silences';
import type { Incident, IncidentEvent } from '../../incidents/types';
import type { Publication, Publisher } from '../types';
import { THREAD_ALREADY_CREATED, toDeliveryError } from './errors';
import { renderRoot, renderThreadEvent, renderThreadName } from './render';

export interface DiscordPublisherDeps {
  rest: REST;
  config: DiscordConfig;
  networks: ReadonlyMap<string, Network>;
  silenceOf: (network: string) => Promise<Silence | null>;
  headOf: (network: string) => Promise<{ number: number; timestamp: number } | null>;
  /** Archive the thread at `at` (a delayed job), once the incident is closed. */
  scheduleArchive: (threadId: string, incidentId: string, at: number) => Promise<void>;
  clock?: () => number;
}

interface RenderAt {
  now: number;
  head: { number: number; timestamp: number } | null;
}

/** Discord keeps a nonce for a few minutes; 25 characters at most. */
export function nonceFor(incidentId: string, part: string): string {
  return createHash('sha256').update(`${incidentId}:${part}`).digest('base64url').slice(0, 25);
}

/**
 * One incident = one root message in the network's alerts channel with a thread started from
 * it; every later event is a message in the thread, and the root embed is edited to show the
 * current status. Idempotent: messages carry a nonce with `enforce_nonce` (a retried create
 * returns the first message), and the thread id equals the root message id.
 */
export class DiscordPublisher implements Publisher {
  readonly sink = 'discord' as const;
  private readonly clock: () => number;

  constructor(private readonly deps: DiscordPublisherDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async deliver(event: IncidentEvent, incident: Incident, pub: Publication): Promise<Record<string, string>> {
    const now = this.clock();
    const [silence, head] = await Promise.all([this.deps.silenceOf(event.network), this.deps.headOf(event.network).catch(() => null)]);
    const silenced = isSilenced(silence, now);
    const at = { now, head };
    const closing = event.type === 'resolved' || event.type === 'dismissed';
    if (!pub.ids.rootMessageId) {
      // Not public yet: suspected incidents wait for confirmation, silenced networks for the
      // end of the maintenance window, and one closed before it ever went public stays quiet.
      if (event.status === 'suspected' || silenced || closing) return {};
      const ids = await this.openThread(incident, at);
      if (event.type !== 'opened') await this.postInThread(ids.threadId, event, incident, now);
      return ids;
    }
    if (silenced) return {};
    const { channelId, rootMessageId, threadId } = pub.ids as { channelId: string; rootMessageId: string; threadId: string };
    await this.postInThread(threadId, event, incident, now);
    await this.call('edit root message', () =>
      this.deps.rest.patch(Routes.channelMessage(channelId, rootMessageId), { body: this.root(incident, false, at) }),
    );
    if (closing) await this.deps.scheduleArchive(threadId, incident.id, now + this.deps.config.archiveAfterMs);
    return {};
  }

  private async openThread(incident: Incident, at: RenderAt): Promise<{ channelId: string; rootMessageId: string; threadId: string }> {
    const channelId = this.deps.config.channels.networks[incident.network] ?? this.deps.config.channels.default;
    const body = { ...this.root(incident, true, at), nonce: nonceFor(incident.id, 'root'), enforce_nonce: true };
    const message = (await this.call('post root message', () => this.deps.rest.post(Routes.channelMessages(channelId), { body }))) as APIMessage;
    const networkName = this.deps.networks.get(incident.network)?.displayName ?? incident.network;
    try {
      await this.deps.rest.post(Routes.threads(channelId, message.id), {
        body: { name: renderThreadName(incident, networkName), auto_archive_duration: 10080 },
      });
    } catch (err) {
      // A retry after the thread was made: Discord refuses a second thread, and the thread id
      // is the message id anyway.
      if (!(err instanceof DiscordAPIError && err.code === THREAD_ALREADY_CREATED)) throw toDeliveryError(err, 'start thread');
    }
    return { channelId, rootMessageId: message.id, threadId: message.id };
  }

  private async postInThread(threadId: string, event: IncidentEvent, incident: Incident, now: number): Promise<void> {
    const body = { ...renderThreadEvent(event, incident, now), nonce: nonceFor(incident.id, `e${event.seq}`), enforce_nonce: true };
    await this.call('post thread message', () => this.deps.rest.post(Routes.channelMessages(threadId), { body }));
  }

  private root(incident: Incident, ping: boolean, at: RenderAt): RESTPostAPIChannelMessageJSONBody {
    const network = this.deps.networks.get(incident.network);
    return renderRoot(
      incident,
      {
        networkName: network?.displayName ?? incident.network,
        head: at.head,
        ...(network?.explorerUrl ? { explorerUrl: network.explorerUrl } : {}),
        ...(this.deps.config.pingRoleId ? { pingRoleId: this.deps.config.pingRoleId } : {}),
        ping,
      },
      at.now,
    );
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toDeliveryError(err, what);
    }
  }
}
