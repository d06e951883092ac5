/**
 * A fake official status page for tests: one page state (components, incidents, maintenances)
 * served in three real public JSON formats, driven through an outage by the test, with every
 * timestamp from an injectable clock.
 *
 * 1. Atlassian Statuspage public API v2 (`/api/v2/…`). Shapes follow real responses:
 *    - Statuspage's own API page served by every page (www.githubstatus.com/api,
 *      confluence.status.atlassian.com/api): endpoint list, the indicator none|minor|major|critical,
 *      component statuses operational|degraded_performance|partial_outage|major_outage, incident
 *      statuses Investigating|Identified|Monitoring|Resolved|Postmortem, impacts None|Minor|Major|
 *      Critical, "unresolved.json will only return incidents in the Investigating, Identified, or
 *      Monitoring state".
 *    - Real bodies of discordstatus.com/api/v2/*.json (components, incidents, unresolved,
 *      scheduled-maintenances, active, upcoming, status, summary) recorded in
 *      Dziurwa14/discord-undoc.github.io src/status_api.md, and status.huobigroup.com/api/v2/summary.json
 *      in Huobi's public API docs (an open incident with affected components, a scheduled
 *      maintenance with `impact: "maintenance"`, indicator `maintenance`, and the descriptions
 *      "Partially Degraded Service", "Service Under Maintenance"). Field names and order below
 *      are copied from those bodies: page {id,name,url,time_zone,updated_at}; component
 *      {id,name,status,created_at,updated_at,position,description,showcase,start_date,group_id,
 *      page_id,group,only_show_if_degraded}; incident {id,name,status,created_at,updated_at,
 *      monitoring_at,resolved_at,impact,shortlink,started_at,page_id,incident_updates,components};
 *      update {id,status,body,incident_id,created_at,updated_at,display_at,affected_components
 *      [{code,name,old_status,new_status}],deliver_notifications,custom_tweet,tweet_id}, newest
 *      first; maintenance = incident + {scheduled_for,scheduled_until}, status scheduled|
 *      in_progress|verifying|completed.
 *    - The indicator is derived from the components only ("the blended component status"), as a
 *      live GitHub page showed an open minor incident with `indicator: "none"` while all its
 *      components were operational. How Statuspage blends several statuses is not published;
 *      the mapping in `pageStatus` is this fake's choice.
 *    - `shortlink` points at this server (`/incidents/<id>`), not stspg.io, so nothing in a test
 *      links off the machine.
 * 2. Instatus public JSON: `/summary.json` (documented at instatus.com/help/api/public-data:
 *    page {name,url,status UP|HASISSUES|UNDERMAINTENANCE}, activeIncidents [{name,started,status,
 *    impact,url}], activeMaintenances [{name,start,status NOTSTARTEDYET|INPROGRESS|COMPLETED,
 *    duration,url}]) with `id` and `updatedAt` as later captures show, the two arrays left out
 *    when empty (a live capture), and ISO dates (the 2022 doc example used JS `Date#toString`
 *    dates; `instatusDateStyle: 'js'` reproduces that). `/v3/summary.json` is the same body.
 *    `/v2/components.json` and `/v3/components.json` serve `{components:[{id,name,description,
 *    status,group}]}` with statuses OPERATIONAL|DEGRADEDPERFORMANCE|PARTIALOUTAGE|MAJOROUTAGE|
 *    UNDERMAINTENANCE (the webhook docs' list); that components shape comes from a third-party
 *    live capture and an integration's fixtures, not from Instatus's docs (unverified).
 * 3. Better Stack status page `/index.json` (betterstack.com/docs/uptime/status-pages/
 *    subscribing-to-status-updates/subscribing-to-api): JSON:API `data` {id,type:"status_page",
 *    attributes{company_name,company_url,contact_url,logo_url,timezone,subdomain,custom_domain,
 *    announcement,aggregate_state operational|degraded|downtime|maintenance,created_at,updated_at},
 *    relationships{sections,resources,status_reports}} and `included` status_page_section /
 *    status_page_resource {public_name,status operational|degraded|downtime|maintenance|
 *    not_monitored,status_page_section_id,availability,status_history} / status_report
 *    {title,report_type,starts_at,ends_at,aggregate_state,affected_resources} / status_update
 *    {message,published_at,affected_resources}. A resolved report has `aggregate_state:
 *    "resolved"` and `ends_at: null` (live capture); an open report's aggregate_state is its worst
 *    affected state (unverified). `status_history` holds today only, not 90 days.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';
export type Impact = 'none' | 'minor' | 'major' | 'critical';
export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved' | 'postmortem';
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';
export type FailAnswer = number | 'hang' | 'garbage';

export interface ComponentSpec {
  id?: string;
  name: string;
  description?: string | null;
  status?: ComponentStatus;
  showcase?: boolean;
}

export interface FakeStatuspageOptions {
  port?: number;
  /** Milliseconds since the epoch; every timestamp served comes from here. */
  clock?: () => number;
  page?: { id?: string; name?: string; url?: string; time_zone?: string };
  components?: ComponentSpec[];
  /** Seed for the generated ids (same seed, same ids). */
  seed?: number;
  instatusDateStyle?: 'iso' | 'js';
}

