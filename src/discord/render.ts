import { MessageFlags, time, TimestampStyles } from 'discord.js';
import type { APIEmbed, APIEmbedField, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { type Head, type Incident, type IncidentEvent, outageSpan, SIGNAL_KINDS } from '../model';
import { formatBlock, formatDuration } from '../util/format';
import { EVENT_LABEL, KIND_LABEL } from '../publish/labels';
import { escapeInline, escapeQuoted, plainText } from './escape';
import {
  EMBED_DESCRIPTION_MAX,
  EMBED_FIELD_VALUE_MAX,
  EMBED_TITLE_MAX,
  EMBEDS_TOTAL_MAX,
  embedLength,
  MESSAGE_CONTENT_MAX,
  THREAD_NAME_MAX,
  truncate,
} from './limits';
import { incidentButtons } from './render-buttons';

/**
 * Discord payloads for one incident: the root message (one embed, edited in place as the
 * incident changes) and one thread message per IncidentEvent. Pure: `now` is a parameter;
 * sending is publisher.ts's job (STYLE.md habit 5). Wording follows the console renderer.
 *
 * Every payload carries `allowed_mentions`: Discord re-parses an edit with the DEFAULT
 * allowances (everyone, roles, users) when it is absent (reference/apis.md §1).
 */

export interface RootContext {
  /** Display name of the network ("OP Mainnet"). */
  networkName: string;
  /** Best head: `timestamp` in seconds, as in a block header. */
  head?: Pick<Head, 'number' | 'timestamp'> | null;
  /** Block explorer base URL; the head links to `<explorerUrl>/block/<n>`. */
  explorerUrl?: string;
  pingRoleId?: string;
  /** True only for the post that opens the incident publicly: edits must not ping again. */
  ping?: boolean;
  /** The network is in a maintenance window: no ping, and the card says so. */
  silenced?: boolean;
  /**
   * File name of the incident picture attached to the root message: the embed shows it as
   * `attachment://<name>` (https://discord.com/developers/docs/reference#uploading-files).
   */
  imageName?: string;
  /** The incident's page on the status page (`http.publicUrl`): the embed title links to it. */
  incidentUrl?: string;
}

const COLOUR = {
  suspected: 0x95a5a6,
  investigating: 0xe74c3c,
  critical: 0x992d22,
  monitoring: 0xf1c40f,
  resolved: 0x2ecc71,
  dismissed: 0x95a5a6,
} as const;

export function statusColour(incident: Pick<Incident, 'status' | 'severity'>): number {
  if (incident.status === 'investigating' && incident.severity === 'critical') return COLOUR.critical;
  return COLOUR[incident.status];
}

export function statusEmoji(incident: Pick<Incident, 'status' | 'severity'>): string {
  switch (incident.status) {
    case 'suspected':
      return '🔍';
    case 'investigating':
      return incident.severity === 'critical' ? '🚨' : incident.severity === 'major' ? '🔴' : '🟠';
    case 'monitoring':
      return '🟡';
    case 'resolved':
      return '✅';
    case 'dismissed':
      return '⚪';
  }
}

/** Moderator names are cut well below any limit: they sit inside other text. */
const NAME_MAX = 64;
/** Snowflakes as the config schema accepts them; anything else is not put in `content`. */
const SNOWFLAKE = /^\d{1,20}$/;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const unix = (ms: number) => Math.floor(ms / 1000);

export function evidenceSummary(signals: Incident['signals']): string {
  return SIGNAL_KINDS.filter((k) => (signals[k] ?? 0) > 0)
    .map((k) => `${KIND_LABEL[k]} ×${signals[k]}`)
    .join(', ');
}

export function renderRoot(incident: Incident, ctx: RootContext, now: number): RESTPostAPIChannelMessageJSONBody {
  // Each part is cut by the escaper, which never leaves half an escape behind.
  const prefix = `${statusEmoji(incident)} ${escapeInline(ctx.networkName, 100)}: `;
  const embed: APIEmbed = {
    title: prefix + escapeInline(incident.title, EMBED_TITLE_MAX - prefix.length),
    description: escapeQuoted(incident.summary, EMBED_DESCRIPTION_MAX),
    color: statusColour(incident),
    fields: rootFields(incident, ctx, now),
    footer: { text: `incident ${incident.id}` },
    timestamp: new Date(incident.updatedAt).toISOString(),
    ...(ctx.imageName ? { image: { url: `attachment://${ctx.imageName}` } } : {}),
    ...(ctx.incidentUrl && /^https?:\/\//.test(ctx.incidentUrl) ? { url: ctx.incidentUrl } : {}),
  };
  // Fields are short by construction; the description is the only part that can be long.
  const over = embedLength(embed) - EMBEDS_TOTAL_MAX;
  if (over > 0) embed.description = truncate(embed.description!, embed.description!.length - over);

  const body: RESTPostAPIChannelMessageJSONBody = {
    embeds: [embed],
    components: incidentButtons(incident),
    allowed_mentions: { parse: [] },
  };
  const role = ctx.pingRoleId;
  if (ctx.ping && !ctx.silenced && role && SNOWFLAKE.test(role)) {
    body.content = `<@&${role}>`;
    body.allowed_mentions = { parse: [], roles: [role] };
  }
  return body;
}

function rootFields(incident: Incident, ctx: RootContext, now: number): APIEmbedField[] {
  const status = [`${capitalise(incident.status)} · ${capitalise(incident.severity)}`];
  if (incident.ack) {
    status.push(`Acknowledged by ${escapeInline(incident.ack.by, NAME_MAX)} ${time(unix(incident.ack.at), TimestampStyles.RelativeTime)}`);
  }
  if (incident.reopened > 0) status.push(`Reopened ${incident.reopened}×`);
  if (ctx.silenced) status.push('🔧 Maintenance: alerts for this network are silenced');

  const since = unix(incident.startedAt);
  const fields: APIEmbedField[] = [
    { name: 'Status', value: status.join('\n'), inline: true },
    { name: 'Since', value: `${time(since, TimestampStyles.ShortDateTime)} (${time(since, TimestampStyles.RelativeTime)})`, inline: true },
  ];
  // The outage as the evidence measured it (to recovery), named: the same figure as the thread's.
  const span = outageSpan(incident);
  if (span.to !== null) fields.push({ name: span.label, value: formatDuration(span.to - span.from), inline: true });
  if (ctx.head) fields.push({ name: 'Latest head', value: headLine(ctx.head, ctx.explorerUrl), inline: true });
  const evidence = evidenceSummary(incident.signals);
  if (evidence) fields.push({ name: 'Evidence', value: truncate(evidence, EMBED_FIELD_VALUE_MAX), inline: false });
  return fields;
}

function headLine(head: Pick<Head, 'number' | 'timestamp'>, explorerUrl: string | undefined): string {
  const block = formatBlock(head.number);
  const url = explorerUrl ? blockUrl(explorerUrl, head.number) : null;
  return `${url ? `[${block}](${url})` : block} · ${time(Math.floor(head.timestamp), TimestampStyles.RelativeTime)}`;
}

/**
 * `<base>/block/<n>` when the base is an http(s) URL. Parentheses are percent-encoded so the
 * URL cannot close the markdown link early.
 */
export function blockUrl(base: string, n: number): string | null {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const href = `${url.href.replace(/\/+$/, '')}/block/${Math.trunc(n)}`;
  return href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/**
 * One thread message per event: `**Recovering** · <t:…:T> (+10 min) — text`. A moderator's
 * update is quoted under their name. Link previews are suppressed: quoted text may carry
 * URLs, and a preview card would give them a prominence chainwatch did not choose.
 */
export function renderThreadEvent(event: IncidentEvent, incident: Incident, now: number): RESTPostAPIChannelMessageJSONBody {
  const by = event.by ? escapeInline(event.by, NAME_MAX) : null;
  const head = threadHead(event, incident, by, now);
  // acknowledged's text is "Acknowledged by <by>.": the head already says it.
  const room = MESSAGE_CONTENT_MAX - head.length - ' — '.length;
  const text = event.type === 'acknowledged' && by ? '' : escapeQuoted(event.text, room);
  return {
    content: text ? `${head} — ${text}` : head,
    allowed_mentions: { parse: [] },
    flags: MessageFlags.SuppressEmbeds,
  };
}

function threadHead(event: IncidentEvent, incident: Incident, by: string | null, now: number): string {
  // A time of day alone is ambiguous for an event delivered hours late (a publisher outage).
  const style = now - event.at > 12 * 3600_000 ? TimestampStyles.ShortDateTime : TimestampStyles.LongTime;
  const when = time(unix(event.at), style);
  const age = event.at > incident.openedAt ? ` (+${formatDuration(event.at - incident.openedAt)})` : '';
  if (event.type === 'update' && by) return `**Update from ${by}** · ${when}${age}`;
  if (event.type === 'acknowledged' && by) return `**Acknowledged** by ${by} · ${when}${age}`;
  return `**${EVENT_LABEL[event.type]}** · ${when}${age}`;
}

/** "MegaETH: Block production halted (2025-03-07)": the date survives any cut of the title. */
export function renderThreadName(incident: Incident, networkName: string): string {
  const suffix = ` (${new Date(incident.openedAt).toISOString().slice(0, 10)})`;
  return plainText(`${networkName}: ${incident.title}`, THREAD_NAME_MAX - suffix.length) + suffix;
}
