import type { Incident } from '../../../model';
import { escapeInline } from '../../escape';
import { formatDuration } from '../../../util/format';
import type { NetworkStatusRow } from './types';

/**
 * Shared pieces of the slash-command replies: one health verdict per network, so /status
 * and the status page agree, and safe links to incident threads.
 */

export type NetworkHealth = 'major' | 'degraded' | 'maintenance' | 'unknown' | 'operational';

/** Worst first: the overview lists networks in this order, so a cut list loses healthy ones. */
export const HEALTH_ORDER: readonly NetworkHealth[] = ['major', 'degraded', 'maintenance', 'unknown', 'operational'];

export const HEALTH_EMOJI: Record<NetworkHealth, string> = {
  major: '🔴',
  degraded: '🟡',
  maintenance: '🔧',
  unknown: '⚪',
  operational: '🟢',
};

export const HEALTH_LABEL: Record<NetworkHealth, string> = {
  major: 'Major outage',
  degraded: 'Degraded',
  maintenance: 'Maintenance',
  unknown: 'No data',
  operational: 'Operational',
};

export const HEALTH_COLOUR: Record<NetworkHealth, number> = {
  major: 0xe74c3c,
  degraded: 0xf1c40f,
  maintenance: 0x3498db,
  unknown: 0x95a5a6,
  operational: 0x2ecc71,
};

/**
 * The incident /status shows: open and public. A suspected incident has not been confirmed
 * (DESIGN.md: weak evidence opens it out of sight), so a public reply does not reveal it.
 */
export function publicIncident(incident: Incident | null): Incident | null {
  if (!incident) return null;
  return incident.status === 'investigating' || incident.status === 'monitoring' ? incident : null;
}

/**
 * The rule of isSilenced in src/incidents/silences.ts (a silence holds until `until`), on the
 * row's narrower silence type, which carries only what a reply shows.
 */
export function rowSilenced(row: NetworkStatusRow, now: number): boolean {
  return !!row.silence && row.silence.until > now;
}

/**
 * A silence means people know (planned maintenance), so it wins. A halt or unreachable RPC
 * is a major outage; any other public incident, or a provider down or behind, is degraded.
 * With no view, no head, or no endpoint answering recently, we do not know.
 */
export function networkHealth(row: NetworkStatusRow, now: number): NetworkHealth {
  if (rowSilenced(row, now)) return 'maintenance';
  const incident = publicIncident(row.incident);
  if (incident) {
    if (incident.status === 'monitoring') return 'degraded';
    const outage = incident.kind === 'halted' || incident.kind === 'rpc_unreachable' || incident.severity === 'critical';
    return outage ? 'major' : 'degraded';
  }
  const view = row.view;
  if (!view?.head || view.endpoints.every((e) => e.status === 'unknown')) return 'unknown';
  if (view.endpoints.some((e) => e.status === 'down' || e.status === 'lagging' || e.status === 'stuck')) return 'degraded';
  return 'operational';
}

/** "12 s ago", computed from `now`: the reply is a snapshot, stamped with `now` in the embed. */
export function ago(at: number, now: number): string {
  const ms = now - at;
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`;
}

/** Only Discord message/thread URLs become links: a row's URL cannot smuggle in another site. */
const THREAD_URL = /^https:\/\/(?:ptb\.|canary\.)?discord\.com\/channels\/\d{1,20}\/\d{1,20}(?:\/\d{1,20})?$/;

export function threadUrl(guildId: string, threadId: string): string {
  return `https://discord.com/channels/${guildId}/${threadId}`;
}

/** The escaped title, as a masked link to the thread when a valid thread URL is known. */
export function titleLink(title: string, url: string | undefined, max = 120): string {
  const text = escapeInline(title, max);
  return url && THREAD_URL.test(url) ? `[${text}](${url})` : text;
}

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const unix = (ms: number): number => Math.floor(ms / 1000);
