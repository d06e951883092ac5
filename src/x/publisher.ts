import type { RedisClient } from '../store/redis-client';
import type { TwitterApi } from 'twitter-api-v2';
import type { XConfig } from '../config';
import type { Network } from '../config/network';
import type { Incident, IncidentEvent, IncidentStatus, Keyspace, Publication, Publisher } from '../model';
import { postCost, X_PRICES, type PostPrices } from './budget';
import { createXClients } from './client';
import { isDuplicateContent } from './errors';
import { SpendTracker } from './spend';
import { DeliveryError, MIN_RETRY_DELAY_MS } from '../publish/delivery';
import type { IncidentImageSource } from '../publish/image/incident-image';
import { refusedForCertain, toDeliveryError } from './delivery-errors';
import { InflightStore, type InflightPost } from './inflight';
import { uploadPicture } from './media';
import { decideXPost, DEFAULT_X_POST_SETTINGS, toldStatusOf, type XPostSettings, type XPostState } from './policy';
import { renderXPost } from './render';

export interface XPublisherSettings extends XPostSettings {
  /** Reads and posts together per calendar month (UTC); null: no limit. */
  monthlyBudgetUsd: number | null;
}

export interface XPublisherDeps {
  /** OAuth 1.0a user context of the auto-posting account. */
  write: TwitterApi;
  /** The account's user id (for its own timeline). */
  accountId: () => Promise<string>;
  settings: XPublisherSettings;
  spend?: SpendTracker;
  prices: PostPrices & { ownedReadUsd?: number };
  /** Link for the root post (Discord thread, status page), or null. */
  linkFor: (incident: Incident) => Promise<string | null>;
  /**
   * How long a root waits for `linkFor` to have a link (the Discord thread is created by
   * another publisher, maybe after this one runs); 0 or absent: the link never comes later.
   */
  rootLinkWaitMs?: number;
  networks: ReadonlyMap<string, Network>;
  inflight: InflightStore;
  /** The incident picture for the root post; absent: no pictures (`x.images: false`). */
  image?: IncidentImageSource;
  log?: { warn(obj: object, msg: string): void };
  clock?: () => number;
}

/** How long an X root waits for its Discord thread's link at most, and how often it looks. */
export const ROOT_LINK_WAIT_MS = 30_000;
const ROOT_LINK_RETRY_MS = 1000;

/** Reading the account's own posts: "Owned reads" (reference/apis.md §2, pricing). */
export const OWNED_READ_USD = 0.001;
/** How many of the account's newest posts a crash recovery looks through. */
export const RECOVERY_LOOKBACK = 20;

/** Ids kept in the Publication (strings: it is a Redis hash). */
export interface XPublicationIds {
  rootPostId?: string;
  lastPostId?: string;
  posted?: string;
  lastPostAt?: string;
  /** The status the thread last told. */
  toldStatus?: IncidentStatus;
}

export function xPostState(pub: Publication): XPostState {
  const ids = pub.ids as XPublicationIds;
  return {
    posted: Number(ids.posted ?? 0) || 0,
    lastPostAt: ids.lastPostAt ? Number(ids.lastPostAt) : null,
    rootPosted: Boolean(ids.rootPostId),
    toldStatus: ids.toldStatus ?? null,
  };
}

/** What X returns may differ in form: t.co links, `&amp;`, normalization, spacing. */
function comparable(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, '')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * One incident = one thread on the account: the root post, then each post a reply to the
 * previous (`reply.in_reply_to_tweet_id` = lastPostId), all chosen by the policy (policy.ts).
 *
 * Idempotent: before posting, an in-flight marker with the text is written (inflight.ts).
 * A retry that finds one with a post id records that id; one without (a crash left it unknown
 * whether X got the post) first looks for the text among the account's newest posts and posts
 * only if it is not there. X's duplicate-content 403 is answered the same way: look it up,
 * record it; never retried blindly.
 */
export class XPublisher implements Publisher {
  readonly sink = 'x' as const;
  private readonly clock: () => number;

