// A local fake of the X API v2 that the real twitter-api-v2 client talks to on loopback.
// twitter-api-v2 has no base-URL option; point it here with a plugin that rewrites the URL
// before the request is built, and an http Agent (apis.md §2, "Pointing twitter-api-v2 at a
// local fake"):
//   new TwitterApi(fake.bearerToken, fake.clientSettings())                    // search (app-only)
//   new TwitterApi({ appKey, appSecret, accessToken, accessSecret }, fake.clientSettings())  // posting
//
// Endpoints: GET /2/tweets/search/recent, POST /2/tweets, GET /2/users/me, GET /2/users/:id/tweets,
// and media upload (POST /2/media/upload/initialize, /:id/append, /:id/finalize, POST /2/media/metadata; ./media.ts).
// Authentication as on X: `Bearer <token>` (app-only) or OAuth 1.0a user context whose HMAC-SHA1
// signature is checked; posting and /users/me need user context (app-only gets 403
// "Unsupported Authentication"), a missing or wrong credential gets 401.
// Every answer to a known route carries x-rate-limit-limit/-remaining/-reset (unix seconds) of
// its 15-minute window (per app for bearer, per user for OAuth 1.0a; X's current limits by
// default); POST /2/tweets also carries x-app-limit-24hour-*. Running out gives X's 429 problem.
// The search-query subset the fake understands is documented in ./query.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ITwitterApiClientPlugin } from 'twitter-api-v2';
import { boundaryOf, parseMultipart } from './multipart';
import { parseOAuthHeader, verifyOAuth1 } from './oauth1';
import {
  type Answer,
  invalidRequest,
  notFoundRoute,
  serverError,
  tooManyRequests,
  unauthorized,
  unsupportedAuthentication,
} from './problems';
import { type Route, ROUTES, type RouteSettings } from './routes';
import {
  type AuthKind,
  CREATE_POST_APP_DAY,
  DEFAULT_LIMITS,
  type Endpoint,
  type FailAnswer,
  type FakeAccount,
  FakeXState,
  type FaultScript,
  type HeldRequest,
  type NewPost,
  type RecordedRequest,
  type RequestMatch,
  type StoredPost,
} from './state';

export { DUPLICATE_CONTENT } from './problems';
export { MAX_QUERY_LENGTH, MAX_POST_WEIGHTED_LENGTH, weightedLength } from './routes';
export { parseQuery, matchQuery, containsToken, QuerySyntaxError } from './query';
export type { AuthKind, Endpoint, FailAnswer, FakeAccount, FaultScript, HeldRequest, NewPost, RecordedRequest, RequestMatch, StoredPost };

export interface FakeXOptions {
  /** App-only bearer token the fake accepts. Default 'test-bearer-token'. */
  bearerToken?: string;
  /** OAuth 1.0a consumer (app) key and secret. */
  appKey?: string;
  appSecret?: string;
  /** Users that can sign requests; default one account, `chainwatch_bot`. */
  accounts?: FakeAccount[];
  /** Requests per window and endpoint (app-only and per user); default X's published limits. */
  limits?: Partial<Record<Endpoint, { app?: number; user?: number }>>;
  /** Rate-limit window; X's is 15 minutes. */
  windowMs?: number;
  /** Serve only the last seven days and reject older since_id/until_id, as X does. Default false. */
  enforceRecentWindow?: boolean;
  /** Check OAuth 1.0a signatures (default true). */
  verifySignatures?: boolean;
  now?: () => number;
}

/** A post as tests see it. */
export interface FakePost {
  id: string;
  text: string;
  lang: string;
  authorId: string;
  username: string;
  createdAt: number;
  retweet: boolean;
  inReplyTo?: string;
  conversationId: string;
  viaApi: boolean;
  /** Media attached with `media.media_ids`. */
  mediaIds?: string[];
}

/** An upload as tests see it (POST /2/media/upload/*, /2/media/metadata). */
export interface FakeMedia {
  id: string;
  ownerId: string;
  mediaType: string;
  category: string;
  finalized: boolean;
  /** The assembled file once finalized. */
  data?: Buffer;
  altText?: string;
}

