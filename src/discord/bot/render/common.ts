import type { NetworkHealth } from '../../../engine';
import { escapeInline } from '../../escape';
import { formatDuration } from '../../../util/format';

/**
 * Shared pieces of the slash-command replies: how each health verdict (src/engine/health.ts,
 * shared with the status page) looks in Discord, and safe links to incident threads.
 */

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

export const unix = (ms: number): number => Math.floor(ms / 1000);
