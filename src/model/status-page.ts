/**
 * A network's official status page as chainwatch read it (src/official/), in one shape whatever
 * the service: Atlassian Statuspage, Instatus or Better Stack. JSON; every text already cleaned
 * (no control or invisible characters) and cut, every list bounded, by the parser.
 */

export const STATUS_PAGE_KINDS = ['statuspage', 'instatus', 'betterstack'] as const;
export type StatusPageKind = (typeof STATUS_PAGE_KINDS)[number];

/** How bad the page says a problem is (Statuspage's impact scale; the others are mapped onto it). */
export type OfficialImpact = 'none' | 'minor' | 'major' | 'critical';

/** An unresolved incident (or, on Better Stack, an open status report). */
export interface OfficialIncident {
  id: string;
  name: string;
  /** The page's own word, lowercase: investigating, identified, monitoring, degraded, downtime … */
  status: string;
  impact: OfficialImpact;
  /**
   * When the page first posted it (ms), if it says: Statuspage's `created_at` (its `started_at`
   * may be backdated to when the problem began, which is not when the page acknowledged it),
   * Better Stack's first update, else the start the page gives.
   */
  postedAt: number | null;
  /** The newest update's text, if the page gives one. */
  update: string | null;
  /** Its page on the status site (http(s) only). */
  url: string | null;
  /** The components it names (Statuspage only; empty: it does not say). */
  components: string[];
}

/** A component the page shows as not operational (maintenance is not a problem). */
export interface OfficialComponent {
  name: string;
  status: 'degraded' | 'partial_outage' | 'major_outage';
  /** When its status last changed (ms), if the page says. */
  since: number | null;
}

export interface OfficialPage {
  kind: StatusPageKind;
  /** The page's own name ("Base Status"), cut. */
  name: string;
  /** The page's overall word: none, minor, major, critical, maintenance, or unknown. */
  indicator: 'none' | 'minor' | 'major' | 'critical' | 'maintenance' | 'unknown';
  incidents: OfficialIncident[];
  components: OfficialComponent[];
  /** A maintenance is in progress (not a problem, but worth knowing). */
  maintenance: boolean;
  /** When chainwatch read it (ms). */
  readAt: number;
}

export const STATUS_PAGE_FAILURE_KINDS = ['timeout', 'http', 'unreachable', 'malformed', 'too_large'] as const;
export type StatusPageFailureKind = (typeof STATUS_PAGE_FAILURE_KINDS)[number];

/** One read of a status page: the page, or why it could not be read (never a throw). */
export type StatusPageReading =
  { ok: true; page: OfficialPage } | { ok: false; at: number; kind: StatusPageFailureKind; message: string; status?: number };
