import type { Queue } from 'bullmq';
import type { AppConfig } from '../config';
import { DEFAULT_STATUS_TITLE } from '../config/schema';
import type { HistoryStore } from '../store/history';
import type { OutageLog } from '../store/outages';
import type { SilenceStore } from '../store/silences';
import type { IncidentStore } from '../store/incidents';
import type { Logger } from '../util/log';
import { adminRoute } from './admin';
import { StatusSource } from './status/source';
import { statusSite, type Route } from './status/routes';

export interface HttpRouteDeps {
  store: IncidentStore;
  silences: SilenceStore;
  history: HistoryStore;
  outages: OutageLog;
  queues: readonly Queue[];
  clock: () => number;
  log: Logger;
}

/** What the `http:` section turns on beside /healthz, /readyz and /metrics. */
export function httpRoutes(config: AppConfig, deps: HttpRouteDeps): { admin: Route; routes: Route[] } {
  const http = config.http;
  const admin = adminRoute({
    queues: deps.queues,
    ...(http?.admin ? { credentials: http.admin } : {}),
    write: http?.adminWrite === true,
    log: deps.log,
  });
  if (!http || http.statusPage === false) return { admin, routes: [] };
  const source = new StatusSource({ ...deps, networks: config.networks });
  return {
    admin,
    routes: [
      statusSite({
        source,
        title: http.title ?? DEFAULT_STATUS_TITLE,
        ...(http.publicUrl ? { publicUrl: http.publicUrl } : {}),
        log: deps.log,
      }),
    ],
  };
}

export { incidentPageUrl } from './links';
export type { Route };
