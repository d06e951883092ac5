/**
 * What chainwatch tells its operators about itself, in the operators' channel (never a public
 * one): that it has gone blind, and that it sees again. Pure.
 */
import { MessageFlags, time, TimestampStyles } from 'discord.js';
import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { formatDuration } from '../util/format';
import { escapeInline } from './escape';

export interface SightChange {
  blind: boolean;
  since: number;
  reason: string;
}

const REASON_MAX = 400;

export function renderSightChange(change: SightChange, now: number): RESTPostAPIChannelMessageJSONBody {
  const since = time(Math.floor(change.since / 1000), TimestampStyles.LongTime);
  const reason = escapeInline(change.reason, REASON_MAX);
  const content = change.blind
    ? `🔭 **chainwatch is blind** since ${since}: ${reason}. Public posts about what it cannot see are held; check its host's network and DNS.`
    : `👁️ **chainwatch sees again** after ${formatDuration(now - change.since)} blind (${reason}). Networks still failing now open their incidents as usual.`;
  return { content, allowed_mentions: { parse: [] }, flags: MessageFlags.SuppressEmbeds };
}
