import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../util/log';
import type { Metrics } from './metrics';
import type { Route } from './status/routes';

export interface ReadyCheck {
  ok: boolean;
  checks: Record<string, string>;
}

/**
 * What one client may hold. Node's defaults let a socket that sends nothing, or its headers a
 * byte at a time, stay for a minute (headers) to five (request), checked only every 30 s.
 */
export const HTTP_LIMITS = {
  /** Headers must have arrived within this. */
  headersTimeoutMs: 10_000,
  /** The whole request, body included. */
  requestTimeoutMs: 15_000,
  /** An idle keep-alive connection is closed after this; the page's refresh opens a new one cheaply. */
  keepAliveTimeoutMs: 5_000,
  /** A request not answered by then gets a 503 (a handler stuck behind Redis must not hold the socket). */
  responseTimeoutMs: 20_000,
  /** How often Node checks the two request timeouts (its default, 30 s, would let them run late). */
  checkIntervalMs: 1_000,
  /** Connections past this are refused: each costs a socket and some memory. */
  maxConnections: 1024,
};
export type HttpLimits = typeof HTTP_LIMITS;

/** On every response; a page that needs more (the status page, Bull Board) sets its own CSP. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** A port that cannot be bound: start-up stops with this one line. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly address: string,
    readonly code: string,
  ) {
    super(`cannot listen on ${address}: ${LISTEN_REASONS[code] ?? code}`);
  }
}
const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'address not available on this host',
  ENOTFOUND: 'host name not found',
};

/**
 * The request target as a URL whose path is normalised as a browser would (`..`, `%2e%2e`, `\`),
 * so that every route and the admin check see the same path. `//x` stays a path, never a host.
 * Null for a target that is neither origin-form nor absolute-form (`*`, garbage).
 */
export function requestUrl(target: string | undefined): URL | null {
  const t = target ?? '/';
  try {
    if (t.startsWith('/')) return new URL(`http://localhost${t}`);
    if (/^https?:\/\//i.test(t)) {
      const u = new URL(t);
      return new URL(`http://localhost${u.pathname}${u.search}`);
    }
  } catch {
    // fall through: not a URL
  }
  return null;
}

const isAdminPath = (path: string) => path === '/admin' || path.startsWith('/admin/');

export interface HttpServerOptions {
  port: number;
  host: string;
  metrics: Metrics;
  ready: () => Promise<ReadyCheck>;
  log: Logger;
  admin?: Route;
  routes?: Route[];
  /** Tests shorten these. */
  limits?: Partial<HttpLimits>;
}

/**
 * Operators' endpoints: `/healthz` (the process answers), `/readyz` (Redis reachable, polls
 * fresh) and `/metrics` (Prometheus text format). Loopback by default. `admin` (Bull Board,
 * any method, under /admin) and `routes` (the status page and feeds, GET and HEAD) come after.
 * Every request is routed on its normalised path and answered, within a deadline.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<{ server: Server; url: string; stop(): Promise<void> }> {
  const limits = { ...HTTP_LIMITS, ...opts.limits };
  const server = createServer({ connectionsCheckingInterval: limits.checkIntervalMs }, (req, res) => {
    const timer = setTimeout(() => {
      opts.log.warn({ path: requestUrl(req.url)?.pathname ?? '?', ms: limits.responseTimeoutMs }, 'http request not answered in time');
      if (res.headersSent) res.destroy();
      else send(res, 503, 'text/plain', 'not answered in time\n', { 'retry-after': '5' });
    }, limits.responseTimeoutMs);
    res.once('close', () => clearTimeout(timer));
    dispatch(opts, req, res).catch((err: Error) => {
      opts.log.error({ path: requestUrl(req.url)?.pathname ?? '?', err: err.message }, 'http route failed');
      if (res.headersSent) res.destroy();
      else send(res, 500, 'text/plain', 'internal error\n');
    });
  });
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Node answers client errors itself (400, 408 past requestTimeout, 431) and closes the socket.
  const address = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ListenError(address, err.code ?? err.message)));
    server.listen(opts.port, opts.host, () => resolve());
  });
  server.on('error', (err) => opts.log.error({ err: err.message }, 'http server error'));
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  opts.log.info({ url }, 'health and metrics endpoints listening');
  return {
    server,
    url,
    // The status page's refresh script keeps connections alive; close them rather than wait.
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function dispatch(opts: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  const url = requestUrl(req.url);
  if (!url) return send(res, 400, 'text/plain', 'bad request\n');
  const path = url.pathname;
  if (opts.admin && isAdminPath(path)) {
    // Bull Board (Express) routes the same normalised path that was checked here.
    req.url = `${path}${url.search}`;
    if (await opts.admin(req, res, url)) return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
  if (path === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
  if (path === '/readyz') {
    const r = await opts.ready().catch((err: Error): ReadyCheck => ({ ok: false, checks: { error: err.message } }));
    return send(res, r.ok ? 200 : 503, 'application/json', `${JSON.stringify(r)}\n`);
  }
  if (path === '/metrics') {
    const text = await opts.metrics.registry.metrics().catch((err: Error) => {
      opts.log.warn({ err: err.message }, 'metrics scrape failed');
      return null;
    });
    if (text === null) return send(res, 500, 'text/plain', 'metrics unavailable\n');
    return send(res, 200, opts.metrics.registry.contentType, text);
  }
  for (const route of opts.routes ?? []) if (await route(req, res, url)) return;
  send(res, 404, 'text/plain', 'not found: /healthz, /readyz, /metrics\n');
}
