import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../util/log';
import { publicBasePath } from '../links';
import { atomFeed, badgeSvg, incidentJson, statusJson, type Links } from './feeds';
import { CONTENT_SECURITY_POLICY, fragment, page, refreshSeconds, type Shell } from './layout';
import { incidentPage, networkPage, notFoundPage, overviewPage, type Site } from './pages';
import type { StatusSource } from './source';

/**
 * The public routes: the status page (overview, /network/<name>, /incident/<id>), the JSON
 * feeds, the Atom feed and the badges. An adapter: it reads through StatusSource and hands
 * the models to the pure renderers.
 */

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

export interface StatusSiteOptions {
  source: StatusSource;
  title: string;
  publicUrl?: string;
  log: Logger;
}

/** Feeds list at most this many incidents. */
const FEED_MAX = 100;
const FEED_DEFAULT = 50;

/** Pages and feeds change every poll; a few seconds of caching spares the server a crowd. */
const CACHE = { page: 'public, max-age=5', badge: 'public, max-age=30', fragment: 'no-store' };

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(body);
  return true;
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, {
    'cache-control': CACHE.page,
    'access-control-allow-origin': '*',
  });

export function statusSite(opts: StatusSiteOptions): Route {
  const { source } = opts;
  const site: Site = { title: opts.title, base: publicBasePath(opts.publicUrl) };
  const links: Links = { base: opts.publicUrl ?? site.base };
  const names = (n: string) => source.findNetwork(n)?.displayName ?? n;

  const htmlPage = (res: ServerResponse, url: URL, status: number, shell: Shell) => {
    const partial = url.searchParams.has('fragment');
    const body = partial ? fragment(shell) : page({ ...shell, refreshSeconds: refreshSeconds(url.searchParams.get('refresh')) });
    return send(res, status, 'text/html; charset=utf-8', body, {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cache-control': partial ? CACHE.fragment : CACHE.page,
    });
  };
  const notFound = (res: ServerResponse, url: URL, what: string) => htmlPage(res, url, 404, notFoundPage(what, site, source.now()));

  async function route(res: ServerResponse, url: URL, path: string): Promise<boolean> {
    if (path === '/' || path === '/index.html') return htmlPage(res, url, 200, overviewPage(await source.overview(), site));
    let m = /^\/network\/([^/]+)$/.exec(path);
    if (m) {
      const p = await source.networkPage(decodeURIComponent(m[1]!));
      return p ? htmlPage(res, url, 200, networkPage(p, site)) : notFound(res, url, 'No such network on this page.');
    }
    m = /^\/incident\/([^/]+)$/.exec(path);
    if (m) {
      const p = await source.incidentPage(decodeURIComponent(m[1]!));
      return p
        ? htmlPage(res, url, 200, incidentPage(p, site))
        : notFound(res, url, 'No such incident: it may have expired (incidents are kept 30 days).');
    }
    if (path === '/api/v1/status') return json(res, 200, statusJson(await source.overview(), opts.title, links));
    if (path === '/api/v1/incidents') {
      const network = url.searchParams.get('network');
      if (network !== null && !source.findNetwork(network)) return json(res, 404, { error: 'unknown network' });
      const limit = Math.min(FEED_MAX, Math.max(1, Number(url.searchParams.get('limit')) || FEED_DEFAULT));
      const incidents = await source.recentIncidents(network, limit);
      return json(res, 200, { incidents: incidents.map((i) => incidentJson(i, links)) });
    }
    m = /^\/api\/v1\/incidents\/([^/]+)$/.exec(path);
    if (m && !m[1]!.endsWith('.atom')) {
      const p = await source.incidentPage(decodeURIComponent(m[1]!));
      return p
        ? json(res, 200, {
            incident: incidentJson(p.incident, links),
            timeline: p.timeline.map((e) => ({
              seq: e.seq,
              at: new Date(e.at).toISOString(),
              type: e.type,
              status: e.status,
              severity: e.severity,
              text: e.text,
              ...(e.by ? { by: e.by } : {}),
            })),
          })
        : json(res, 404, { error: 'no such incident' });
    }
    if (path === '/feed.atom' || path === '/api/v1/incidents.atom') {
      const incidents = await source.recentIncidents(null, FEED_DEFAULT);
      const body = atomFeed(incidents, { title: opts.title, links, selfHref: `${links.base}/feed.atom`, now: source.now(), names });
      return send(res, 200, 'application/atom+xml; charset=utf-8', body, {
        'cache-control': CACHE.page,
        'access-control-allow-origin': '*',
      });
    }
    m = /^\/badge\/([^/]+)\.svg$/.exec(path);
    if (m) {
      const network = source.findNetwork(decodeURIComponent(m[1]!));
      if (!network) return send(res, 404, 'text/plain; charset=utf-8', 'no such network\n');
      const card = (await source.overview()).cards.find((c) => c.network.name === network.name);
      return send(res, 200, 'image/svg+xml; charset=utf-8', badgeSvg(network.displayName, card?.status ?? 'unknown'), {
        'cache-control': CACHE.badge,
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      });
    }
    return false;
  }

  return async (_req, res, url) => {
    try {
      return await route(res, url, url.pathname);
    } catch (err) {
      if (err instanceof URIError) return send(res, 400, 'text/plain; charset=utf-8', 'bad request\n');
      opts.log.warn({ path: url.pathname, err: (err as Error).message }, 'status page unavailable');
      return send(res, 503, 'text/plain; charset=utf-8', 'status temporarily unavailable\n', {
        'retry-after': '5',
        'cache-control': 'no-store',
      });
    }
  };
}
