/**
 * Official evidence: what the network's own status page says (src/official/ reads it), as one
 * `status_page` signal from the `official` source, and how far ahead of it chainwatch was.
 * Pure: the page and `now` in, signals out.
 *
 * - A problem is an unresolved incident that is not yet `monitoring` (a fix is in and being
 *   watched: that is the page saying it is nearly over), or a component shown degraded or down
 *   (maintenance is planned work, not a problem). `statusPage.components` narrows components
 *   and the incidents that name components to the ones listed.
 * - The signal is weak (an official page can open a **suspected** incident on its own, and
 *   joins a chain incident as evidence); major when the page says major or critical impact or a
 *   component is in major outage, else minor: critical stays chainwatch's own judgement.
 * - A read that fails keeps the last page read until it is stale (staleAfterMs), then the page
 *   says nothing: an unreachable status page is not evidence either way.
 */
import type { Network } from '../config/network';
import type { Incident, OfficialComponent, OfficialIncident, OfficialPage, Signal, StatusPageReading } from '../model';
import { formatDuration } from '../util/format';

const SUMMARY_MAX = 400;
/** A lead shorter than this is a tie, not worth saying. */
export const OFFICIAL_LEAD_MIN_MS = 60_000;

/** A failed read keeps the last page this long: max(10 min, 5 reads). */
export function staleAfterMs(everyMs: number): number {
  return Math.max(10 * 60_000, 5 * everyMs);
}

/** The page the step judges: a fresh read, else the last one read until it is stale, else none. */
export function pageToJudge(
  reading: StatusPageReading,
  last: OfficialPage | null,
  everyMs: number,
  now: number,
): { page: OfficialPage | null; stale: boolean } {
  if (reading.ok) return { page: reading.page, stale: false };
  if (last && now - last.readAt <= staleAfterMs(everyMs)) return { page: last, stale: false };
  return { page: null, stale: last !== null };
}

interface Problems {
  incidents: OfficialIncident[];
  components: OfficialComponent[];
}

function problemsOf(page: OfficialPage, network: Network): Problems {
  const wanted = network.statusPage?.components?.map((c) => c.toLowerCase());
  const watched = (name: string) => !wanted || name === '' || wanted.includes(name.toLowerCase());
  const components = page.components.filter((c) => watched(c.name));
  const incidents = page.incidents.filter(
    (i) => (i.components.length === 0 || i.components.some(watched)) && (i.status !== 'monitoring' || components.length > 0),
  );
  return { incidents, components };
}

export function observeOfficial(page: OfficialPage | null, network: Network, now: number): Signal[] {
  if (!page) return [];
  const p = problemsOf(page, network);
  if (p.incidents.length === 0 && p.components.length === 0) return [];
  const major =
    p.incidents.some((i) => i.impact === 'major' || i.impact === 'critical') || p.components.some((c) => c.status === 'major_outage');
  const starts = [...p.incidents.map((i) => i.postedAt), ...p.components.map((c) => c.since)].filter(
    (t): t is number => t !== null && t <= now,
  );
  const lead = p.incidents[0];
  return [
    {
      network: network.name,
      kind: 'status_page',
      severity: major ? 'major' : 'minor',
      at: now,
      source: 'official',
      weak: true,
      summary: summaryOf(network, p),
      details: {
        status: lead ? lead.status : (p.components[0]?.status ?? 'degraded'),
        impact: lead ? lead.impact : major ? 'major' : 'minor',
        incidents: p.incidents.length,
        components: cut(
          p.components
            .map((c) => c.name)
            .filter(Boolean)
            .join(', '),
          200,
        ),
        acknowledgedAt: starts.length ? Math.min(...starts) : null,
        page: page.name,
      },
      evidence: p.incidents.map((i) => i.url).filter((u): u is string => u !== null),
    },
  ];
}

const WORDS: Readonly<Record<OfficialComponent['status'], string>> = {
  degraded: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

/** "Base status page: Investigating — “Elevated RPC errors: We are looking into it.”" (the page's words quoted). */
function summaryOf(network: Network, p: Problems): string {
  const who = `${network.displayName} status page`;
  const lead = p.incidents[0];
  if (lead) {
    const words = lead.update ? `${lead.name}: ${lead.update}` : lead.name;
    const more = p.incidents.length > 1 ? ` (and ${p.incidents.length - 1} more)` : '';
    return cut(`${who}: ${capitalise(lead.status)} — “${words || 'an incident'}”${more}`, SUMMARY_MAX);
  }
  const worst = p.components.reduce((w, c) => (rank(c.status) > rank(w.status) ? c : w));
  const names = p.components.map((c) => c.name).filter(Boolean);
  return cut(`${who}: ${WORDS[worst.status]}${names.length ? ` — “${names.join(', ')}”` : ''}`, SUMMARY_MAX);
}

const rank = (s: OfficialComponent['status']) => ['degraded', 'partial_outage', 'major_outage'].indexOf(s);
const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1).replace(/_/g, ' ') : 'Reported');
const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * How long before the official page chainwatch told of this incident (public since
 * `confirmedAt`, else known since `openedAt`), rounded to minutes; null when the page did
 * not acknowledge it, or was first, or within a minute.
 */
export function officialLeadMs(i: Pick<Incident, 'officialAt' | 'confirmedAt' | 'openedAt'>): number | null {
  if (typeof i.officialAt !== 'number') return null;
  const lead = i.officialAt - (i.confirmedAt ?? i.openedAt);
  return lead >= OFFICIAL_LEAD_MIN_MS ? Math.round(lead / 60_000) * 60_000 : null;
}

/** "chainwatch reported this 16 min before the official status page.", or null (see officialLeadMs). */
export function officialLeadText(i: Pick<Incident, 'officialAt' | 'confirmedAt' | 'openedAt'>): string | null {
  const lead = officialLeadMs(i);
  return lead === null ? null : officialLeadSentence(lead);
}

/** The sentence for a lead already measured (a resolved event's `details.officialLeadMs`). */
export function officialLeadSentence(leadMs: number): string {
  return `chainwatch reported this ${formatDuration(leadMs)} before the official status page.`;
}

/**
 * When the page first acknowledged the problem, from the condition that says so: the page's own
 * time for it when plausible (not after now, not a day before the condition), else when
 * chainwatch first read it.
 */
export function acknowledgedAt(c: { since: number; details: Signal['details'] }, now: number): number {
  const t = c.details.acknowledgedAt;
  return typeof t === 'number' && t <= now && t >= c.since - 24 * 3600_000 ? Math.min(t, c.since) : c.since;
}