  constructor(private readonly deps: XPublisherDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async deliver(event: IncidentEvent, incident: Incident, pub: Publication): Promise<Record<string, string>> {
    const state = xPostState(pub);
    const pending = await this.deps.inflight.get(incident.id, event.seq);
    if (pending) return this.resume(event, incident, pub, state, pending);

    const now = this.clock();
    const decision = decideXPost(event, incident, state, this.deps.settings, now);
    if (!decision.post) {
      if (decision.reason === 'too_soon') {
        // Still true and not yet told: wait for the interval instead of dropping it.
        throw new DeliveryError(
          { kind: 'retry-after', ms: Math.max(MIN_RETRY_DELAY_MS, decision.retryAt - now) },
          `X ${event.type} waits for the update interval`,
        );
      }
      const told = decision.reason === 'superseded' || decision.reason === 'already_told' || decision.reason === 'post_limit';
      return told ? { [`skipped_${event.seq}`]: decision.reason } : {};
    }
    const link = decision.kind === 'root' ? await this.deps.linkFor(incident) : null;
    if (decision.kind === 'root' && link === null) this.awaitLink(event, now);
    // Money is the hard limit; the resolution of a thread that went out is always told.
    if (decision.kind !== 'resolved' && (await this.overBudget(link !== null))) return { [`skipped_${event.seq}`]: 'budget' };
    const network = this.deps.networks.get(incident.network);
    const text = renderXPost(decision.kind, event, incident, { networkName: network?.displayName ?? incident.network, link, now });
    const post: InflightPost = {
      text,
      kind: decision.kind,
      withUrl: link !== null && text.includes(link),
      replyTo: decision.kind === 'root' ? null : (pub.ids.lastPostId ?? null),
      at: now,
      postId: null,
    };
    await this.deps.inflight.begin(incident.id, event.seq, post);
    return this.send(event, incident, pub, state, post);
  }

  /**
   * A root without its link is worse than the same root a few seconds later: while the link
   * may still come (the Discord thread is being created), wait for it, up to rootLinkWaitMs
   * after the event; then post without it, and say so.
   */
  private awaitLink(event: IncidentEvent, now: number): void {
    const wait = this.deps.rootLinkWaitMs ?? 0;
    if (wait <= 0) return;
    if (now - event.at < wait) {
      throw new DeliveryError({ kind: 'retry-after', ms: ROOT_LINK_RETRY_MS }, 'X root waits for its link (the Discord thread)');
    }
    this.deps.log?.warn({ incidentId: event.incidentId, waitedMs: now - event.at }, 'X root posted without its link: none came in time');
  }

  /** A marker was left: the post may have gone out. Find it before posting it again. */
  private async resume(
    event: IncidentEvent,
    incident: Incident,
    pub: Publication,
    state: XPostState,
    post: InflightPost,
  ): Promise<Record<string, string>> {
    if (post.postId) return this.ids(event, post, post.postId, state);
    const found = await this.findOwnPost(post.text, pub.ids.lastPostId ?? null);
    if (found) {
      await this.deps.spend?.recordPost(post.withUrl, this.deps.prices);
      await this.deps.inflight.posted(incident.id, event.seq, found);
      return this.ids(event, post, found, state);
    }
    // Not among the account's posts: it never went out. Same text, so X's duplicate check
    // still stands guard should it show up late.
    return this.send(event, incident, pub, state, post);
  }

  private async send(
    event: IncidentEvent,
    incident: Incident,
    pub: Publication,
    state: XPostState,
    post: InflightPost,
  ): Promise<Record<string, string>> {
    let id: string;
    try {
      id = await this.tweet(post, post.kind === 'root' ? await this.picture(incident) : null);
    } catch (err) {
      if (!isDuplicateContent(err)) {
        const d = toDeliveryError(err, `post ${post.kind} on X`, this.clock());
        if (refusedForCertain(d)) await this.deps.inflight.clear(incident.id, event.seq);
        throw d;
      }
      const found = await this.findOwnPost(post.text, pub.ids.lastPostId ?? null);
      if (!found) {
        await this.deps.inflight.clear(incident.id, event.seq);
        throw new DeliveryError(
          { kind: 'fatal', reason: 'duplicate content (same text as an older post)' },
          `post ${post.kind} on X: X refused it as a duplicate of a post not among the newest`,
        );
      }
      id = found;
    }
    await this.deps.inflight.posted(incident.id, event.seq, id);
    await this.deps.spend?.recordPost(post.withUrl, this.deps.prices);
    return this.ids(event, post, id, state);
  }

  /**
   * POST /2/tweets, with the picture when there is one. Should X refuse the post only for its
   * media (400), the words go out alone rather than not at all.
   */
  private async tweet(post: InflightPost, mediaId: string | null): Promise<string> {
    const body = { text: post.text, ...(post.replyTo ? { reply: { in_reply_to_tweet_id: post.replyTo } } : {}) };
    if (mediaId) {
      try {
        return (await this.deps.write.v2.tweet({ ...body, media: { media_ids: [mediaId] } })).data.id;
      } catch (err) {
        if ((err as { code?: unknown })?.code !== 400) throw err;
        this.deps.log?.warn({ sink: 'x', err: (err as Error).message }, 'X refused the post with its picture; posting the words alone');
      }
    }
    return (await this.deps.write.v2.tweet(body)).data.id;
  }

  /** Renders and uploads the picture; null on any failure (logged): a picture never holds back a post. */
  private async picture(incident: Incident): Promise<string | null> {
    if (!this.deps.image) return null;
    try {
      const image = await this.deps.image(incident, this.clock());
      const up = await uploadPicture(this.deps.write, image);
      if (!up.alt) this.deps.log?.warn({ sink: 'x', incidentId: incident.id }, 'alt text for the incident picture not accepted by X');
      return up.mediaId;
    } catch (err) {
      this.deps.log?.warn(
        { sink: 'x', incidentId: incident.id, err: (err as Error)?.message ?? String(err) },
        'incident picture not posted on X; posting without it',
      );
      return null;
    }
  }

  private ids(event: IncidentEvent, post: InflightPost, id: string, state: XPostState): Record<string, string> {
    const told = toldStatusOf(post.kind, event);
    return {
      ...(post.kind === 'root' ? { rootPostId: id } : {}),
      lastPostId: id,
      posted: String(state.posted + 1),
      lastPostAt: String(post.at),
      ...(told ? { toldStatus: told } : {}),
    };
  }

  /**
   * The account's newest posts (replies included: updates are replies) newer than the last
   * recorded one, searched for `text`. One request, billed as owned reads.
   */
  private async findOwnPost(text: string, sinceId: string | null): Promise<string | null> {
    const want = comparable(text);
    try {
      const me = await this.deps.accountId();
      const page = await this.deps.write.v2.userTimeline(me, {
        max_results: RECOVERY_LOOKBACK,
        exclude: ['retweets'],
        ...(sinceId ? { since_id: sinceId } : {}),
      });
      const tweets = page.tweets;
      if (tweets.length > 0) await this.deps.spend?.recordReads(tweets.length, this.deps.prices.ownedReadUsd ?? OWNED_READ_USD);
      return tweets.find((t) => comparable(t.text) === want)?.id ?? null;
    } catch (err) {
      throw toDeliveryError(err, 'look up own posts on X', this.clock());
    }
  }

  /** This post would take the month's spend past the budget. */
  private async overBudget(withLink: boolean): Promise<boolean> {
    const budget = this.deps.settings.monthlyBudgetUsd;
    if (budget === null || !this.deps.spend) return false;
    const spent = await this.deps.spend.spentThisMonth();
    return spent + postCost(withLink, this.deps.prices) > budget;
  }
}

export interface CreateXPublisherOptions {
  config: Pick<
    XConfig,
    'apiBaseUrl' | 'user' | 'monthlyBudgetUsd' | 'prices' | 'maxPostsPerIncident' | 'minUpdateIntervalMs' | 'incidentLink'
  >;
  redis: RedisClient;
  keys: Keyspace;
  networks: ReadonlyMap<string, Network>;
  /** Default: `config.incidentLink` with `{id}` replaced, else no link. */
  linkFor?: (incident: Incident) => Promise<string | null>;
  /** See XPublisherDeps.rootLinkWaitMs. */
  rootLinkWaitMs?: number;
  clock?: () => number;
  /** Default: a client from `config` (apiBaseUrl, user tokens). */
  write?: TwitterApi;
  /** Default: GET /2/users/me once, then remembered. */
  accountId?: () => Promise<string>;
  image?: IncidentImageSource;
  log?: { warn(obj: object, msg: string): void };
}

/** `https://status.example/{id}` -> the incident's page. */
export function linkFromTemplate(template: string | null): (incident: Incident) => Promise<string | null> {
  return async (incident) => (template ? template.replaceAll('{id}', encodeURIComponent(incident.id)) : null);
}

/** The X publisher as the app wires it: spend shared with the X source, markers in Redis. */
export function createXPublisher(opts: CreateXPublisherOptions): XPublisher {
  const { config } = opts;
  const clock = opts.clock ?? Date.now;
  const write = opts.write ?? createXClients({ apiBaseUrl: config.apiBaseUrl, ...(config.user ? { user: config.user } : {}) }).write;
  if (!write)
    throw new Error('the X publisher needs the posting account tokens (X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET)');
  let me: Promise<string> | null = null;
  const accountId =
    opts.accountId ??
    (() =>
      (me ??= write.v2.me().then(
        (r) => r.data.id,
        (err: unknown) => {
          me = null; // asked again next time
          throw err;
        },
      )));
  return new XPublisher({
    write,
    accountId,
    settings: {
      maxPostsPerIncident: config.maxPostsPerIncident ?? DEFAULT_X_POST_SETTINGS.maxPostsPerIncident,
      minUpdateIntervalMs: config.minUpdateIntervalMs ?? DEFAULT_X_POST_SETTINGS.minUpdateIntervalMs,
      monthlyBudgetUsd: config.monthlyBudgetUsd ?? null,
    },
    spend: new SpendTracker(opts.redis, opts.keys, clock),
    prices: {
      postUsd: config.prices?.postUsd ?? X_PRICES.postUsd,
      postWithUrlUsd: config.prices?.postWithUrlUsd ?? X_PRICES.postWithUrlUsd,
    },
    linkFor: opts.linkFor ?? linkFromTemplate(config.incidentLink),
    ...(opts.rootLinkWaitMs ? { rootLinkWaitMs: opts.rootLinkWaitMs } : {}),
    networks: opts.networks,
    inflight: new InflightStore(opts.redis, opts.keys),
    ...(opts.image ? { image: opts.image } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    clock,
  });
}
