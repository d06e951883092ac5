// The endpoints the fake serves, with X API v2's parameters, validation and response shapes
// (https://docs.x.com/x-api/posts/search-recent-posts, /posts/create-post, /users/user-lookup-me,
// /users/get-posts).
import twitterText from 'twitter-text';
import { type Answer, DUPLICATE_CONTENT, forbidden, invalidRequest } from './problems';
import { matchQuery, parseQuery, type QueryNode, QuerySyntaxError } from './query';
import { checkPostMedia, MEDIA_ROUTES } from './media';
import { compareIds, type Endpoint, type FakeUser, type FakeXState, snowflakeTime, type StoredPost } from './state';

export interface RouteContext {
  state: FakeXState;
  query: URLSearchParams;
  body: unknown;
  params: string[];
  /** The signing user of an OAuth 1.0a request. */
  userId?: string;
  settings: RouteSettings;
}

export interface RouteSettings {
  /** Reject since_id/until_id older than seven days and serve only the last seven days. */
  enforceRecentWindow: boolean;
}

export interface Route {
  method: string;
  pattern: RegExp;
  endpoint: Endpoint;
  /** OAuth 1.0a user context required (app-only bearer gets 403 Unsupported Authentication). */
  userContext: boolean;
  handler: (ctx: RouteContext) => Answer;
}

export const MAX_QUERY_LENGTH = 512;
export const MAX_POST_WEIGHTED_LENGTH = 280;
const SEVEN_DAYS = 7 * 24 * 3600_000;

const TWEET_FIELDS = new Set([
  'article',
  'attachments',
  'author_id',
  'card_uri',
  'community_id',
  'context_annotations',
  'conversation_id',
  'created_at',
  'display_text_range',
  'edit_controls',
  'edit_history_tweet_ids',
  'entities',
  'geo',
  'id',
  'in_reply_to_user_id',
  'lang',
  'media_metadata',
  'non_public_metrics',
  'note_tweet',
  'organic_metrics',
  'possibly_sensitive',
  'promoted_metrics',
  'public_metrics',
  'referenced_tweets',
  'reply_settings',
  'scopes',
  'source',
  'text',
  'withheld',
]);
const USER_FIELDS = new Set([
  'affiliation',
  'connection_status',
  'created_at',
  'description',
  'entities',
  'id',
  'is_identity_verified',
  'location',
  'most_recent_tweet_id',
  'name',
  'parody',
  'pinned_tweet_id',
  'profile_banner_url',
  'profile_image_url',
  'protected',
  'public_metrics',
  'receives_your_dm',
  'subscription',
  'subscription_type',
  'url',
  'username',
  'verified',
  'verified_followers_count',
  'verified_type',
  'withheld',
]);
const EXPANSIONS = new Set([
  'article.cover_media',
  'article.media_entities',
  'attachments.media_keys',
  'attachments.media_source_tweet',
  'attachments.poll_ids',
  'author_id',
  'edit_history_tweet_ids',
  'entities.mentions.username',
  'geo.place_id',
  'in_reply_to_user_id',
  'entities.note.mentions.username',
  'referenced_tweets.id',
  'referenced_tweets.id.author_id',
  'pinned_tweet_id',
]);

function list(q: URLSearchParams, name: string, allowed: Set<string>): Set<string> | Answer {
  const raw = q.get(name);
  if (raw === null || raw === '') return new Set();
  const items = raw.split(',');
  const bad = items.filter((i) => !allowed.has(i));
  if (bad.length > 0) {
    return invalidRequest(`The \`${name}\` query parameter value [${bad[0]}] is not one of [${[...allowed].join(',')}]`, { [name]: [raw] });
  }
  return new Set(items);
}

function isAnswer(x: unknown): x is Answer {
  return typeof x === 'object' && x !== null && 'status' in x;
}

function intParam(q: URLSearchParams, name: string, min: number, max: number, dflt: number): number | Answer {
  const raw = q.get(name);
  if (raw === null) return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    return invalidRequest(`The \`${name}\` query parameter value [${raw}] is not between ${min} and ${max}`, { [name]: [raw] });
  }
  return n;
}

