/**
 * A dead-man's-switch receiver for tests: a real HTTP server on loopback that takes the pings of
 * three heartbeat services and records them, and can be told to fail (HTTP status) or hang, to
 * test the sender's retries.
 *
 * Routes, as each service documents them:
 * - Healthchecks.io Pinging API (https://healthchecks.io/docs/http_api/, /docs/signaling_failures/,
 *   and hc/api/views.py `ping` in healthchecks/healthchecks): HEAD, GET and POST on
 *     /ping/<uuid>                 success
 *     /ping/<uuid>/start           start
 *     /ping/<uuid>/fail            fail
 *     /ping/<uuid>/log             log (recorded, changes no state)
 *     /ping/<uuid>/<exit-status>   0 → success, 1..255 → fail, > 255 → 400 "invalid url format"
 *   and the same suffixes on /ping/<ping-key>/<slug>. Answers 200 text/plain "OK"; an unknown
 *   check 404 "not found"; `?rid=` must be a UUID (else 400 "invalid uuid format"). A POST body is
 *   kept, up to the first 100 kB (Healthchecks.io's documented limit).
 * - Uptime Kuma push monitor (server/routers/api-router.js in louislam/uptime-kuma: `router.all`):
 *     /api/push/<token>?status=up&msg=OK&ping=   any method; `status` other than "up" is a down
 *   (fail) beat, `msg` defaults to "OK", `ping` must be a number 0..86_400_000 (else 400
 *   `{ ok: false, msg }`). Answers 200 `{"ok":true}`; an unknown token 500
 *   `{"ok":false,"msg":"Monitor not found or not active."}`.
 * - Better Stack heartbeats (https://betterstack.com/docs/uptime/cron-and-heartbeat-monitor/):
 *     /api/v1/heartbeat/<token>          GET or POST: success
 *     /api/v1/heartbeat/<token>/fail     fail
 *     /api/v1/heartbeat/<token>/<exit>   exit code (the docs send `$?`): 0 success, else fail
 *   The docs do not show the response body or the status for an unknown token: this answers 200
 *   with an empty body, and 404 for a token outside `knownTokens` (both unverified).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type PingKind = 'success' | 'fail' | 'start' | 'log';
export type HeartbeatProvider = 'healthchecks' | 'uptime-kuma' | 'betterstack';
/** How the receiver answers while failing: an HTTP status, or no answer at all. */
export type FailureAnswer = number | 'hang';

export interface HeartbeatPing {
  /** Receiver clock (ms) when the ping arrived. */
  at: number;
  kind: PingKind;
  provider: HeartbeatProvider;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The check's UUID, the ping-key/slug pair, or the push/heartbeat token. */
  token: string;
  /** Request body as UTF-8 (first 100 kB). */
  body: string;
  exitStatus?: number;
  /** Healthchecks.io run id (`?rid=`). */
  rid?: string;
  /** Uptime Kuma `msg` (defaults to "OK" as Kuma does) and `ping` (ms, or null). */
  msg?: string;
  ping?: number | null;
  /** What the receiver answered: an HTTP status, or 'hang'. */
  answered: number | 'hang';
}

export interface HeartbeatReceiverOptions {
  port?: number;
  clock?: () => number;
  /** When set, tokens not in it are unknown checks (404 / Kuma's 500). Default: accept any. */
  knownTokens?: Iterable<string>;
}

