import { time, TimestampStyles } from 'discord.js';
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { redactUrls } from '../../../util/redact';
import type { EndpointStatus, EndpointView } from '../../../engine/detectors/view';
import { type Incident, isClosed, isSilenced } from '../../../model';
import { outageSpanText } from '../../../publish/labels';
import type { EndpointClientView } from '../../../util/client-version';
import { escapeInline } from '../../escape';
import { EMBED_DESCRIPTION_MAX, EMBED_FIELD_VALUE_MAX, EMBEDS_TOTAL_MAX, MESSAGE_EMBEDS_MAX, packLines, truncate } from '../../limits';
import { statusEmoji } from '../../render';
import { capitalise, formatBlock, formatDuration, formatSeconds } from '../../../util/format';
import { HEALTH_ORDER, networkHealth, PROVIDER_PROBLEMS, publicIncident, type NetworkHealth } from '../../../engine';
import { ago, HEALTH_COLOUR, HEALTH_EMOJI, HEALTH_LABEL, titleLink, unix } from './common';
import type { BotReply, NetworkStatusRow } from './types';
import { probeLine } from './probe';
import { learntLines } from './learnt';

/** Replies for /status: every network at a glance, or one network in detail. Pure. */

const OVERVIEW_TITLE = 'Network status';
/** One line per network; a longer one (a long title) is cut so it cannot crowd out others. */
const LINE_MAX = 300;
const RECENT_MAX = 5;

/**
 * One line per network, worst first, packed into embed descriptions. With many networks
 * the lines are spread over up to 10 embeds and, past the 6000-character total, the
 * healthiest are summarised as "… and N more", never dropped silently.
 */
export function renderStatusOverview(rows: readonly NetworkStatusRow[], now: number): BotReply {
  const rated = rows.map((row) => ({ row, health: networkHealth(row, now) }));
  rated.sort(
    (a, b) =>
      HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health) ||
      a.row.network.displayName.localeCompare(b.row.network.displayName, 'en'),
  );
  const counts = HEALTH_ORDER.filter((h) => rated.some((r) => r.health === h)).map(
    (h) => `${HEALTH_EMOJI[h]} ${rated.filter((r) => r.health === h).length} ${HEALTH_LABEL[h].toLowerCase()}`,
  );
  const footer = counts.join(' · ') || 'No networks configured';
  const chunks = packLines(
    rated.map(({ row, health }) => overviewLine(row, health, now)),
    {
      chunkMax: EMBED_DESCRIPTION_MAX,
      maxChunks: MESSAGE_EMBEDS_MAX,
      totalMax: EMBEDS_TOTAL_MAX - OVERVIEW_TITLE.length - footer.length,
      lineMax: LINE_MAX,
      more: (n) => `… and ${n} more: \`/status network:<name>\` shows one`,
    },
  );
  const colour = HEALTH_COLOUR[rated[0]?.health ?? 'unknown'];
  const descriptions = chunks.length ? chunks : ['No networks are configured.'];
  const embeds = descriptions.map((description, i): APIEmbed => ({
    ...(i === 0 ? { title: OVERVIEW_TITLE } : {}),
    description,
    color: colour,
    // One footer and timestamp for the whole reply, under the last embed.
    ...(i === descriptions.length - 1 ? { footer: { text: footer }, timestamp: new Date(now).toISOString() } : {}),
  }));
  return { embeds, allowedMentions: { parse: [] } };
}

function overviewLine(row: NetworkStatusRow, health: NetworkHealth, now: number): string {
  const parts = [`${HEALTH_EMOJI[health]} **${escapeInline(row.network.displayName, 64)}**`];
  const head = row.view?.head;
  parts.push(head ? `${formatBlock(head.number)} · ${ago(head.timestamp * 1000, now)}` : 'no data yet');
  if (health === 'maintenance' && row.silence) parts.push(`maintenance until ${time(unix(row.silence.until), TimestampStyles.ShortTime)}`);
  const incident = publicIncident(row.incident);
  if (incident) parts.push(titleLink(incident.title, row.threadUrl));
  else if (health === 'degraded' && row.view) parts.push(endpointProblems(row.view.endpoints));
  return parts.join(' · ');
}

/** Why a network without an incident is degraded: "rpc-b down", "rpc-b down, rpc-c lagging +2". */
function endpointProblems(endpoints: readonly EndpointView[]): string {
  const bad = endpoints.filter((e) => PROVIDER_PROBLEMS.has(e.status));
  const named = bad.slice(0, 2).map((e) => `${escapeInline(e.label, 40)} ${e.status}`);
  return named.join(', ') + (bad.length > 2 ? ` +${bad.length - 2}` : '');
}

const ENDPOINT_EMOJI: Record<EndpointStatus, string> = {
  ok: '✅',
  lagging: '🟡',
  stuck: '🟠',
  down: '🔴',
  divergent: '⛔',
  wrong_chain: '⛔',
  unknown: '⚪',
};

/** /status network:<name>: endpoints, block time, safe lag, the open and recent incidents. */
export function renderNetworkDetail(row: NetworkStatusRow, recent: readonly Incident[], now: number): BotReply {
  const health = networkHealth(row, now);
  const embed: APIEmbed = {
    title: `${HEALTH_EMOJI[health]} ${escapeInline(row.network.displayName, 100)}: ${HEALTH_LABEL[health]}`,
    description: detailSummary(row, now).join('\n'),
    color: HEALTH_COLOUR[health],
    fields: [...endpointFields(row.view?.endpoints ?? [], now, row), ...incidentFields(row, recent, now)],
    footer: { text: `${row.network.name} · chain id ${row.network.chainId}` },
    timestamp: new Date(now).toISOString(),
  };
  return { embeds: [embed], allowedMentions: { parse: [] } };
}

