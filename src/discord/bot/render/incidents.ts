import { time, TimestampStyles } from 'discord.js';
import type { APIEmbed } from 'discord-api-types/v10';
import { type Incident, isClosed } from '../../../model';
import { outageSpanText } from '../../../publish/labels';
import { escapeInline } from '../../escape';
import { EMBED_DESCRIPTION_MAX, EMBEDS_TOTAL_MAX, packLines } from '../../limits';
import { statusColour, statusEmoji } from '../../render';
import { capitalise, formatDuration } from '../../../util/format';
import { titleLink, unix } from './common';
import type { BotReply } from './types';

/**
 * /incidents: the active or recent incidents, one line each, in the order given (the command
 * queries and sorts). Incidents that never became public (suspected, or dismissed while
 * suspected) are left out unless `includeSuspected`: /incidents answers anyone, and weak
 * evidence is not announced (DESIGN.md: suspected incidents are not public).
 */

export interface IncidentListItem {
  incident: Incident;
  threadUrl?: string;
  /** Display name of the network; the incident's network key when absent. */
  networkName?: string;
}

export type IncidentFilter = 'active' | 'recent';

const TITLE: Record<IncidentFilter, string> = { active: 'Active incidents', recent: 'Recent incidents' };
const EMPTY: Record<IncidentFilter, string> = {
  active: 'No active incidents: nothing is wrong on any watched network that chainwatch can see.',
  recent: 'No incidents in the recent history.',
};
const LINE_MAX = 400;

export function renderIncidentList(
  all: readonly IncidentListItem[],
  filter: IncidentFilter,
  now: number,
  opts: { includeSuspected?: boolean } = {},
): BotReply {
  const items = opts.includeSuspected ? all : all.filter((item) => item.incident.confirmedAt !== null);
  if (items.length === 0) return { content: EMPTY[filter], allowedMentions: { parse: [] } };
  const title = `${TITLE[filter]} (${items.length})`;
  // One embed: the list reads top to bottom, and 4096 characters hold about 25 lines.
  const [description] = packLines(
    items.map((item) => incidentLine(item, now)),
    {
      chunkMax: EMBED_DESCRIPTION_MAX,
      maxChunks: 1,
      totalMax: EMBEDS_TOTAL_MAX - title.length,
      lineMax: LINE_MAX,
      more: (n) => `… and ${n} more`,
    },
  );
  const embed: APIEmbed = {
    title,
    description: description!,
    color: statusColour(items[0]!.incident),
    timestamp: new Date(now).toISOString(),
  };
  return { embeds: [embed], allowedMentions: { parse: [] } };
}

function incidentLine({ incident: i, threadUrl, networkName }: IncidentListItem, now: number): string {
  const parts = [
    `${statusEmoji(i)} **${escapeInline(networkName ?? i.network, 64)}**`,
    titleLink(i.title, threadUrl),
    `${capitalise(i.status)} · ${capitalise(i.severity)}`,
  ];
  const closed = isClosed(i);
  if (closed) {
    parts.push(`${time(unix(i.startedAt), TimestampStyles.ShortDateTime)} · ${outageSpanText(i, i.resolvedAt ?? i.updatedAt)}`);
  } else {
    parts.push(`since ${time(unix(i.startedAt), TimestampStyles.RelativeTime)} (${formatDuration(now - i.startedAt)})`);
    parts.push(i.ack ? `acknowledged by ${escapeInline(i.ack.by, 64)}` : 'not acknowledged');
  }
  return parts.join(' · ');
}