export interface HeartbeatReceiver {
  url: string;
  port: number;
  /** Every matched ping in arrival order, including those answered with a failure. A copy. */
  readonly pings: HeartbeatPing[];
  /** Pings that were answered 2xx. */
  readonly accepted: HeartbeatPing[];
  /** Answer the next `times` pings with `answer` (a status like 500, or 'hang'). */
  failNext(answer: FailureAnswer, times?: number): void;
  /** Answer every ping with `answer` until cleared with `null`. */
  setFailure(answer: FailureAnswer | null): void;
  /** Resolves once at least `count` pings have arrived (rejects after `timeoutMs`). */
  waitForPings(count: number, timeoutMs?: number): Promise<HeartbeatPing[]>;
  reset(): void;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BODY_LIMIT = 100_000;
const KUMA_MAX_PING = 86_400_000;

type Route =
  | { kind: PingKind; provider: HeartbeatProvider; token: string; exitStatus?: number }
  | { error: number; text: string; provider: HeartbeatProvider };

/** Kind from a Healthchecks / Better Stack suffix, or an error for a bad exit status. */
function suffixKind(suffix: string | undefined, allowed: readonly string[]): { kind: PingKind; exitStatus?: number } | 'bad-exit' | null {
  if (suffix === undefined) return { kind: 'success' };
  if (allowed.includes(suffix)) return { kind: suffix as PingKind };
  if (/^\d+$/.test(suffix)) {
    const exitStatus = Number(suffix);
    if (exitStatus > 255) return 'bad-exit';
    return { kind: exitStatus === 0 ? 'success' : 'fail', exitStatus };
  }
  return null;
}

function route(method: string, segments: string[]): Route | null {
  const [root, ...rest] = segments;
  if (root === 'ping') {
    if (!['GET', 'HEAD', 'POST'].includes(method)) return { error: 405, text: 'method not allowed', provider: 'healthchecks' };
    let token: string;
    let suffix: string[];
    if (rest[0] && UUID.test(rest[0])) [token, suffix] = [rest[0].toLowerCase(), rest.slice(1)];
    else if (rest.length >= 2) [token, suffix] = [`${rest[0]}/${rest[1]}`, rest.slice(2)];
    else return null;
    if (suffix.length > 1) return null;
    const k = suffixKind(suffix[0], ['start', 'fail', 'log']);
    if (k === null) return null;
    if (k === 'bad-exit') return { error: 400, text: 'invalid url format', provider: 'healthchecks' };
    return { ...k, provider: 'healthchecks', token };
  }
  if (root === 'api' && rest[0] === 'push' && rest.length === 2 && rest[1]) {
    return { kind: 'success', provider: 'uptime-kuma', token: rest[1] }; // status param decides later
  }
  if (root === 'api' && rest[0] === 'v1' && rest[1] === 'heartbeat' && rest[2] && rest.length <= 4) {
    if (!['GET', 'HEAD', 'POST'].includes(method)) return { error: 405, text: 'method not allowed', provider: 'betterstack' };
    const k = suffixKind(rest[3], ['fail']);
    if (k === null || k === 'bad-exit') return null;
    return { ...k, provider: 'betterstack', token: rest[2] };
  }
  return null;
}

export async function startHeartbeatReceiver(opts: HeartbeatReceiverOptions = {}): Promise<HeartbeatReceiver> {
  const clock = opts.clock ?? Date.now;
  const known = opts.knownTokens ? new Set(opts.knownTokens) : null;
  let pings: HeartbeatPing[] = [];
  const oneShot: FailureAnswer[] = [];
  let standing: FailureAnswer | null = null;
  const waiters: { count: number; resolve: (p: HeartbeatPing[]) => void }[] = [];
  const sockets = new Set<Socket>();

  const notify = () => {
    for (const w of [...waiters]) {
      if (pings.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve([...pings]);
      }
    }
  };

  function send(res: ServerResponse, method: string, status: number, body: string, type = 'text/plain; charset=utf-8') {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(method === 'HEAD' ? undefined : body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://receiver.invalid');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      if (size < BODY_LIMIT) chunks.push(chunk as Buffer); // keep reading the rest, but drop it
      size += (chunk as Buffer).length;
    }
    const body = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const r = route(method, segments);
    if (!r) return send(res, method, 404, 'not found');
    if ('error' in r) {
      if (r.provider === 'uptime-kuma')
        return send(res, method, r.error, JSON.stringify({ ok: false, msg: r.text }), 'application/json; charset=utf-8');
      return send(res, method, r.error, r.text);
    }
    const query = Object.fromEntries(url.searchParams);
    const ping: HeartbeatPing = {
      at: clock(),
      kind: r.kind,
      provider: r.provider,
      method,
      path: url.pathname,
      query,
      token: r.token,
      body,
      answered: 200,
    };
    if (r.exitStatus !== undefined) ping.exitStatus = r.exitStatus;

    // Requests the real service would reject outright are answered, not recorded as pings.
    if (r.provider === 'healthchecks' && query.rid !== undefined) {
      if (!UUID.test(query.rid)) return send(res, method, 400, 'invalid uuid format');
      ping.rid = query.rid;
    }
    if (r.provider === 'uptime-kuma') {
      const kumaJson = (status: number, payload: object) =>
        send(res, method, status, JSON.stringify(payload), 'application/json; charset=utf-8');
      const raw = query.ping;
      let pingMs: number | null = null;
      if (raw !== undefined && raw !== '') {
        pingMs = Number(raw);
        if (Number.isNaN(pingMs)) return kumaJson(400, { ok: false, msg: `Invalid ping value: '${raw}' is not a valid number` });
        if (pingMs < 0) return kumaJson(400, { ok: false, msg: `Invalid ping value: ${pingMs}ms cannot be negative` });
        if (pingMs > KUMA_MAX_PING)
          return kumaJson(400, { ok: false, msg: `Ping value ${pingMs}ms exceeds maximum allowed (${KUMA_MAX_PING}ms = 24 hours).` });
      }
      ping.kind = (query.status ?? 'up') === 'up' ? 'success' : 'fail';
      ping.msg = query.msg || 'OK';
      ping.ping = pingMs;
    }
    if (known && !known.has(r.token)) {
      if (r.provider === 'uptime-kuma')
        return send(
          res,
          method,
          500,
          JSON.stringify({ ok: false, msg: 'Monitor not found or not active.' }),
          'application/json; charset=utf-8',
        );
      return send(res, method, 404, 'not found');
    }

    const failure = oneShot.length > 0 ? oneShot.shift()! : standing;
    ping.answered = failure ?? 200;
    pings.push(ping);
    notify();
    if (failure === 'hang') return; // the socket stays open until the client gives up or close()
    if (failure !== null) return send(res, method, failure, failure >= 500 ? 'internal server error' : 'error');
    if (r.provider === 'healthchecks') return send(res, method, 200, 'OK');
    if (r.provider === 'uptime-kuma') return send(res, method, 200, JSON.stringify({ ok: true }), 'application/json; charset=utf-8');
    return send(res, method, 200, '');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get pings() {
      return [...pings];
    },
    get accepted() {
      return pings.filter((p) => typeof p.answered === 'number' && p.answered >= 200 && p.answered < 300);
    },
    failNext(answer, times = 1) {
      for (let i = 0; i < times; i++) oneShot.push(answer);
    },
    setFailure(answer) {
      standing = answer;
    },
    waitForPings(count, timeoutMs = 5_000) {
      if (pings.length >= count) return Promise.resolve([...pings]);
      return new Promise((resolve, reject) => {
        const waiter = {
          count,
          resolve: (p: HeartbeatPing[]) => {
            clearTimeout(timer);
            resolve(p);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`waited ${timeoutMs} ms for ${count} pings, got ${pings.length}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    reset() {
      pings = [];
      oneShot.length = 0;
      standing = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}
