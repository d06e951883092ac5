/**
 * The picture of one incident, as the publishers attach it: reads the block intervals and
 * report history (src/store/history.ts) and the incident's timeline, draws the chart (pure), renders
 * the PNG. Publishers call it through `IncidentImageSource`, and treat any failure as "no
 * picture this time": a picture never holds back the words.
 */
import type { BlockInterval, Incident, IncidentEvent, ReportBucket } from '../../model';
import type { Network } from '../../config/network';
import { altText } from './alt-text';
import { renderPng, type PngFontOptions } from './render-png';
import { renderIncidentSvg, type IncidentChart } from './render-svg';
import { chartWindow } from './scale';

export const IMAGE_FILENAME = 'incident.png';

export interface IncidentImage {
  png: Buffer;
  /** Describes the chart for people who cannot see it (≤ 1,000 characters). */
  alt: string;
  filename: string;
}

/** What publishers depend on: an image for an incident as it is at `now`. */
export type IncidentImageSource = (incident: Incident, now: number) => Promise<IncidentImage>;

export interface IncidentImageDeps {
  history: {
    /** As seen for the last hour, summarised per minute before (spans among them). */
    intervals(network: string, fromMs: number, toMs: number): Promise<BlockInterval[]>;
    reports(network: string, fromMs: number, toMs: number): Promise<ReportBucket[]>;
  };
  timeline: (incidentId: string) => Promise<IncidentEvent[]>;
  networks: ReadonlyMap<string, Network>;
  fonts?: PngFontOptions;
}

/** Gathers what the chart needs. A lead before the window tells how long ago the last block came at its start. */
export async function loadIncidentChart(deps: IncidentImageDeps, incident: Incident, now: number): Promise<IncidentChart> {
  const { from, to } = chartWindow(incident, now);
  const network = deps.networks.get(incident.network);
  const lead = Math.max(60_000, (network?.blockTimeMs ?? 1000) * 5);
  const [intervals, reports, events] = await Promise.all([
    deps.history.intervals(incident.network, from - lead, to),
    deps.history.reports(incident.network, from, to),
    deps.timeline(incident.id),
  ]);
  return {
    incident,
    networkName: network?.displayName ?? incident.network,
    events,
    intervals,
    reports,
    from,
    to,
    now,
    blockTimeMs: network?.blockTimeMs ?? null,
  };
}

export function createIncidentImageSource(deps: IncidentImageDeps): IncidentImageSource {
  return async (incident, now) => {
    const chart = await loadIncidentChart(deps, incident, now);
    const png = await renderPng(renderIncidentSvg(chart), deps.fonts);
    return { png, alt: altText(chart), filename: IMAGE_FILENAME };
  };
}
