// In-memory state of the fake X API: users, posts (searchable community posts and the
// account's own posts), rate-limit windows, injected faults and the request log.
import type { StoredMedia } from './media';
import { Faults, type FaultScript as BaseFaultScript, type HeldRequest } from '../faults';

/** X's snowflake epoch (ms): ids encode their creation time in the bits above 22. */
export const TWITTER_EPOCH = 1288834974657n;

export function snowflakeTime(id: string): number | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return Number((BigInt(id) >> 22n) + TWITTER_EPOCH);
}

export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export type AuthKind = 'bearer' | 'oauth1' | 'none';

export interface RecordedRequest {
  method: string;
  /** e.g. `/2/tweets/search/recent` (no query string). */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, undefined when there was none. */
  body: unknown;
  /** Which kind of Authorization header came (its value is never recorded). */
  auth: AuthKind;
  /** The credentials were accepted (bearer token known, OAuth 1.0a signature valid). */
  authValid: boolean;
  /** The user of an accepted OAuth 1.0a request. */
  userId?: string;
  status: number;
  at: number;
}

export interface RequestMatch {
  method?: string;
  /** A regular expression, or an exact path such as `/2/tweets`. */
  path: RegExp | string;
  /** Query parameters that must be present and match, e.g. `{ next_token: /./ }` (later pages only). */
  query?: Record<string, RegExp | string>;
}

export type FailAnswer = { status: 429; resetInSec?: number } | { status: 500 | 502 | 503 | 504 };

export type FaultScript = BaseFaultScript<FailAnswer>;
export type { HeldRequest };

export function matches(m: RequestMatch, method: string, path: string, query: URLSearchParams = new URLSearchParams()): boolean {
  const pathOk = typeof m.path === 'string' ? m.path === path : m.path.test(path);
  const queryOk = Object.entries(m.query ?? {}).every(([k, want]) => {
    const got = query.get(k);
    return got !== null && (typeof want === 'string' ? got === want : want.test(got));
  });
  return (!m.method || m.method.toUpperCase() === method.toUpperCase()) && pathOk && queryOk;
}

export interface FakeUser {
  id: string;
  username: string;
  name: string;
  createdAt: number;
  followers: number;
}

/** A user that can sign requests (OAuth 1.0a user context): the auto-posting account. */
export interface FakeAccount {
  userId: string;
  username: string;
  name?: string;
  accessToken: string;
  accessSecret: string;
}

export interface StoredPost {
  id: string;
  text: string;
  lang: string;
  authorId: string;
  createdAt: number;
  retweet: boolean;
  retweetOf?: string;
  inReplyTo?: string;
  inReplyToUserId?: string;
  conversationId: string;
  /** Created through POST /2/tweets (the account's own post). */
  viaApi: boolean;
  /** `media.media_ids` of the post; X then shows a t.co link to the media at the end of `text`. */
  mediaIds?: string[];
  /** The text as sent (what the duplicate check compares), when `text` differs. */
  sentText?: string;
}

export interface NewPost {
  id?: string;
  text: string;
  lang?: string;
  authorId: string;
  username: string;
  /** ms epoch or ISO string; default now. */
  createdAt?: number | string;
  authorCreatedAt?: number | string;
  followers?: number;
  retweet?: boolean;
}

/** Rate-limit buckets the fake advertises (requests per window), from X's current limits table. */
export type Endpoint = 'search' | 'createPost' | 'usersMe' | 'userTweets' | 'mediaUpload' | 'mediaStatus' | 'mediaMetadata';
export const DEFAULT_LIMITS: Record<Endpoint, { app?: number; user: number }> = {
  search: { app: 450, user: 300 },
  createPost: { user: 100 },
  usersMe: { user: 75 },
  userTweets: { app: 1500, user: 900 },
  // initialize, append and finalize each 1,875 per 15 min per user (one bucket here); STATUS 1,000; metadata 500.
  mediaUpload: { user: 1875 },
  mediaStatus: { user: 1000 },
  mediaMetadata: { user: 500 },
};
/** POST /2/tweets: 10,000 per 24 h per app (x-app-limit-24hour-*). */
export const CREATE_POST_APP_DAY = 10_000;

export interface Window {
  limit: number;
  used: number;
  resetAt: number;
}

export class FakeXState {
  readonly users = new Map<string, FakeUser>();
  readonly posts = new Map<string, StoredPost>();
  /** Uploaded media by media id (./media.ts). */
  readonly media = new Map<string, StoredMedia>();
  readonly requests: RecordedRequest[] = [];
  readonly faults = new Faults<RequestMatch, FailAnswer>(matches);
  readonly windows = new Map<string, Window>();
  private seq = 0;

  constructor(
    readonly now: () => number,
    readonly limits: Record<Endpoint, { app?: number; user: number }>,
    readonly windowMs: number,
  ) {}

  /** A fresh snowflake for `at`, unique within this fake. */
  newId(at: number): string {
    const ms = BigInt(Math.max(Math.trunc(at), Number(TWITTER_EPOCH)));
    for (;;) {
      this.seq = (this.seq + 1) & 0x3fffff;
      const id = (((ms - TWITTER_EPOCH) << 22n) | BigInt(this.seq)).toString();
      if (!this.posts.has(id)) return id;
    }
  }

  upsertUser(u: { id: string; username: string; name?: string; createdAt?: number; followers?: number }): FakeUser {
    const prev = this.users.get(u.id);
    const user: FakeUser = {
      id: u.id,
      username: u.username,
      name: u.name ?? prev?.name ?? u.username,
      createdAt: u.createdAt ?? prev?.createdAt ?? Date.parse('2020-01-01T00:00:00Z'),
      followers: u.followers ?? prev?.followers ?? 100,
    };
    this.users.set(u.id, user);
    return user;
  }

  /** Counts one request in its window; returns the window after counting (used > limit: over). */
  hit(key: string, limit: number, windowMs = this.windowMs): Window {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { limit, used: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.used += 1;
    return w;
  }

  peek(key: string, limit: number): Window {
    const w = this.windows.get(key);
    if (!w || w.resetAt <= this.now()) return { limit, used: 0, resetAt: this.now() + this.windowMs };
    return w;
  }
}
