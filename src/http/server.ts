import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../util/log';
import type { Metrics } from './metrics';
import type { Route } from './status/routes';

export interface ReadyCheck {
  ok: boolean;
  checks: Record<string, string>;
}

/**
 * Operators' endpoints: `/healthz` (the process answers), `/readyz` (Redis reachable, polls
 * fresh) and `/metrics` (Prometheus text format). Loopback by default. `admin` (Bull Board,
 * any method) and `routes` (the status page and feeds, GET and HEAD) are tried in turn after them.
 */
export async function startHttpServer(opts: {
  port: number;
  host: string;
  metrics: Metrics;
  ready: () => Promise<ReadyCheck>;
  log: Logger;
  admin?: Route;
  routes?: Route[];
}): Promise<{ server: Server; url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (opts.admin && (path === '/admin' || path?.startsWith('/admin/'))) {
      Promise.resolve(opts.admin(req, res, url)).catch((err: Error) => {
        opts.log.error({ err: err.message }, 'admin route failed');
        if (!res.headersSent) send(500, 'text/plain', 'admin unavailable\n');
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/healthz') return send(200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      opts
        .ready()
        .then((r) => send(r.ok ? 200 : 503, 'application/json', `${JSON.stringify(r)}\n`))
        .catch((err: Error) => send(503, 'application/json', `${JSON.stringify({ ok: false, checks: { error: err.message } })}\n`));
      return;
    }
    if (path === '/metrics') {
      opts.metrics.registry
        .metrics()
        .then((text) => send(200, opts.metrics.registry.contentType, text))
        .catch((err: Error) => {
          opts.log.warn({ err: err.message }, 'metrics scrape failed');
          send(500, 'text/plain', 'metrics unavailable\n');
        });
      return;
    }
    void (async () => {
      for (const route of opts.routes ?? []) if (await route(req, res, url)) return;
      send(404, 'text/plain', 'not found: /healthz, /readyz, /metrics\n');
    })().catch((err: Error) => {
      opts.log.error({ path, err: err.message }, 'http route failed');
      if (!res.headersSent) send(500, 'text/plain', 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
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
