/**
 * The public JSON of a status page, read into one shape (OfficialPage). Pure: JSON in, page
 * out, or a reason it is not that kind of page. Every text is cleaned (control, invisible and
 * bidi characters removed, whitespace collapsed) and cut; every list is bounded: a hostile or
 * broken page can make chainwatch say "malformed", never crash it or grow its state.
 *
 * - Atlassian Statuspage, `/api/v2/summary.json`: `status.indicator`, `components[]` (group
 *   containers skipped: their members speak for them), unresolved `incidents[]` with
 *   `incident_updates[]` newest first, `scheduled_maintenances[]`.
 * - Instatus, `/summary.json`: `page.status` UP | HASISSUES | UNDERMAINTENANCE,
 *   `activeIncidents[]` {name, started, status, impact, url}, `activeMaintenances[]`. It carries
 *   no component list and no update text; HASISSUES with no incident is one unnamed problem.
 * - Better Stack, `/index.json` (JSON:API): `data.attributes.aggregate_state`, `included[]`
 *   resources {public_name, status} and status reports {title, report_type, aggregate_state,
 *   starts_at} with their status updates {message, published_at}; a report whose state is
 *   `resolved` is over.
 */
import type { OfficialComponent, OfficialImpact, OfficialIncident, OfficialPage, StatusPageKind } from '../model';

export const MAX_INCIDENTS = 10;
export const MAX_COMPONENTS = 50;
/** Components looked at (a page can list hundreds); only the degraded ones are kept. */
const MAX_COMPONENTS_READ = 500;
const MAX_INCIDENT_COMPONENTS = 10;
const NAME_MAX = 120;
const UPDATE_MAX = 280;
const URL_MAX = 300;

export type ParseResult = { ok: true; page: OfficialPage } | { ok: false; message: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, MAX_COMPONENTS_READ) : []);
const word = (v: unknown): string =>
  typeof v === 'string'
    ? v
        .toLowerCase()
        .replace(/[^a-z_]/g, '')
        .slice(0, 30)
    : '';

// Control characters, zero-width and bidi controls, line and paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** Plain text: no control or invisible characters, one line, at most `max` characters. */
export function cleanText(v: unknown, max: number): string {
  if (typeof v !== 'string') return '';
  const s = v
    .slice(0, max * 4)
    .replace(INVISIBLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length <= max) return s;
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end -= 1;
  return `${s.slice(0, end)}…`;
}

