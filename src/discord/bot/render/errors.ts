import { time, TimestampStyles } from 'discord.js';
import { escapeInline } from '../../escape';
import { MESSAGE_CONTENT_MAX, truncate } from '../../limits';
import { unix } from './common';
import type { BotReply } from './types';

/**
 * The errors a command answers with, in plain words that say what to do next. Sent
 * ephemerally by the router (only the person who asked sees them). Role mentions in
 * `not_allowed` render as the role's name and ping no one: allowedMentions is empty.
 */
export interface BotErrorDetails {
  unknown_network: { name: string; known: readonly string[] };
  no_such_incident: { id: string };
  /** `permission` in words ("Manage Server"); `action` completes "You cannot …". */
  not_allowed: { roleIds?: readonly string[]; permission?: string; action?: string };
  already_resolved: { id: string; status: 'resolved' | 'dismissed'; at?: number | null };
  silenced: { network: string; until: number; by?: string; reason?: string };
  /** The remaining refusals of applyAction (src/incidents/actions.ts). */
  already_acknowledged: { id: string; by: string; at: number };
  not_suspected: { id: string; status: string };
  empty_text: Record<string, never>;
}

export type BotErrorKind = keyof BotErrorDetails;

const SNOWFLAKE = /^\d{1,20}$/;
/**
 * Ids and network names (letters, digits, dashes) read best as code; anything else is what a
 * person typed, shown quoted and escaped like any untrusted text.
 */
const id = (s: string) => (/^[A-Za-z0-9._-]{1,80}$/.test(s) ? `\`${s}\`` : `“${escapeInline(s, 80)}”`);

const MESSAGES: { [K in BotErrorKind]: (d: BotErrorDetails[K]) => string } = {
  unknown_network: ({ name, known }) => {
    const list = known.length ? `Known networks: ${known.map((n) => id(n)).join(', ')}.` : 'No networks are configured.';
    return `There is no network called “${escapeInline(name, 100)}”. ${list}`;
  },
  no_such_incident: (d) => `There is no incident ${id(d.id)}. \`/incidents\` lists the active ones and their ids.`,
  not_allowed: ({ roleIds = [], permission, action }) => {
    const roles = roleIds.filter((r) => SNOWFLAKE.test(r)).map((r) => `<@&${r}>`);
    const needs = [
      roles.length === 1 ? `the ${roles[0]} role` : roles.length > 1 ? `one of the roles ${roles.join(', ')}` : null,
      permission ? `the ${permission} permission` : null,
    ]
      .filter((x): x is string => x !== null)
      .join(' or ');
    return `You cannot ${action ?? 'do this'}: it needs ${needs || 'a moderator role'}.`;
  },
  already_resolved: (d) => {
    const when = d.at ? ` ${time(unix(d.at), TimestampStyles.RelativeTime)}` : '';
    return `Incident ${id(d.id)} was already ${d.status}${when}. If the problem comes back, chainwatch opens an incident again by itself.`;
  },
  silenced: (d) => {
    const who = d.by ? ` by ${escapeInline(d.by, 64)}` : '';
    const why = d.reason ? `: ${escapeInline(d.reason, 300)}` : '';
    const until = `${time(unix(d.until), TimestampStyles.ShortDateTime)} (${time(unix(d.until), TimestampStyles.RelativeTime)})`;
    return `Alerts for ${escapeInline(d.network, 100)} are silenced until ${until}${who}${why}.`;
  },
  already_acknowledged: (d) =>
    `Incident ${id(d.id)} was already acknowledged by ${escapeInline(d.by, 64)} ${time(unix(d.at), TimestampStyles.RelativeTime)}.`,
  not_suspected: (d) =>
    `Incident ${id(d.id)} is already public (${escapeInline(d.status, 32)}): only a suspected incident can be made public.`,
  empty_text: () => 'The update is empty: write what people should know.',
};

export function renderError<K extends BotErrorKind>(kind: K, details: BotErrorDetails[K]): BotReply {
  const message = (MESSAGES[kind] as (d: BotErrorDetails[K]) => string)(details);
  return { content: truncate(message, MESSAGE_CONTENT_MAX), allowedMentions: { parse: [] } };
}