export interface OpenIncident {
  name: string;
  impact: Impact;
  /** Component id → the status it takes now; or ids, which take a status from the impact. */
  components?: Record<string, ComponentStatus> | string[];
  body: string;
  status?: Exclude<IncidentStatus, 'resolved' | 'postmortem'>;
}

export interface ScheduleMaintenance {
  name: string;
  /** ms since the epoch. */
  scheduledFor: number;
  scheduledUntil: number;
  components?: string[];
  body: string;
}

export interface FakeStatuspage {
  url: string;
  port: number;
  readonly componentIds: string[];
  setComponent(id: string, status: ComponentStatus): void;
  openIncident(spec: OpenIncident): string;
  updateIncident(id: string, status: IncidentStatus, body: string, components?: Record<string, ComponentStatus>): void;
  /** Resolves the incident; its components go back to operational unless `restoreComponents: false`. */
  resolveIncident(id: string, body: string, opts?: { restoreComponents?: boolean }): void;
  scheduleMaintenance(spec: ScheduleMaintenance): string;
  /** in_progress puts the components under maintenance, completed makes them operational. */
  updateMaintenance(id: string, status: MaintenanceStatus, body: string): void;
  /** The next `times` requests (matching `path`, if given) fail with a status, hang, or get garbage. */
  failNext(answer: FailAnswer, opts?: { times?: number; path?: string }): void;
  readonly requests: { method: string; path: string; at: number }[];
  close(): Promise<void>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Component {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: number;
  updated_at: number;
  position: number;
  description: string | null;
  showcase: boolean;
  bsId: string;
}

interface Update {
  id: string;
  status: IncidentStatus | MaintenanceStatus;
  body: string;
  at: number;
  affected: { code: string; name: string; old_status: ComponentStatus; new_status: ComponentStatus }[] | null;
  bsId: string;
}

interface Incident {
  id: string;
  kind: 'incident' | 'maintenance';
  name: string;
  status: IncidentStatus | MaintenanceStatus;
  impact: Impact | 'maintenance';
  created_at: number;
  updated_at: number;
  monitoring_at: number | null;
  resolved_at: number | null;
  started_at: number;
  componentIds: string[];
  updates: Update[];
  scheduled_for?: number;
  scheduled_until?: number;
  bsId: string;
}

const SEVERITY: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};
const IMPACT_TO_STATUS: Record<Impact, ComponentStatus> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};
const INSTATUS_COMPONENT: Record<ComponentStatus, string> = {
  operational: 'OPERATIONAL',
  degraded_performance: 'DEGRADEDPERFORMANCE',
  partial_outage: 'PARTIALOUTAGE',
  major_outage: 'MAJOROUTAGE',
  under_maintenance: 'UNDERMAINTENANCE',
};
const INSTATUS_IMPACT: Record<Impact, string> = {
  none: 'OPERATIONAL',
  minor: 'DEGRADEDPERFORMANCE',
  major: 'PARTIALOUTAGE',
  critical: 'MAJOROUTAGE',
};
const BETTERSTACK: Record<ComponentStatus, string> = {
  operational: 'operational',
  degraded_performance: 'degraded',
  partial_outage: 'degraded',
  major_outage: 'downtime',
  under_maintenance: 'maintenance',
};
const BETTERSTACK_RANK: Record<string, number> = { operational: 0, maintenance: 1, degraded: 2, downtime: 3 };
const UNRESOLVED = new Set(['investigating', 'identified', 'monitoring']);
const MAINTENANCE_OPEN = new Set(['scheduled', 'in_progress', 'verifying']);