function time(v: unknown): number | null {
  if (typeof v !== 'string' || v.length > 80) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

function link(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > URL_MAX || !/^https?:\/\//i.test(v) || !URL.canParse(v)) return null;
  return new URL(v).href;
}

export function parseStatusPage(kind: StatusPageKind, body: unknown, readAt: number): ParseResult {
  if (!isObj(body)) return { ok: false, message: 'not a JSON object' };
  switch (kind) {
    case 'statuspage':
      return statuspage(body, readAt);
    case 'instatus':
      return instatus(body, readAt);
    case 'betterstack':
      return betterstack(body, readAt);
  }
}

const STATUSPAGE_COMPONENT: Readonly<Record<string, OfficialComponent['status']>> = {
  degraded_performance: 'degraded',
  partial_outage: 'partial_outage',
  major_outage: 'major_outage',
};
const IMPACTS: readonly OfficialImpact[] = ['none', 'minor', 'major', 'critical'];
const impactOf = (v: unknown): OfficialImpact =>
  ((IMPACTS as readonly string[]).find((i) => i === word(v)) as OfficialImpact | undefined) ?? 'none';
const INDICATORS = ['none', 'minor', 'major', 'critical', 'maintenance'] as const;

function statuspage(body: Obj, readAt: number): ParseResult {
  if (!isObj(body.page) || !Array.isArray(body.components) || !Array.isArray(body.incidents))
    return { ok: false, message: 'not a Statuspage summary (page, components, incidents)' };
  const components: OfficialComponent[] = [];
  for (const c of list(body.components)) {
    if (!isObj(c) || c.group === true) continue;
    const status = STATUSPAGE_COMPONENT[word(c.status)];
    if (status && components.length < MAX_COMPONENTS)
      components.push({ name: cleanText(c.name, NAME_MAX), status, since: time(c.updated_at) });
  }
  const incidents: OfficialIncident[] = [];
  for (const i of list(body.incidents)) {
    if (!isObj(i) || incidents.length >= MAX_INCIDENTS) continue;
    const status = word(i.status);
    if (status === 'resolved' || status === 'postmortem' || status === 'completed') continue;
    const updates = list(i.incident_updates).filter(isObj);
    incidents.push({
      id: cleanText(i.id, 40),
      name: cleanText(i.name, NAME_MAX),
      status: status || 'unknown',
      impact: impactOf(i.impact),
      postedAt: time(i.created_at) ?? time(i.started_at),
      update: updates.length ? cleanText(updates[0]!.body, UPDATE_MAX) || null : null,
      url: link(i.shortlink),
      components: list(i.components)
        .slice(0, MAX_INCIDENT_COMPONENTS)
        .flatMap((c) => (isObj(c) && typeof c.name === 'string' ? [cleanText(c.name, NAME_MAX)] : [])),
    });
  }
  const maintenance = list(body.scheduled_maintenances).some((m) => isObj(m) && ['in_progress', 'verifying'].includes(word(m.status)));
  const indicator = isObj(body.status) ? word(body.status.indicator) : '';
  return {
    ok: true,
    page: {
      kind: 'statuspage',
      name: cleanText(body.page.name, NAME_MAX),
      indicator: (INDICATORS as readonly string[]).includes(indicator) ? (indicator as OfficialPage['indicator']) : 'unknown',
      incidents,
      components,
      maintenance,
      readAt,
    },
  };
}

const INSTATUS_IMPACT: Readonly<Record<string, OfficialImpact>> = {
  majoroutage: 'critical',
  partialoutage: 'major',
  degradedperformance: 'minor',
};

function instatus(body: Obj, readAt: number): ParseResult {
  if (!isObj(body.page) || typeof body.page.status !== 'string') return { ok: false, message: 'not an Instatus summary (page.status)' };
  const pageStatus = word(body.page.status);
  const incidents: OfficialIncident[] = [];
  for (const i of list(body.activeIncidents)) {
    if (!isObj(i) || incidents.length >= MAX_INCIDENTS) continue;
    const status = word(i.status);
    if (status === 'resolved') continue;
    incidents.push({
      id: cleanText(i.id, 40),
      name: cleanText(i.name, NAME_MAX),
      status: status || 'unknown',
      impact: INSTATUS_IMPACT[word(i.impact)] ?? 'none',
      postedAt: time(i.started),
      update: null,
      url: link(i.url),
      components: [],
    });
  }
  // HASISSUES with no incident: a component is down, and the summary does not say which.
  const components: OfficialComponent[] =
    pageStatus === 'hasissues' && incidents.length === 0 ? [{ name: '', status: 'degraded', since: null }] : [];
  const maintenance =
    pageStatus === 'undermaintenance' || list(body.activeMaintenances).some((m) => isObj(m) && word(m.status) === 'inprogress');
  return {
    ok: true,
    page: {
      kind: 'instatus',
      name: cleanText(body.page.name, NAME_MAX),
      indicator:
        pageStatus === 'up' ? 'none' : pageStatus === 'hasissues' ? 'minor' : pageStatus === 'undermaintenance' ? 'maintenance' : 'unknown',
      incidents,
      components,
      maintenance,
      readAt,
    },
  };
}

const BETTERSTACK_COMPONENT: Readonly<Record<string, OfficialComponent['status']>> = { degraded: 'degraded', downtime: 'major_outage' };
const BETTERSTACK_IMPACT: Readonly<Record<string, OfficialImpact>> = { degraded: 'minor', downtime: 'major' };

function betterstack(body: Obj, readAt: number): ParseResult {
  const data = body.data;
  if (!isObj(data) || !isObj(data.attributes) || typeof data.attributes.aggregate_state !== 'string')
    return { ok: false, message: 'not a Better Stack status page (data.attributes.aggregate_state)' };
  const included = list(body.included).filter(isObj);
  const updates = new Map<string, Obj>();
  for (const u of included)
    if (u.type === 'status_update' && typeof u.id === 'string' && isObj(u.attributes)) updates.set(u.id, u.attributes);
  const components: OfficialComponent[] = [];
  const incidents: OfficialIncident[] = [];
  let maintenance = word(data.attributes.aggregate_state) === 'maintenance';
  for (const item of included) {
    const a = isObj(item.attributes) ? item.attributes : {};
    if (item.type === 'status_page_resource') {
      const status = BETTERSTACK_COMPONENT[word(a.status)];
      if (status && components.length < MAX_COMPONENTS) components.push({ name: cleanText(a.public_name, NAME_MAX), status, since: null });
    } else if (item.type === 'status_report') {
      const state = word(a.aggregate_state);
      if (state === 'resolved' || state === 'operational') continue;
      if (word(a.report_type) === 'maintenance') {
        maintenance ||= state === 'maintenance';
        continue;
      }
      if (incidents.length >= MAX_INCIDENTS) continue;
      incidents.push({
        id: cleanText(item.id, 40),
        name: cleanText(a.title, NAME_MAX),
        status: state || 'unknown',
        impact: BETTERSTACK_IMPACT[state] ?? 'none',
        postedAt: firstUpdateAt(item, updates) ?? time(a.starts_at),
        update: newestUpdate(item, updates),
        url: null,
        components: [],
      });
    }
  }
  const aggregate = word(data.attributes.aggregate_state);
  const indicator =
    aggregate === 'operational'
      ? 'none'
      : aggregate === 'degraded'
        ? 'minor'
        : aggregate === 'downtime'
          ? 'major'
          : aggregate === 'maintenance'
            ? 'maintenance'
            : 'unknown';
  return {
    ok: true,
    page: {
      kind: 'betterstack',
      name: cleanText(data.attributes.company_name, NAME_MAX),
      indicator,
      incidents,
      components,
      maintenance,
      readAt,
    },
  };
}

function firstUpdateAt(report: Obj, updates: ReadonlyMap<string, Obj>): number | null {
  let first: number | null = null;
  for (const ref of list(updateRefs(report))) {
    const u = isObj(ref) && typeof ref.id === 'string' ? updates.get(ref.id) : undefined;
    const at = u ? time(u.published_at) : null;
    if (at !== null && (first === null || at < first)) first = at;
  }
  return first;
}

const updateRefs = (report: Obj): unknown =>
  isObj(report.relationships) && isObj(report.relationships.status_updates) ? report.relationships.status_updates.data : [];

function newestUpdate(report: Obj, updates: ReadonlyMap<string, Obj>): string | null {
  const rel = updateRefs(report);
  let best: { at: number; text: string } | null = null;
  for (const ref of list(rel)) {
    const u = isObj(ref) && typeof ref.id === 'string' ? updates.get(ref.id) : undefined;
    if (!u) continue;
    const at = time(u.published_at) ?? 0;
    if (!best || at > best.at) best = { at, text: cleanText(u.message, UPDATE_MAX) };
  }
  return best?.text || null;
}