function detailSummary(row: NetworkStatusRow, now: number): string[] {
  const { view, network } = row;
  const lines: string[] = [];
  if (!view?.head) lines.push('No head seen yet: chainwatch has no data for this network.');
  else lines.push(`Head ${formatBlock(view.head.number)} · last block ${ago(view.head.timestamp * 1000, now)}`);
  if (view) {
    const expected = `expected ${formatSeconds(network.blockTimeMs)}`;
    lines.push(
      view.blockIntervalMs === null
        ? `Block time: too few recent blocks to tell (${expected})`
        : `Block time ${formatSeconds(view.blockIntervalMs)} (${expected})`,
    );
    if (view.safeLag !== null) {
      const limit = network.thresholds.safeLagBlocks;
      lines.push(
        `Safe head ${view.safeLag} block${view.safeLag === 1 ? '' : 's'} behind latest${limit === null ? '' : ` (alert above ${limit})`}`,
      );
    }
  }
  // Views built without a chain state (tests, fixtures) have no `learnt`.
  if (view?.learnt) lines.push(...learntLines(view.learnt, network));
  if (row.probe && network.probe) lines.push(probeLine(row.probe, network.probe.deadlineMs));
  if (isSilenced(row.silence, now)) {
    const s = row.silence;
    lines.push(
      `🔧 Alerts silenced until ${time(unix(s.until), TimestampStyles.ShortDateTime)} by ${escapeInline(s.by, 64)}: ${escapeInline(s.reason, 300)}`,
    );
  }
  return lines;
}

/** RPC error texts come from third parties: redacted again (URLs can carry API keys) and escaped. */
function endpointLine(ep: EndpointView, now: number, row: NetworkStatusRow): string {
  const parts = [`${ENDPOINT_EMOJI[ep.status]} **${escapeInline(ep.label, 64)}** ${ep.status}`];
  if (ep.number !== null) parts.push(formatBlock(ep.number));
  if (ep.latencyMs !== null) parts.push(`${Math.round(ep.latencyMs)} ms`);
  if (ep.observedAt !== null && ep.status !== 'ok') parts.push(`seen ${ago(ep.observedAt, now)}`);
  if (ep.lastError) parts.push(`${ep.failures} failed: ${escapeInline(redactUrls(ep.lastError), 200)}`);
  const client = row.clients?.[ep.label];
  if (client) parts.push(clientText(client));
  const memory = row.memory?.[ep.label];
  if (memory) parts.push(`memory ${escapeInline(memory, 120)}`);
  return parts.filter(Boolean).join(' · ');
}

/** "reth 1.3.12", or "⚠️ reth 1.3.12, older than 1.4.0"; the answer is third-party text: escaped and cut. */
export function clientText(c: EndpointClientView): string {
  if (c.raw === null) return '';
  const name = c.version ? `${escapeInline(c.client ?? '?', 40)} ${c.version}` : escapeInline(c.raw, 60);
  if (c.check.kind === 'outdated') return `⚠️ ${name}, older than ${c.check.minimum}`;
  if (c.check.kind === 'unknown') return `⚠️ ${name}: version not recognised (minimum ${c.check.minimum})`;
  return name;
}

function endpointFields(endpoints: readonly EndpointView[], now: number, row: NetworkStatusRow): APIEmbedField[] {
  if (endpoints.length === 0) return [];
  const chunks = packLines(
    endpoints.map((ep) => endpointLine(ep, now, row)),
    { chunkMax: EMBED_FIELD_VALUE_MAX, maxChunks: 3, totalMax: 3 * EMBED_FIELD_VALUE_MAX, more: (n) => `… and ${n} more endpoints` },
  );
  return chunks.map((value, i) => ({ name: i === 0 ? `Endpoints (${endpoints.length})` : 'Endpoints (cont.)', value }));
}

function incidentFields(row: NetworkStatusRow, recent: readonly Incident[], now: number): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  const open = publicIncident(row.incident);
  if (open) {
    const ack = open.ack
      ? `\nAcknowledged by ${escapeInline(open.ack.by, 64)} ${time(unix(open.ack.at), TimestampStyles.RelativeTime)}`
      : '';
    const value = `${titleLink(open.title, row.threadUrl)}\n${capitalise(open.status)} · ${capitalise(open.severity)} · since ${time(unix(open.startedAt), TimestampStyles.RelativeTime)}${ack}`;
    fields.push({ name: 'Open incident', value });
  }
  // Only incidents that were public: a suspected one dismissed before confirmation never happened for readers.
  const past = recent
    .filter((i) => i.confirmedAt !== null && i.id !== open?.id)
    .sort((a, b) => b.openedAt - a.openedAt)
    .slice(0, RECENT_MAX);
  if (past.length)
    fields.push({ name: 'Recent incidents', value: truncate(past.map((i) => recentLine(i, now)).join('\n'), EMBED_FIELD_VALUE_MAX) });
  return fields;
}

function recentLine(i: Incident, now: number): string {
  const closed = isClosed(i);
  const lasted = closed ? outageSpanText(i, i.resolvedAt ?? i.updatedAt) : `ongoing for ${formatDuration(now - i.startedAt)}`;
  return `${statusEmoji(i)} ${escapeInline(i.title, 120)} · ${i.status} · ${time(unix(i.openedAt), TimestampStyles.ShortDateTime)} · ${lasted}`;
}