function idParam(ctx: RouteContext, name: string): string | undefined | Answer {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,19}$/.test(raw))
    return invalidRequest(`The \`${name}\` query parameter value [${raw}] does not match ^[0-9]{1,19}$`, { [name]: [raw] });
  if (ctx.settings.enforceRecentWindow) {
    const t = snowflakeTime(raw)!;
    const oldest = ctx.state.now() - SEVEN_DAYS;
    if (t < oldest) {
      return invalidRequest(
        `Invalid '${name}':'${raw}'. '${name}' must be a tweet id created after ${new Date(oldest).toISOString()}. Please use a '${name}' that is not older than 7 days.`,
        { [name]: [raw] },
      );
    }
  }
  return raw;
}

/** Opaque page tokens: the id below which the next page starts, base64url-encoded. */
function encodeToken(beforeId: string): string {
  return Buffer.from(`before:${beforeId}`).toString('base64url');
}
function decodeToken(token: string): string | null {
  const s = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^before:(\d{1,19})$/.exec(s);
  return m ? m[1]! : null;
}

function renderTweet(p: StoredPost, fields: Set<string>, expansions: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: p.id, text: p.text, edit_history_tweet_ids: [p.id] };
  if (fields.has('author_id') || expansions.has('author_id')) out.author_id = p.authorId;
  if (fields.has('created_at')) out.created_at = new Date(p.createdAt).toISOString();
  if (fields.has('lang')) out.lang = p.lang;
  if (fields.has('conversation_id')) out.conversation_id = p.conversationId;
  if (fields.has('in_reply_to_user_id') && p.inReplyToUserId) out.in_reply_to_user_id = p.inReplyToUserId;
  if (fields.has('referenced_tweets')) {
    const refs: { type: string; id: string }[] = [];
    if (p.retweet && p.retweetOf) refs.push({ type: 'retweeted', id: p.retweetOf });
    if (p.inReplyTo) refs.push({ type: 'replied_to', id: p.inReplyTo });
    if (refs.length > 0) out.referenced_tweets = refs;
  }
  if (fields.has('public_metrics')) {
    out.public_metrics = { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0 };
  }
  return out;
}

export function renderUser(u: FakeUser, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
  if (fields.has('created_at')) out.created_at = new Date(u.createdAt).toISOString();
  if (fields.has('public_metrics')) {
    out.public_metrics = {
      followers_count: u.followers,
      following_count: 0,
      tweet_count: 0,
      listed_count: 0,
      like_count: 0,
      media_count: 0,
    };
  }
  if (fields.has('protected')) out.protected = false;
  if (fields.has('verified')) out.verified = false;
  return out;
}

interface PageInput {
  candidates: StoredPost[];
  maxResults: number;
  beforeId: string | null;
  tweetFields: Set<string>;
  userFields: Set<string>;
  expansions: Set<string>;
}

