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
 */
export const ADMIN_PATH = '/admin/queues';

export interface AdminOptions {
  queues: readonly Queue[];
  credentials?: { user: string; password: string };
  log: Logger;
}

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

async function bullBoardApp(queues: readonly Queue[]): Promise<Handler> {
  const [{ default: express }, { createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('express'),
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'chainwatch queues' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(ADMIN_PATH, serverAdapter.getRouter());
  return app as unknown as Handler;
}

/** The /admin/* route; 401 without valid credentials, 404 when none are configured. */
export function adminRoute(opts: AdminOptions): Route {
  const { credentials, log } = opts;
  if (!credentials) {
    log.info({ path: ADMIN_PATH }, 'Bull Board is off: set CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD (or *_FILE) to turn it on');
  }
  let app: Promise<Handler> | null = null;
  return async (req, res, url) => {
    if (url.pathname !== '/admin' && !url.pathname.startsWith('/admin/')) return false;
    if (!credentials) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('Bull Board is off: set CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD (or *_FILE) in the environment to turn it on.\n');
      return true;
    }
    if (!checkBasicAuth(req.headers.authorization, credentials)) {
      res.writeHead(401, {
        'content-type': 'text/plain; charset=utf-8',
        'www-authenticate': 'Basic realm="chainwatch admin", charset="UTF-8"',
        'cache-control': 'no-store',
      });
      res.end('credentials required\n');
      return true;
    }
    app ??= bullBoardApp(opts.queues).catch((err: Error) => {
      app = null;
      throw err;
    });
    (await app)(req, res);
    return true;
  };
}