export interface FakeX {
  /** `http://127.0.0.1:PORT`: the replacement for `https://api.x.com`. */
  baseUrl: string;
  bearerToken: string;
  appKey: string;
  appSecret: string;
  /** The first account: the auto-posting account. */
  account: FakeAccount;
  accounts: FakeAccount[];
  /** Every request to the fake, in the order answered (Authorization values never kept). */
  requests: RecordedRequest[];
  /** `{ plugins: [redirect], httpAgent }` for `new TwitterApi(tokens, settings)`. */
  clientSettings(): { plugins: ITwitterApiClientPlugin[]; httpAgent: http.Agent };
  /** Puts a community post in the searchable store (and its author among the users). */
  addPost(p: NewPost): FakePost;
  /** Posts by a user, newest first (the account's own posts included). */
  postsBy(userId: string): FakePost[];
  /** Posts created through POST /2/tweets, in creation order. */
  timeline(): FakePost[];
  /** Uploaded media by id, undefined when unknown. */
  media(id: string): FakeMedia | undefined;
  /** The next `times` requests matching get this answer instead (after authentication). */
  failNext(match: RequestMatch, answer: FailAnswer, times?: number): void;
  /** Fault injection for minutes: `script` answers for every request (after failNext rules); null ends it. */
  setFaults(script: FaultScript | null): void;
  /**
   * The next request matching is carried out (a post is created) but its answer is withheld
   * for `ms` (default 60 s) or until released: a response lost or slow on the way back.
   * Resolves once that request has arrived.
   */
  hold(match: RequestMatch, ms?: number): Promise<HeldRequest>;
  /** Current window of a bucket, e.g. ('search', 'app') or ('createPost', userId). */
  rateLimit(endpoint: Endpoint, identity: 'app' | string): { limit: number; remaining: number; reset: number };
  stop(): Promise<void>;
}

const DEFAULT_ACCOUNT: FakeAccount = {
  userId: '1630000000000000001',
  username: 'chainwatch_bot',
  name: 'chainwatch',
  accessToken: '1630000000000000001-test-access-token',
  accessSecret: 'test-access-secret',
};
const MAX_BODY = 1024 * 1024;
/** A media append carries up to 8 MB of file (X's server maximum per segment) plus the form. */
const MAX_MEDIA_BODY = 9 * 1024 * 1024;

/** The redirect plugin of apis.md: rewrites `https://api.x.com` before the request is built. */
export function redirectPlugin(baseUrl: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig(args) {
      args.params.url = args.params.url.replace(/^https:\/\/api\.x\.com/, baseUrl);
    },
  };
}

function toMs(v: number | string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(n)) throw new Error(`fake-x: bad time ${String(v)}`);
  return n;
}

async function readBody(req: IncomingMessage): Promise<{ ok: true; body: unknown } | { ok: false; answer: Answer }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const max = (req.url ?? '').startsWith('/2/media/') ? MAX_MEDIA_BODY : MAX_BODY;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return { ok: false, answer: invalidRequest('Request body too large', { body: [] }) };
    chunks.push(chunk);
  }
  if (size === 0) return { ok: true, body: undefined };
  // Multipart (the media append): parts as bytes, `{ parts }` for the route.
  const boundary = boundaryOf(req.headers['content-type'] ?? '');
  if (boundary) {
    try {
      return { ok: true, body: { parts: parseMultipart(Buffer.concat(chunks), boundary) } };
    } catch (err) {
      return { ok: false, answer: invalidRequest(`Malformed multipart body: ${(err as Error).message}`, { body: [] }) };
    }
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, body: JSON.parse(raw) };
  } catch {
    return { ok: false, answer: invalidRequest('Request body is not valid JSON', { body: [raw.slice(0, 100)] }) };
  }
}

