import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import type { Logger } from '../util/log';
import type { Route } from './status/routes';

/**
 * Bull Board at /admin/queues, an Express app mounted for /admin/* only: everything else
 * stays on node:http, which serves the public page with no framework in its path. Behind
 * HTTP Basic credentials from the environment (CHAINWATCH_ADMIN_USER/_PASSWORD or *_FILE),
 * compared in constant time; without them the route answers 404 and says how to turn it on.
 * Express and Bull Board are loaded only when credentials are set.
 *
 * Read-only unless the config says `http.adminWrite: true`: with the credentials, a write action
 * could add social-ingest jobs (fake reports quoted in a public incident) or pause the polls. Even
 * then a write must come from the board's own page (same origin) with a JSON body, so another
 * site cannot drive a logged-in browser into it (a cross-origin `text/plain` POST is the classic
 * way past CORS).
 */
export const ADMIN_PATH = '/admin/queues';

export interface AdminOptions {
  queues: readonly Queue[];
  credentials?: { user: string; password: string };
  /** Allow Bull Board's write actions (add, retry, pause, clean, …); default read-only. */
  write?: boolean;
  log: Logger;
}

/**
 * Bull Board's page: its own scripts and styles (its markup carries inline styles), requests to
 * this origin only. Its Google Fonts link is left blocked: an admin page asks no third party.
 */
export const BULL_BOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const READ_METHODS = new Set(['GET', 'HEAD']);

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant time over both parts: hashing first makes the lengths equal, and both
 * comparisons always run, so neither the user's validity nor a prefix leaks through timing.
 */
export function checkBasicAuth(header: string | undefined, expected: { user: string; password: string }): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const user = colon >= 0 ? decoded.slice(0, colon) : '';
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  const userOk = timingSafeEqual(digest(user), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(password), digest(expected.password));
  return colon >= 0 && userOk && passwordOk;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function bullBoardApp(queues: readonly Queue[], write: boolean): Promise<Handler> {
  const [{ default: express }, { createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('express'),
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_PATH);
  createBullBoard({
    // Bull Board's own guard (405 on every write route of a read-only queue) behind ours.
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: !write })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'chainwatch queues' } },
  });
  const app = express();
  app.disable('x-powered-by');
  // The adapter's router is an Express app of its own, which would announce itself again.
  const board = serverAdapter.getRouter();
  (board as { disable?: (setting: string) => unknown }).disable?.('x-powered-by');
  app.use(ADMIN_PATH, board);
  return app as unknown as Handler;
}

/** The /admin/* route; 401 without valid credentials, 404 when none are configured. */
export function adminRoute(opts: AdminOptions): Route {
  const { credentials, log } = opts;
  const write = opts.write === true;
  if (!credentials) {
    log.info({ path: ADMIN_PATH }, 'Bull Board is off: set CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD (or *_FILE) to turn it on');
  } else log.info({ path: ADMIN_PATH, write }, write ? 'Bull Board on, with write actions' : 'Bull Board on, read-only');
  let app: Promise<Handler> | null = null;
  return async (req, res, url) => {
    if (url.pathname !== '/admin' && !url.pathname.startsWith('/admin/')) return false;
    if (!credentials) {
      return refuse(
        res,
        404,
        'Bull Board is off: set CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD (or *_FILE) in the environment to turn it on.\n',
      );
    }
    if (!checkBasicAuth(req.headers.authorization, credentials)) {
      return refuse(res, 401, 'credentials required\n', { 'www-authenticate': 'Basic realm="chainwatch admin", charset="UTF-8"' });
    }
    if (!READ_METHODS.has(req.method ?? '')) {
      if (!write)
        return refuse(res, 405, 'Bull Board is read-only: set `http.adminWrite: true` in the config to allow its write actions.\n', {
          allow: 'GET, HEAD',
        });
      const refused = refuseWrite(req);
      if (refused) return refuse(res, refused.status, refused.text);
    }
    res.setHeader('content-security-policy', BULL_BOARD_CSP);
    app ??= bullBoardApp(opts.queues, write).catch((err: Error) => {
      app = null;
      throw err;
    });
    (await app)(req, res);
    return true;
  };
}

function refuse(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
  return true;
}

/**
 * Why a write request is refused, or null. Browsers send `Sec-Fetch-Site` and `Origin` with every
 * cross-origin write; a client that sends neither is not a browser a page could have steered.
 */
export function refuseWrite(req: IncomingMessage): { status: number; text: string } | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return { status: 403, text: 'cross-site write refused\n' };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const host = URL.canParse(origin) ? new URL(origin).host : null;
    if (!host || host.toLowerCase() !== (req.headers.host ?? '').toLowerCase())
      return { status: 403, text: 'cross-origin write refused\n' };
  }
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (hasBody && type !== 'application/json')
    return { status: 415, text: 'write actions take a JSON body (content-type: application/json)\n' };
  return null;
}