/** Newest first, one page, X's `data` / `includes` / `meta` envelope. */
function page(state: FakeXState, input: PageInput): Answer {
  const sorted = input.candidates
    .filter((p) => input.beforeId === null || compareIds(p.id, input.beforeId) < 0)
    .sort((a, b) => compareIds(b.id, a.id));
  const slice = sorted.slice(0, input.maxResults);
  if (slice.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
  const body: Record<string, unknown> = {
    data: slice.map((p) => renderTweet(p, input.tweetFields, input.expansions)),
  };
  if (input.expansions.has('author_id')) {
    const seen = new Set<string>();
    const users: Record<string, unknown>[] = [];
    for (const p of slice) {
      const u = state.users.get(p.authorId);
      if (u && !seen.has(u.id)) {
        seen.add(u.id);
        users.push(renderUser(u, input.userFields));
      }
    }
    body.includes = { users };
  }
  const meta: Record<string, unknown> = {
    newest_id: slice[0]!.id,
    oldest_id: slice.at(-1)!.id,
    result_count: slice.length,
  };
  if (sorted.length > slice.length) meta.next_token = encodeToken(slice.at(-1)!.id);
  body.meta = meta;
  return { status: 200, body };
}

function commonParams(ctx: RouteContext) {
  const tweetFields = list(ctx.query, 'tweet.fields', TWEET_FIELDS);
  if (isAnswer(tweetFields)) return tweetFields;
  const userFields = list(ctx.query, 'user.fields', USER_FIELDS);
  if (isAnswer(userFields)) return userFields;
  const expansions = list(ctx.query, 'expansions', EXPANSIONS);
  if (isAnswer(expansions)) return expansions;
  const sinceId = idParam(ctx, 'since_id');
  if (isAnswer(sinceId)) return sinceId;
  const untilId = idParam(ctx, 'until_id');
  if (isAnswer(untilId)) return untilId;
  return { tweetFields, userFields, expansions, sinceId, untilId };
}

function inIdRange(p: StoredPost, sinceId: string | undefined, untilId: string | undefined): boolean {
  return (sinceId === undefined || compareIds(p.id, sinceId) > 0) && (untilId === undefined || compareIds(p.id, untilId) < 0);
}

function search(ctx: RouteContext): Answer {
  const q = ctx.query.get('query');
  if (q === null || q.trim() === '') return invalidRequest('The `query` query parameter can not be empty', { query: [q ?? ''] });
  const length = Array.from(q).length;
  if (length > MAX_QUERY_LENGTH) {
    return invalidRequest(
      `There were errors processing your request: Query is too long: ${length} characters. Your query must be ${MAX_QUERY_LENGTH} characters or fewer.`,
      { query: [q] },
    );
  }
  let node: QueryNode;
  try {
    node = parseQuery(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return invalidRequest(`There were errors processing your request: ${e.message}`, { query: [q] });
    throw e;
  }
  const maxResults = intParam(ctx.query, 'max_results', 10, 100, 10);
  if (isAnswer(maxResults)) return maxResults;
  const common = commonParams(ctx);
  if (isAnswer(common)) return common;
  const token = ctx.query.get('next_token') ?? ctx.query.get('pagination_token');
  const beforeId = token === null ? null : decodeToken(token);
  if (token !== null && beforeId === null) {
    return invalidRequest(`The \`next_token\` query parameter value [${token}] is not valid`, { next_token: [token] });
  }
  const oldest = ctx.settings.enforceRecentWindow ? ctx.state.now() - SEVEN_DAYS : -Infinity;
  const candidates = [...ctx.state.posts.values()].filter((p) => {
    if (p.createdAt < oldest || !inIdRange(p, common.sinceId, common.untilId)) return false;
    const author = ctx.state.users.get(p.authorId);
    const parent = p.inReplyToUserId ? ctx.state.users.get(p.inReplyToUserId) : undefined;
    return matchQuery(node, {
      text: p.text,
      lang: p.lang,
      username: author?.username ?? '',
      retweet: p.retweet,
      ...(p.inReplyTo ? { replyToUsername: parent?.username ?? '' } : {}),
    });
  });
  return page(ctx.state, { candidates, maxResults, beforeId, ...common });
}

function userTweets(ctx: RouteContext): Answer {
  const userId = ctx.params[0]!;
  if (!ctx.state.users.has(userId)) {
    return {
      status: 200,
      body: {
        errors: [
          {
            value: userId,
            detail: `Could not find user with id: [${userId}].`,
            title: 'Not Found Error',
            resource_type: 'user',
            parameter: 'id',
            resource_id: userId,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      },
    };
  }
  const maxResults = intParam(ctx.query, 'max_results', 5, 100, 10);
  if (isAnswer(maxResults)) return maxResults;
  const common = commonParams(ctx);
  if (isAnswer(common)) return common;
  const token = ctx.query.get('pagination_token');
  const beforeId = token === null ? null : decodeToken(token);
  if (token !== null && beforeId === null) {
    return invalidRequest(`The \`pagination_token\` query parameter value [${token}] is not valid`, { pagination_token: [token] });
  }
  const exclude = new Set((ctx.query.get('exclude') ?? '').split(',').filter(Boolean));
  const candidates = [...ctx.state.posts.values()].filter(
    (p) =>
      p.authorId === userId &&
      inIdRange(p, common.sinceId, common.untilId) &&
      !(exclude.has('retweets') && p.retweet) &&
      !(exclude.has('replies') && p.inReplyTo),
  );
  return page(ctx.state, { candidates, maxResults, beforeId, ...common });
}

function usersMe(ctx: RouteContext): Answer {
  const user = ctx.state.users.get(ctx.userId!)!;
  const fields = list(ctx.query, 'user.fields', USER_FIELDS);
  if (isAnswer(fields)) return fields;
  return { status: 200, body: { data: renderUser(user, fields) } };
}

/** X's weighted length (twitter-text v3 config: URLs 23, CJK 2, emoji 2). */
export function weightedLength(text: string): number {
  return twitterText.parseTweet(text).weightedLength;
}

function createPost(ctx: RouteContext): Answer {
  const body = ctx.body;
  if (typeof body !== 'object' || body === null) return invalidRequest('The request body must be a JSON object', { body: [] });
  const b = body as { text?: unknown; reply?: { in_reply_to_tweet_id?: unknown }; media?: unknown };
  if (typeof b.text !== 'string' || b.text.trim() === '') return invalidRequest('Post text must not be empty', { text: [] });
  const text = b.text;
  if (weightedLength(text) > MAX_POST_WEIGHTED_LENGTH) {
    return invalidRequest(
      'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.',
      { text: [text] },
    );
  }
  const userId = ctx.userId!;
  let parent: StoredPost | undefined;
  if (b.reply !== undefined) {
    const target = b.reply?.in_reply_to_tweet_id;
    if (typeof target !== 'string' || !/^\d{1,19}$/.test(target)) {
      return invalidRequest('reply.in_reply_to_tweet_id must be a post id', { 'reply.in_reply_to_tweet_id': [String(target)] });
    }
    parent = ctx.state.posts.get(target);
    if (!parent) return forbidden('You attempted to reply to a Tweet that is deleted or not visible to you.');
  }
  const mediaIds = checkPostMedia(ctx.state, userId, b.media);
  if (!Array.isArray(mediaIds)) return mediaIds;
  for (const p of ctx.state.posts.values()) {
    if (p.authorId === userId && !p.retweet && (p.sentText ?? p.text) === text) return forbidden(DUPLICATE_CONTENT);
  }
  const now = ctx.state.now();
  const id = ctx.state.newId(now);
  // X shows attached media as a t.co link at the end of the text it returns.
  const shown = mediaIds.length ? `${text} https://t.co/${Buffer.from(id).toString('base64url').slice(-10)}` : text;
  const post: StoredPost = {
    id,
    text: shown,
    ...(mediaIds.length ? { mediaIds, sentText: text } : {}),
    lang: 'und',
    authorId: userId,
    createdAt: now,
    retweet: false,
    conversationId: parent ? parent.conversationId : id,
    viaApi: true,
    ...(parent ? { inReplyTo: parent.id, inReplyToUserId: parent.authorId } : {}),
  };
  ctx.state.posts.set(id, post);
  return { status: 201, body: { data: { id, text: shown, edit_history_tweet_ids: [id] } } };
}

export const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/2\/tweets\/search\/recent$/, endpoint: 'search', userContext: false, handler: search },
  { method: 'POST', pattern: /^\/2\/tweets$/, endpoint: 'createPost', userContext: true, handler: createPost },
  { method: 'GET', pattern: /^\/2\/users\/me$/, endpoint: 'usersMe', userContext: true, handler: usersMe },
  { method: 'GET', pattern: /^\/2\/users\/(\d{1,19})\/tweets$/, endpoint: 'userTweets', userContext: false, handler: userTweets },
  ...MEDIA_ROUTES,
];
