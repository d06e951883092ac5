import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { APIMessage, RESTAPIAttachment, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { DiscordConfig } from '../config';
import type { Network } from '../config/network';
import {
  type Head,
  type Incident,
  type IncidentEvent,
  isClosingEvent,
  isSilenced,
  type Publication,
  type Publisher,
  type Silence,
} from '../model';
import { DeliveryError } from '../publish/delivery';
import type { IncidentImage, IncidentImageSource } from '../publish/image/incident-image';
import { THREAD_ALREADY_CREATED, toDeliveryError } from './errors';
import { ATTACHMENT_DESCRIPTION_MAX, truncate } from './limits';
import { renderRoot, renderThreadEvent, renderThreadName } from './render';

export interface DiscordPublisherDeps {
  rest: REST;
  config: DiscordConfig;
  networks: ReadonlyMap<string, Network>;
  silenceOf: (network: string) => Promise<Silence | null>;
  headOf: (network: string) => Promise<Pick<Head, 'number' | 'timestamp'> | null>;
  /** Archive the thread at `at` (a delayed job), once the incident is closed. */
  scheduleArchive: (threadId: string, incidentId: string, at: number) => Promise<void>;
  /** The incident picture for the root message; absent: no pictures (`discord.images: false`). */
  image?: IncidentImageSource;
  log?: { warn(obj: object, msg: string): void };
  clock?: () => number;
  /** The incident's status page, when a public URL is configured: the embed links to it. */
  incidentUrl?: (incidentId: string) => string | undefined;
}

/** A file part of a multipart request, as @discordjs/rest takes it. */
interface RawFile {
  name: string;
  data: Buffer;
  contentType: string;
}

interface RenderAt {
  now: number;
  head: Pick<Head, 'number' | 'timestamp'> | null;
  /** A maintenance silence holds the network's public posts: the card says so, nothing pings. */
  silenced: boolean;
}

/**
 * Threads archive themselves after a week without messages (the longest Discord allows:
 * 60, 1440, 4320 or 10080 minutes); a closed incident's thread is archived sooner by the
 * archive job (`discord.archiveAfter`).
 */
const THREAD_AUTO_ARCHIVE_MINUTES = 10080;

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

  async deliver(
    event: IncidentEvent,
    incident: Incident,
    pub: Publication,
    checkpoint?: (ids: Record<string, string>) => Promise<void>,
  ): Promise<Record<string, string>> {
    const now = this.clock();
    const [silence, head] = await Promise.all([this.deps.silenceOf(event.network), this.deps.headOf(event.network).catch(() => null)]);
    const silenced = isSilenced(silence, now);
    const at = { now, head, silenced };
    const closing = isClosingEvent(event);
    if (!pub.ids.rootMessageId) {
      // Not public yet: suspected incidents wait for confirmation, silenced networks for the
      // end of the maintenance window, and one closed before it ever went public stays quiet.
      if (event.status === 'suspected' || silenced || closing) return {};
      const root = await this.postRoot(incident, at);
      // Saved before the thread is started: if starting it fails for longer than Discord
      // keeps the root's nonce, a retry must start the thread, not post a second root.
      await checkpoint?.(root);
      await this.startThread(root.channelId, root.rootMessageId, incident);
      if (event.type !== 'opened') await this.postInThread(root.rootMessageId, event, incident, now);
      return { ...root, threadId: root.rootMessageId };
    }
    let started: Record<string, string> = {};
    if (!pub.ids.threadId) {
      // An earlier attempt posted the root and was cut off before its thread was started.
      await this.startThread(pub.ids.channelId!, pub.ids.rootMessageId, incident);
      started = { threadId: pub.ids.rootMessageId };
      pub = { ...pub, ids: { ...pub.ids, ...started } };
      if (event.type === 'opened') return started;
    }
    const { channelId, rootMessageId, threadId } = pub.ids as { channelId: string; rootMessageId: string; threadId: string };
    const route = Routes.channelMessage(channelId, rootMessageId);
    // Every edit of the card redraws the picture (so it shows the incident so far, and the
    // resolution the whole of it) and sends it with the edit, replacing the old one. An edit
    // that only referred to the uploaded file by `attachment://` would rest on behaviour
    // Discord does not document for edits, and clients have shown such images twice
    // (discord/discord-api-docs#5675).
    const image = await this.picture(incident, now);
    const kept = pub.ids.rootImage;
    const refreshed = await this.withPicture('edit root message', image, (img) =>
      // API v10: `attachments` lists every file the message keeps; only the new one here
      // (its id is the index of files[n]), so the old picture is replaced, not appended.
      this.deps.rest.patch(route, {
        body: { ...this.root(incident, false, at, img.filename), attachments: [attachmentMeta(img)] },
        files: [fileOf(img)],
      }),
    );
    if (!refreshed) {
      // No new picture: without an `attachments` key the message keeps its files (Edit
      // Message), and the embed names the last picture (best effort until the next edit).
      await this.call('edit root message', () => this.deps.rest.patch(route, { body: this.root(incident, false, at, kept) })).catch(
        (err: unknown) => {
          // A card Discord refuses to edit for good (deleted: 404) must not keep the event from the thread.
          if (!(err instanceof DeliveryError && err.delivery.kind === 'fatal')) throw err;
          this.deps.log?.warn(
            { sink: 'discord', incidentId: incident.id, err: err.message },
            'root message not updated; posting in the thread anyway',
          );
        },
      );
    }
    // During a silence the card shows the maintenance line and the thread stays quiet.
    if (silenced) return { ...started, ...(refreshed && kept !== image!.filename ? { rootImage: image!.filename } : {}) };
    // The thread message goes last: a create is the one request a retry must not repeat once
    // Discord has forgotten its nonce (minutes), so an edit failing for a while (5xx, 429) is
    // retried before anything is posted, never after (found by the api-outage drill).
    await this.postInThread(threadId, event, incident, now);
    if (closing) await this.deps.scheduleArchive(threadId, incident.id, now + this.deps.config.archiveAfterMs);
    return { ...started, ...(refreshed && kept !== image!.filename ? { rootImage: image!.filename } : {}) };
  }

  /** The picture, or null: rendering may fail (no history, a bug) and must never hold back the words. */
  private async picture(incident: Incident, now: number): Promise<IncidentImage | null> {
    if (!this.deps.image) return null;
    try {
      return await this.deps.image(incident, now);
    } catch (err) {
      this.deps.log?.warn(
        { sink: 'discord', incidentId: incident.id, err: (err as Error)?.message ?? String(err) },
        'incident picture not rendered; posting without it',
      );
      return null;
    }
  }

  /**
   * Sends with the picture; a payload Discord refuses for good (400 attachment, 413 too
   * large, 403 no Attach Files permission) is logged and reported as not sent, so the caller
   * sends the words alone. Rate limits and transient errors throw as usual (the retry sends
   * the same request, and the nonce keeps a create from posting twice).
   */
  private async withPicture<T>(what: string, image: IncidentImage | null, send: (img: IncidentImage) => Promise<T>): Promise<T | null> {
    if (!image) return null;
    try {
      return await this.call(`${what} with picture`, () => send(image));
    } catch (err) {
      if (!(err instanceof DeliveryError && err.delivery.kind === 'fatal')) throw err;
      this.deps.log?.warn({ sink: 'discord', err: err.message }, 'Discord refused the incident picture; sending without it');
      return null;
    }
  }

  private async postRoot(incident: Incident, at: RenderAt): Promise<{ channelId: string; rootMessageId: string; rootImage?: string }> {
    const channelId = this.deps.config.channels.networks[incident.network] ?? this.deps.config.channels.default;
    const route = Routes.channelMessages(channelId);
    const nonce = { nonce: nonceFor(incident.id, 'root'), enforce_nonce: true };
    const image = await this.picture(incident, at.now);
    const withImage = (await this.withPicture('post root message', image, (img) =>
      this.deps.rest.post(route, {
        body: { ...this.root(incident, true, at, img.filename), ...nonce, attachments: [attachmentMeta(img)] },
        files: [fileOf(img)],
      }),
    )) as APIMessage | null;
    const message =
      withImage ??
      ((await this.call('post root message', () =>
        this.deps.rest.post(route, { body: { ...this.root(incident, true, at), ...nonce } }),
      )) as APIMessage);
    return { channelId, rootMessageId: message.id, ...(withImage && image ? { rootImage: image.filename } : {}) };
  }

  /** The thread id is the root message's id; a second start is refused (160004), which is fine. */
  private async startThread(channelId: string, rootMessageId: string, incident: Incident): Promise<void> {
    const networkName = this.deps.networks.get(incident.network)?.displayName ?? incident.network;
    try {
      await this.deps.rest.post(Routes.threads(channelId, rootMessageId), {
        body: { name: renderThreadName(incident, networkName), auto_archive_duration: THREAD_AUTO_ARCHIVE_MINUTES },
      });
    } catch (err) {
      if (!(err instanceof DiscordAPIError && err.code === THREAD_ALREADY_CREATED)) throw toDeliveryError(err, 'start thread');
    }
  }

  private async postInThread(threadId: string, event: IncidentEvent, incident: Incident, now: number): Promise<void> {
    const body = { ...renderThreadEvent(event, incident, now), nonce: nonceFor(incident.id, `e${event.seq}`), enforce_nonce: true };
    await this.call('post thread message', () => this.deps.rest.post(Routes.channelMessages(threadId), { body }));
  }

  private root(incident: Incident, ping: boolean, at: RenderAt, imageName?: string): RESTPostAPIChannelMessageJSONBody {
    const network = this.deps.networks.get(incident.network);
    const incidentUrl = this.deps.incidentUrl?.(incident.id);
    return renderRoot(
      incident,
      {
        networkName: network?.displayName ?? incident.network,
        head: at.head,
        ...(network?.explorerUrl ? { explorerUrl: network.explorerUrl } : {}),
        ...(this.deps.config.pingRoleId ? { pingRoleId: this.deps.config.pingRoleId } : {}),
        ...(imageName ? { imageName } : {}),
        ...(incidentUrl ? { incidentUrl } : {}),
        ping,
        silenced: at.silenced,
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

/** The new attachment's metadata: id 0 is files[0]; the description is its alt text. */
function attachmentMeta(image: IncidentImage): RESTAPIAttachment {
  return { id: 0, filename: image.filename, description: truncate(image.alt, ATTACHMENT_DESCRIPTION_MAX) };
}

function fileOf(image: IncidentImage): RawFile {
  return { name: image.filename, data: image.png, contentType: 'image/png' };
}