/** Statuspage's blended page status from the components (see the header on how it is chosen). */
export function pageStatus(statuses: ComponentStatus[]): { indicator: Indicator; description: string } {
  const worst = statuses.reduce<ComponentStatus>((w, s) => (SEVERITY[s] > SEVERITY[w] ? s : w), 'operational');
  switch (worst) {
    case 'operational':
      return { indicator: 'none', description: 'All Systems Operational' };
    case 'under_maintenance':
      return { indicator: 'maintenance', description: 'Service Under Maintenance' };
    case 'degraded_performance':
      return { indicator: 'minor', description: 'Partially Degraded Service' };
    case 'partial_outage':
      return { indicator: 'minor', description: 'Minor Service Outage' };
    case 'major_outage':
      return statuses.every((s) => s === 'major_outage')
        ? { indicator: 'critical', description: 'Major Service Outage' }
        : { indicator: 'major', description: 'Partial System Outage' };
  }
}

/** Deterministic 12-character [0-9a-z] ids like Statuspage's. */
function idGenerator(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return () => Array.from({ length: 12 }, () => alphabet[Math.floor(next() * 36)]).join('');
}

/** `Sat Jun 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)`, whatever the TZ. */
function jsDateString(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`;
}

export async function startFakeStatuspage(opts: FakeStatuspageOptions = {}): Promise<FakeStatuspage> {
  const clock = opts.clock ?? Date.now;
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  const newId = idGenerator(opts.seed ?? 7);
  let bsCounter = 4_018_900;
  const bsId = () => String(++bsCounter);
  const createdAt = clock();
  let pageUpdatedAt = createdAt;
  const pageId = opts.page?.id ?? newId();
  const sectionId = 104_771;

  const components: Component[] = (opts.components ?? [{ name: 'RPC' }, { name: 'Block production' }]).map((spec, i) => ({
    id: spec.id ?? newId(),
    name: spec.name,
    status: spec.status ?? 'operational',
    created_at: createdAt,
    updated_at: createdAt,
    position: i + 1,
    description: spec.description ?? null,
    showcase: spec.showcase ?? true,
    bsId: bsId(),
  }));
  const incidents: Incident[] = [];
  const failures: { answer: FailAnswer; times: number; path?: string }[] = [];
  const requests: { method: string; path: string; at: number }[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = '';

  const component = (id: string) => {
    const c = components.find((x) => x.id === id);
    if (!c) throw new RangeError(`no component ${id}; known: ${components.map((x) => x.id).join(', ')}`);
    return c;
  };
  const incident = (id: string) => {
    const i = incidents.find((x) => x.id === id);
    if (!i) throw new RangeError(`no incident or maintenance ${id}`);
    return i;
  };
  const touch = () => (pageUpdatedAt = clock());

  /** Applies component changes and returns what an update records as affected_components. */
  function changeComponents(inc: Incident, changes: Record<string, ComponentStatus>): Update['affected'] {
    const now = clock();
    for (const id of Object.keys(changes)) if (!inc.componentIds.includes(id)) inc.componentIds.push(id);
    if (inc.componentIds.length === 0) return null;
    return inc.componentIds.map((id) => {
      const c = component(id);
      const old_status = c.status;
      const next = changes[id];
      if (next !== undefined && next !== c.status) {
        c.status = next;
        c.updated_at = now;
      }
      return { code: c.id, name: c.name, old_status, new_status: c.status };
    });
  }

  function addUpdate(inc: Incident, status: Update['status'], body: string, changes: Record<string, ComponentStatus>) {
    const now = clock();
    const affected = changeComponents(inc, changes);
    inc.updates.unshift({ id: newId(), status, body, at: now, affected, bsId: bsId() });
    inc.status = status;
    inc.updated_at = now;
    if (status === 'monitoring' && inc.monitoring_at === null) inc.monitoring_at = now;
    if ((status === 'resolved' || status === 'postmortem' || status === 'completed') && inc.resolved_at === null) inc.resolved_at = now;
    touch();
  }

  // ---- Statuspage v2 JSON ------------------------------------------------------------------

  const pageJson = () => ({
    id: pageId,
    name: opts.page?.name ?? 'Fake Chain Status',
    url: opts.page?.url ?? baseUrl,
    time_zone: opts.page?.time_zone ?? 'Etc/UTC',
    updated_at: iso(pageUpdatedAt),
  });
  const componentJson = (c: Component) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    position: c.position,
    description: c.description,
    showcase: c.showcase,
    start_date: null,
    group_id: null,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  });
  const incidentJson = (i: Incident) => ({
    id: i.id,
    name: i.name,
    status: i.status,
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
    monitoring_at: iso(i.monitoring_at),
    resolved_at: iso(i.resolved_at),
    impact: i.impact,
    shortlink: `${baseUrl}/incidents/${i.id}`,
    started_at: iso(i.started_at),
    page_id: pageId,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: u.affected,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: i.componentIds.map((id) => componentJson(component(id))),
    ...(i.kind === 'maintenance' ? { scheduled_for: iso(i.scheduled_for), scheduled_until: iso(i.scheduled_until) } : {}),
  });
  const newestFirst = (list: Incident[]) => [...list].sort((a, b) => b.created_at - a.created_at);
  const real = () => newestFirst(incidents.filter((i) => i.kind === 'incident'));
  const maint = () => newestFirst(incidents.filter((i) => i.kind === 'maintenance'));
  const unresolved = () => real().filter((i) => UNRESOLVED.has(i.status));
  const statusJson = () => pageStatus(components.map((c) => c.status));

  const statuspage: Record<string, () => Json> = {
    '/api/v2/summary.json': () => ({
      page: pageJson(),
      components: components.map(componentJson),
      incidents: unresolved().map(incidentJson),
      scheduled_maintenances: maint()
        .filter((m) => MAINTENANCE_OPEN.has(m.status))
        .map(incidentJson),
      status: statusJson(),
    }),
    '/api/v2/status.json': () => ({ page: pageJson(), status: statusJson() }),
    '/api/v2/components.json': () => ({ page: pageJson(), components: components.map(componentJson) }),
    '/api/v2/incidents.json': () => ({ page: pageJson(), incidents: real().slice(0, 50).map(incidentJson) }),
    '/api/v2/incidents/unresolved.json': () => ({ page: pageJson(), incidents: unresolved().map(incidentJson) }),
    '/api/v2/scheduled-maintenances.json': () => ({ page: pageJson(), scheduled_maintenances: maint().map(incidentJson) }),
    '/api/v2/scheduled-maintenances/upcoming.json': () => ({
      page: pageJson(),
      scheduled_maintenances: maint()
        .filter((m) => m.status === 'scheduled')
        .map(incidentJson),
    }),
    '/api/v2/scheduled-maintenances/active.json': () => ({
      page: pageJson(),
      scheduled_maintenances: maint()
        .filter((m) => m.status === 'in_progress' || m.status === 'verifying')
        .map(incidentJson),
    }),
  };

  // ---- Instatus ---------------------------------------------------------------------------

  const instatusDate = (ms: number) => (opts.instatusDateStyle === 'js' ? jsDateString(ms) : new Date(ms).toISOString());
  const instatusSummary = (): Json => {
    const open = unresolved();
    const maints = maint().filter((m) => MAINTENANCE_OPEN.has(m.status));
    const { indicator } = statusJson();
    const hasIssues = open.length > 0 || (indicator !== 'none' && indicator !== 'maintenance');
    const underMaintenance = maints.some((m) => m.status !== 'scheduled') || indicator === 'maintenance';
    const body: { [k: string]: Json } = {
      page: {
        name: opts.page?.name ?? 'Fake Chain Status',
        url: opts.page?.url ?? baseUrl,
        status: hasIssues ? 'HASISSUES' : underMaintenance ? 'UNDERMAINTENANCE' : 'UP',
      },
    };
    if (open.length > 0) {
      body.activeIncidents = open.map((i) => {
        const worst = i.componentIds
          .map((id) => component(id).status)
          .filter((s) => s !== 'operational' && s !== 'under_maintenance')
          .sort((a, b) => SEVERITY[b] - SEVERITY[a])[0];
        return {
          id: i.id,
          name: i.name,
          started: instatusDate(i.started_at),
          status: i.status.toUpperCase(),
          impact: worst ? INSTATUS_COMPONENT[worst] : INSTATUS_IMPACT[i.impact as Impact],
          url: `${baseUrl}/incident/${i.id}`,
          updatedAt: instatusDate(i.updated_at),
        };
      });
    }
    if (maints.length > 0) {
      body.activeMaintenances = maints.map((m) => ({
        id: m.id,
        name: m.name,
        start: instatusDate(m.scheduled_for!),
        status: m.status === 'scheduled' ? 'NOTSTARTEDYET' : 'INPROGRESS',
        duration: String(Math.round((m.scheduled_until! - m.scheduled_for!) / 60_000)),
        url: `${baseUrl}/maintenance/${m.id}`,
        updatedAt: instatusDate(m.updated_at),
      }));
    }
    return body;
  };
  const instatusComponents = (): Json => ({
    components: components.map((c) => ({
      id: c.id,
      name: c.name,
      description: c.description ?? '',
      status: INSTATUS_COMPONENT[c.status],
      group: null,
    })),
  });

  // ---- Better Stack -----------------------------------------------------------------------

  const betterStack = (): Json => {
    const resources = components.map((c) => ({ c, status: BETTERSTACK[c.status] }));
    const aggregate = resources.reduce((w, r) => (BETTERSTACK_RANK[r.status]! > BETTERSTACK_RANK[w]! ? r.status : w), 'operational');
    const reports = newestFirst(incidents);
    const reportState = (i: Incident) => {
      if (!UNRESOLVED.has(i.status) && !MAINTENANCE_OPEN.has(i.status)) return 'resolved';
      if (i.kind === 'maintenance') return 'maintenance';
      const states = i.componentIds.map((id) => BETTERSTACK[component(id).status]);
      return states.reduce((w, s) => (BETTERSTACK_RANK[s]! > BETTERSTACK_RANK[w]! ? s : w), 'degraded');
    };
    const affected = (i: Incident, state: string) =>
      i.componentIds.map((id) => ({
        status_page_resource_id: component(id).bsId,
        status: state === 'resolved' ? 'resolved' : BETTERSTACK[component(id).status],
      }));
    const day = new Date(clock()).toISOString().slice(0, 10);
    const included: Json[] = [
      { id: String(sectionId), type: 'status_page_section', attributes: { name: 'Services', position: 0 } },
      ...resources.map(({ c, status }) => ({
        id: c.bsId,
        type: 'status_page_resource',
        attributes: {
          status_page_section_id: sectionId,
          resource_id: Number(c.bsId) + 1_000_000,
          resource_type: 'Monitor',
          public_name: c.name,
          explanation: c.description ?? '',
          position: c.position - 1,
          status,
          availability: status === 'downtime' ? 0.99 : 1.0,
          status_history: [{ day, status, downtime_duration: 0, maintenance_duration: 0 }],
        },
      })),
    ];
    for (const i of reports) {
      const state = reportState(i);
      included.push({
        id: i.bsId,
        type: 'status_report',
        attributes: {
          title: i.name,
          report_type: i.kind === 'maintenance' ? 'maintenance' : 'manual',
          starts_at: iso(i.kind === 'maintenance' ? i.scheduled_for : i.started_at),
          ends_at: i.kind === 'maintenance' ? iso(i.scheduled_until) : null,
          aggregate_state: state,
          affected_resources: affected(i, state),
        },
        relationships: { status_updates: { data: i.updates.map((u) => ({ id: u.bsId, type: 'status_update' })) } },
      });
      for (const u of i.updates) {
        included.push({
          id: u.bsId,
          type: 'status_update',
          attributes: {
            message: u.body,
            published_at: iso(u.at),
            affected_resources: (u.affected ?? []).map((a) => ({
              status_page_resource_id: component(a.code).bsId,
              status: u.status === 'resolved' || u.status === 'completed' ? 'resolved' : BETTERSTACK[a.new_status],
            })),
          },
        });
      }
    }
    return {
      data: {
        id: '133002',
        type: 'status_page',
        attributes: {
          company_name: opts.page?.name ?? 'Fake Chain Status',
          company_url: baseUrl,
          contact_url: null,
          logo_url: null,
          timezone: 'UTC',
          subdomain: 'fake-chain',
          custom_domain: null,
          announcement: null,
          aggregate_state: aggregate,
          created_at: iso(createdAt),
          updated_at: iso(pageUpdatedAt),
        },
        relationships: {
          sections: { data: [{ id: String(sectionId), type: 'status_page_section' }] },
          resources: { data: components.map((c) => ({ id: c.bsId, type: 'status_page_resource' })) },
          status_reports: { data: reports.map((i) => ({ id: i.bsId, type: 'status_report' })) },
        },
      },
      included,
    };
  };

  const routes: Record<string, () => Json> = {
    ...statuspage,
    '/summary.json': instatusSummary,
    '/v3/summary.json': instatusSummary,
    '/v2/components.json': instatusComponents,
    '/v3/components.json': instatusComponents,
    '/index.json': betterStack,
  };

  // ---- HTTP -------------------------------------------------------------------------------

  function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://page.invalid').pathname;
    requests.push({ method: req.method ?? 'GET', path, at: clock() });
    const rule = failures.find((f) => f.times > 0 && (f.path === undefined || f.path === path));
    if (rule) {
      rule.times -= 1;
      if (rule.answer === 'hang') return;
      if (rule.answer === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        return res.end('{"page":{"id":"');
      }
      res.writeHead(rule.answer, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<html><body><h1>${rule.answer}</h1></body></html>`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return res.end();
    }
    const render = routes[path];
    const page = /^\/(incidents|incident|maintenance)\/([0-9a-z]+)$/.exec(path);
    if (!render && page && incidents.some((i) => i.id === page[2])) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<html><body><h1>${incident(page[2]!).name.replace(/[<&]/g, '')}</h1></body></html>`);
    }
    if (!render) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      return res.end(JSON.stringify({ error: 'Not found' }));
    }
    const body = JSON.stringify(render());
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    req.resume();
    try {
      handle(req, res);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake-statuspage error: ${(err as Error).message}`);
    }
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
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    get componentIds() {
      return components.map((c) => c.id);
    },
    setComponent(id, status) {
      const c = component(id);
      if (c.status !== status) {
        c.status = status;
        c.updated_at = clock();
        touch();
      }
    },
    openIncident(spec) {
      const now = clock();
      const changes: Record<string, ComponentStatus> = Array.isArray(spec.components)
        ? Object.fromEntries(spec.components.map((id) => [id, IMPACT_TO_STATUS[spec.impact]]))
        : { ...(spec.components ?? {}) };
      for (const id of Object.keys(changes)) component(id);
      const inc: Incident = {
        id: newId(),
        kind: 'incident',
        name: spec.name,
        status: spec.status ?? 'investigating',
        impact: spec.impact,
        created_at: now,
        updated_at: now,
        monitoring_at: null,
        resolved_at: null,
        started_at: now,
        componentIds: [],
        updates: [],
        bsId: bsId(),
      };
      incidents.push(inc);
      addUpdate(inc, inc.status, spec.body, changes);
      return inc.id;
    },
    updateIncident(id, status, body, changes = {}) {
      const inc = incident(id);
      if (inc.kind !== 'incident') throw new RangeError(`${id} is a maintenance; use updateMaintenance`);
      addUpdate(inc, status, body, changes);
    },
    resolveIncident(id, body, { restoreComponents = true } = {}) {
      const inc = incident(id);
      if (inc.kind !== 'incident') throw new RangeError(`${id} is a maintenance; use updateMaintenance`);
      const changes = restoreComponents ? Object.fromEntries(inc.componentIds.map((c) => [c, 'operational' as const])) : {};
      addUpdate(inc, 'resolved', body, changes);
    },
    scheduleMaintenance(spec) {
      const now = clock();
      for (const id of spec.components ?? []) component(id);
      const m: Incident = {
        id: newId(),
        kind: 'maintenance',
        name: spec.name,
        status: 'scheduled',
        impact: 'maintenance',
        created_at: now,
        updated_at: now,
        monitoring_at: null,
        resolved_at: null,
        started_at: now,
        componentIds: [],
        updates: [],
        scheduled_for: spec.scheduledFor,
        scheduled_until: spec.scheduledUntil,
        bsId: bsId(),
      };
      incidents.push(m);
      // Scheduling changes no component yet; list them as affected with their current status.
      addUpdate(m, 'scheduled', spec.body, Object.fromEntries((spec.components ?? []).map((c) => [c, component(c).status])));
      return m.id;
    },
    updateMaintenance(id, status, body) {
      const m = incident(id);
      if (m.kind !== 'maintenance') throw new RangeError(`${id} is an incident; use updateIncident`);
      const to: ComponentStatus | null = status === 'in_progress' ? 'under_maintenance' : status === 'completed' ? 'operational' : null;
      addUpdate(m, status, body, to ? Object.fromEntries(m.componentIds.map((c) => [c, to])) : {});
    },
    failNext(answer, { times = 1, path } = {}) {
      failures.push({ answer, times, ...(path === undefined ? {} : { path }) });
    },
    get requests() {
      return [...requests];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}