export async function startFakeX(opts: FakeXOptions = {}): Promise<FakeX> {
  const now = opts.now ?? Date.now;
  const limits = { ...DEFAULT_LIMITS };
  for (const [k, v] of Object.entries(opts.limits ?? {}) as [Endpoint, { app?: number; user?: number }][]) {
    limits[k] = { ...limits[k], ...v } as { app?: number; user: number };
  }
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const state = new FakeXState(now, limits, windowMs);
  const bearerToken = opts.bearerToken ?? 'test-bearer-token';
  const appKey = opts.appKey ?? 'test-app-key';
  const appSecret = opts.appSecret ?? 'test-app-secret';
  const accounts = opts.accounts?.length ? opts.accounts : [DEFAULT_ACCOUNT];
  const verifySignatures = opts.verifySignatures ?? true;
  const settings: RouteSettings = { enforceRecentWindow: opts.enforceRecentWindow ?? false };
  for (const a of accounts) state.upsertUser({ id: a.userId, username: a.username, name: a.name ?? a.username });

  function authenticate(req: IncomingMessage, method: string, url: URL): { kind: AuthKind; valid: boolean; userId?: string } {
    const header = req.headers.authorization;
    if (!header) return { kind: 'none', valid: false };
    if (/^Bearer\s/i.test(header)) return { kind: 'bearer', valid: header.slice(7).trim() === bearerToken };
    const oauth = parseOAuthHeader(header);
    if (!oauth) return { kind: 'none', valid: false };
    const account = accounts.find((a) => a.accessToken === oauth.oauth_token);
    if (oauth.oauth_consumer_key !== appKey || !account) return { kind: 'oauth1', valid: false };
    const baseUrl = `http://${req.headers.host}${url.pathname}`;
    const ok = !verifySignatures || verifyOAuth1(oauth, method, baseUrl, url.searchParams, appSecret, account.accessSecret);
    return ok ? { kind: 'oauth1', valid: true, userId: account.userId } : { kind: 'oauth1', valid: false };
  }

  function rateHeaders(limit: number, remaining: number, resetAt: number): Record<string, string> {
    return {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, remaining)),
      'x-rate-limit-reset': String(Math.ceil(resetAt / 1000)),
    };
  }

  async function handle(req: IncomingMessage): Promise<{ answer: Answer; record: Omit<RecordedRequest, 'status' | 'at'> }> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://fake-x.invalid');
    const path = url.pathname;
    const auth = authenticate(req, method, url);
    const parsed = await readBody(req);
    const record = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.ok ? parsed.body : undefined,
      auth: auth.kind,
      authValid: auth.valid,
      ...(auth.userId ? { userId: auth.userId } : {}),
    };
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of ROUTES) {
      const m = r.method === method ? r.pattern.exec(path) : null;
      if (m) {
        route = r;
        params = m.slice(1);
        break;
      }
    }
    if (!route) return { answer: notFoundRoute(path), record };
    if (!auth.valid) return { answer: unauthorized(), record };
    if (route.userContext && auth.kind !== 'oauth1') return { answer: unsupportedAuthentication(), record };

    const identity = auth.kind === 'bearer' ? 'app' : auth.userId!;
    const bucketLimits = limits[route.endpoint];
    const limit = auth.kind === 'bearer' ? (bucketLimits.app ?? bucketLimits.user) : bucketLimits.user;
    const key = `${route.endpoint}:${identity}`;
    const headers: Record<string, string> = {};
    const fault = state.faults.take(method, path, url.searchParams);
    if (fault?.status === 429) {
      const w = state.peek(key, limit);
      const resetAt = now() + (fault.resetInSec ?? 60) * 1000;
      return { answer: { ...tooManyRequests(), headers: rateHeaders(w.limit, 0, resetAt) }, record };
    }
    const w = state.hit(key, limit);
    Object.assign(headers, rateHeaders(w.limit, w.limit - w.used, w.resetAt));
    if (route.endpoint === 'createPost') {
      const day = state.hit('createPost:app:24h', CREATE_POST_APP_DAY, 24 * 3600_000);
      headers['x-app-limit-24hour-limit'] = String(day.limit);
      headers['x-app-limit-24hour-remaining'] = String(Math.max(0, day.limit - day.used));
      headers['x-app-limit-24hour-reset'] = String(Math.ceil(day.resetAt / 1000));
    }
    if (w.used > w.limit) return { answer: { ...tooManyRequests(), headers }, record };
    if (fault) return { answer: { ...serverError(fault.status), headers }, record };
    if (!parsed.ok) return { answer: { ...parsed.answer, headers }, record };
    const answer = route.handler({
      state,
      query: url.searchParams,
      body: parsed.body,
      params,
      settings,
      ...(auth.userId ? { userId: auth.userId } : {}),
    });
    return { answer: { ...answer, headers: { ...headers, ...answer.headers } }, record };
  }

  function send(res: ServerResponse, answer: Answer): void {
    const isProblem = answer.status >= 400;
    res.writeHead(answer.status, {
      'content-type': isProblem ? 'application/problem+json' : 'application/json; charset=utf-8',
      ...answer.headers,
    });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req)
      .then(async ({ answer, record }) => {
        await state.faults.holdIfArmed({
          method: record.method,
          path: record.path,
          body: record.body,
          remotePort: req.socket.remotePort,
          at: now(),
        });
        state.requests.push({ ...record, status: answer.status, at: now() });
        send(res, answer);
      })
      .catch((err: unknown) => {
        state.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          query: {},
          body: undefined,
          auth: 'none',
          authValid: false,
          status: 500,
          at: now(),
        });
        send(res, { ...serverError(500), body: { title: 'Internal Server Error', detail: String(err), type: 'about:blank', status: 500 } });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  function view(p: StoredPost): FakePost {
    return {
      id: p.id,
      text: p.text,
      lang: p.lang,
      authorId: p.authorId,
      username: state.users.get(p.authorId)?.username ?? '',
      createdAt: p.createdAt,
      retweet: p.retweet,
      ...(p.inReplyTo ? { inReplyTo: p.inReplyTo } : {}),
      conversationId: p.conversationId,
      viaApi: p.viaApi,
      ...(p.mediaIds ? { mediaIds: p.mediaIds } : {}),
    };
  }

  return {
    baseUrl,
    bearerToken,
    appKey,
    appSecret,
    account: accounts[0]!,
    accounts,
    requests: state.requests,
    clientSettings: () => ({ plugins: [redirectPlugin(baseUrl)], httpAgent: new http.Agent() }),
    addPost(p) {
      const createdAt = toMs(p.createdAt, now());
      state.upsertUser({
        id: p.authorId,
        username: p.username,
        ...(p.authorCreatedAt !== undefined ? { createdAt: toMs(p.authorCreatedAt, 0) } : {}),
        ...(p.followers !== undefined ? { followers: p.followers } : {}),
      });
      const id = p.id ?? state.newId(createdAt);
      if (state.posts.has(id)) throw new Error(`fake-x: post ${id} already exists`);
      const retweet = p.retweet ?? false;
      const stored: StoredPost = {
        id,
        text: retweet && !p.text.startsWith('RT @') ? `RT @someone: ${p.text}` : p.text,
        lang: p.lang ?? 'en',
        authorId: p.authorId,
        createdAt,
        retweet,
        ...(retweet ? { retweetOf: state.newId(createdAt - 60_000) } : {}),
        conversationId: id,
        viaApi: false,
      };
      state.posts.set(id, stored);
      return view(stored);
    },
    postsBy(userId) {
      return [...state.posts.values()]
        .filter((p) => p.authorId === userId)
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .map(view);
    },
    media(id) {
      const m = state.media.get(id);
      if (!m) return undefined;
      return {
        id: m.id,
        ownerId: m.ownerId,
        mediaType: m.mediaType,
        category: m.category,
        finalized: m.finalized,
        ...(m.data ? { data: m.data } : {}),
        ...(m.altText !== undefined ? { altText: m.altText } : {}),
      };
    },
    timeline() {
      return [...state.posts.values()].filter((p) => p.viaApi).map(view);
    },
    failNext(match, answer, times) {
      state.faults.failNext(match, answer, times);
    },
    setFaults(script) {
      state.faults.setScript(script);
    },
    hold(match, ms) {
      return state.faults.hold(match, ms);
    },
    rateLimit(endpoint, identity) {
      const l = limits[endpoint];
      const limit = identity === 'app' ? (l.app ?? l.user) : l.user;
      const w = state.peek(`${endpoint}:${identity}`, limit);
      return { limit: w.limit, remaining: Math.max(0, w.limit - w.used), reset: Math.ceil(w.resetAt / 1000) };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
