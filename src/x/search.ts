/**
 * X recent search (GET /2/tweets/search/recent) -> Posts. Bounded: at most `maxPages` pages of
 * `maxResults` posts per call. Each post returned is billed (pay-per-use "Posts: Read"), so
 * `reads` counts every post X returned, retweets and duplicates included.
 *
 * Cursor: pass the previous call's `newestId` as `sinceId`; X then returns only newer posts,
 * newest first, paged with next_token. When the page bound cuts a burst short (`truncated`),
 * the posts between the cursor and the oldest page read are skipped on purpose: the newest
 * reports matter most and the bound caps the bill.
 */
import type { TweetV2, TwitterApiReadOnly, UserV2 } from 'twitter-api-v2';
import type { Post } from '../model';
import { toXError, type XRateLimit, XRateLimitedError } from './errors';

export { XRateLimitedError } from './errors';

export interface SearchRecentOptions {
  query: string;
  /** Only posts newer than this id (the cursor); null/undefined for the first poll. */
  sinceId?: string | null;
  /** Default 3. */
  maxPages?: number;
  /** Posts per page, 10..100 (X's bounds). Default 100. */
  maxResults?: number;
  /** Clock for the since_id age check and a 429 without reset header; default Date.now. */
  now?: () => number;
}

export interface SearchRecentResult {
  posts: Post[];
  /** Newest post id seen (the next cursor), or null when nothing came back. */
  newestId: string | null;
  /** Posts X returned (billed), before dropping retweets and duplicates. */
  reads: number;
  /** Requests made. */
  pages: number;
  /** More pages were available than maxPages allowed. */
  truncated: boolean;
  /** From the last answer. */
  rateLimit: { remaining: number; reset: number } | null;
  /** The sinceId was older than X accepts (7 days) and was left out. */
  sinceIdDropped: boolean;
}

/** A 429 part-way: what the earlier pages returned (already billed) rides along on the error. */
export interface PartialSearch {
  partial: SearchRecentResult;
}

/** The pages read before a 429 cut a search short (null when the first page failed). */
export function partialResult(err: unknown): SearchRecentResult | null {
  return err instanceof XRateLimitedError && 'partial' in err ? (err as XRateLimitedError & PartialSearch).partial : null;
}

export const TWEET_FIELDS = ['created_at', 'lang', 'author_id', 'referenced_tweets'] as const;
export const USER_FIELDS = ['created_at', 'public_metrics'] as const;
const TWITTER_EPOCH = 1288834974657n;
/** X rejects since_id older than seven days; keep an hour of margin. */
const MAX_SINCE_AGE_MS = 7 * 24 * 3600_000 - 3600_000;

/** Creation time encoded in a snowflake id, or null when the id is not one. */
export function snowflakeTime(id: string): number | null {
  if (!/^\d{15,19}$/.test(id)) return null;
  return Number((BigInt(id) >> 22n) + TWITTER_EPOCH);
}

/** False when X would reject this since_id as older than seven days. */
export function sinceIdUsable(id: string, now: number): boolean {
  const t = snowflakeTime(id);
  return t === null || now - t < MAX_SINCE_AGE_MS;
}

export function postUrl(username: string, id: string): string {
  return `https://x.com/${username}/status/${id}`;
}

function isRetweet(t: TweetV2): boolean {
  return (t.referenced_tweets ?? []).some((r) => r.type === 'retweeted') || /^RT @\w+:/.test(t.text);
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const n = Date.parse(s);
  return Number.isFinite(n) ? n : undefined;
}

/** One X post and its author (from includes.users) as a Post. */
export function toPost(t: TweetV2, author: UserV2 | undefined, fallbackNow: number): Post {
  const username = author?.username ?? t.author_id ?? 'unknown';
  const post: Post = {
    source: 'x',
    id: t.id,
    author: username,
    text: t.text,
    createdAt: parseTime(t.created_at) ?? snowflakeTime(t.id) ?? fallbackNow,
    url: postUrl(author?.username ?? 'i/web', t.id),
  };
  if (t.author_id) post.authorId = t.author_id;
  if (t.lang) post.lang = t.lang;
  const authorCreatedAt = parseTime(author?.created_at);
  if (authorCreatedAt !== undefined) post.authorCreatedAt = authorCreatedAt;
  const followers = author?.public_metrics?.followers_count;
  if (typeof followers === 'number') post.authorFollowers = followers;
  return post;
}

function normText(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

function maxId(a: string | null, b: string | undefined): string | null {
  if (!b) return a;
  if (a === null) return b;
  return BigInt(b) > BigInt(a) ? b : a;
}

export async function searchRecentPosts(read: TwitterApiReadOnly, opts: SearchRecentOptions): Promise<SearchRecentResult> {
  const now = opts.now ?? Date.now;
  const maxPages = Math.max(1, Math.floor(opts.maxPages ?? 3));
  const maxResults = Math.min(100, Math.max(10, Math.floor(opts.maxResults ?? 100)));
  const sinceIdDropped = !!opts.sinceId && !sinceIdUsable(opts.sinceId, now());
  const params = {
    max_results: maxResults,
    'tweet.fields': [...TWEET_FIELDS],
    expansions: ['author_id' as const],
    'user.fields': [...USER_FIELDS],
    ...(opts.sinceId && !sinceIdDropped ? { since_id: opts.sinceId } : {}),
  };

  const result: SearchRecentResult = {
    posts: [],
    newestId: null,
    reads: 0,
    pages: 0,
    truncated: false,
    rateLimit: null,
    sinceIdDropped,
  };
  const seenIds = new Set<string>();
  const seenTexts = new Set<string>();

  try {
    let page = await read.v2.search(opts.query, params);
    for (;;) {
      result.pages += 1;
      const rl: Partial<XRateLimit> = page.rateLimit;
      if (typeof rl.remaining === 'number' && typeof rl.reset === 'number') result.rateLimit = { remaining: rl.remaining, reset: rl.reset };
      const tweets = page.tweets;
      result.reads += tweets.length;
      result.newestId = maxId(result.newestId, page.meta.newest_id);
      const users = new Map((page.includes.users ?? []).map((u) => [u.id, u]));
      for (const t of tweets) {
        result.newestId = maxId(result.newestId, t.id);
        if (seenIds.has(t.id) || isRetweet(t)) continue;
        seenIds.add(t.id);
        const textKey = `${t.author_id ?? ''}\u0000${normText(t.text)}`;
        if (seenTexts.has(textKey)) continue;
        seenTexts.add(textKey);
        result.posts.push(toPost(t, t.author_id ? users.get(t.author_id) : undefined, now()));
      }
      if (!page.meta.next_token || tweets.length === 0) break;
      if (result.pages >= maxPages) {
        result.truncated = true;
        break;
      }
      page = await page.next(maxResults);
    }
  } catch (e) {
    const err = toXError(e, now());
    if (err instanceof XRateLimitedError && result.pages > 0) Object.assign(err, { partial: result } satisfies PartialSearch);
    throw err;
  }
  return result;
}
