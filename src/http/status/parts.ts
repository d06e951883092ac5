import { officialLeadText } from '../../engine/official-evidence';
import { type Incident, type IncidentEvent, isClosed, networkOfIncident, type OutageRecord } from '../../model';
import { outageSpanText } from '../../publish/labels';
import { EVENT_LABEL } from '../../publish/labels';
import { formatBlock, formatDateTime, formatDuration, capitalise } from '../../util/format';
import { DETAIL, renderChart, SPARK } from './chart';
import { html, type Html } from './html';
import { formatUptime, incidentLevel, isPublicOpen, STATUS_LABEL, type DayBar, type PageStatus, type Uptime } from './model';
import type { NetworkCard } from './source';

/** Pieces shared by the pages. Pure; every text from data goes through `html` (escaped). */

/** Quoted text (moderator updates, community posts) is cut: a page must stay readable. */
const TEXT_MAX = 2000;
const cut = (s: string, max = TEXT_MAX) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function pill(status: PageStatus): Html {
  return html`<span class="pill p-${status}" data-status="${status}">${STATUS_LABEL[status]}</span>`;
}

export function when(ms: number): Html {
  return html`<time datetime="${new Date(ms).toISOString()}">${formatDateTime(ms)}</time>`;
}

/** "12 s ago", kept ticking by the page script. */
export function ago(ms: number, now: number): Html {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return html`<span data-ago="${ms}">${s < 1 ? 'just now' : `${formatDuration(s * 1000)} ago`}</span>`;
}

export function headLine(card: NetworkCard, now: number): Html {
  const head = card.row.view?.head;
  if (!head) return html`<p class="meta">No head seen yet</p>`;
  return html`<p class="meta">Head <b>${formatBlock(head.number)}</b> · last block ${ago(head.timestamp * 1000, now)}</p>`;
}

export function chart(card: NetworkCard, now: number, detail: boolean): Html {
  const input = {
    buckets: card.buckets,
    lastHeadAt: card.lastHeadAt,
    expectedMs: card.network.blockTimeMs,
    slowFactor: card.network.thresholds.slowFactor,
    now,
  };
  return renderChart(input, detail ? DETAIL : SPARK, `Block intervals of ${card.network.displayName}`);
}

function barTitle(b: DayBar): string {
  const what = b.status === 'unknown' ? 'no data' : b.status === 'operational' ? 'no incident' : STATUS_LABEL[b.status].toLowerCase();
  const down = b.downMs > 0 ? `, ${formatDuration(b.downMs)} down` : '';
  return `${b.date}: ${what}${down}${b.titles.length ? ` (${b.titles.join('; ')})` : ''}`;
}

/**
 * 90 day bars as one SVG, a rect per day (sized by the page's CSS). Every day has a tooltip
 * on the network page; on the overview, with 90 bars per network, only days with an outage.
 */
export function uptimeBars(uptime: Uptime, tooltips: 'all' | 'outages' = 'all'): Html {
  const n = uptime.bars.length;
  const w = 3;
  const gap = 1;
  const rects = uptime.bars.map((b, i) =>
    tooltips === 'all' || b.titles.length > 0
      ? html`<rect class="b-${b.status}" x="${i * (w + gap)}"><title>${barTitle(b)}</title></rect>`
      : html`<rect class="b-${b.status}" x="${i * (w + gap)}"/>`,
  );
  // A young watch says since when: 25 % over the ten minutes since it started is not 25 % over 90 days.
  const from = uptime.since !== null ? `since ${formatDateTime(uptime.since).slice(0, 10)}` : `${n} days ago`;
  const ratio = uptime.ratio === null ? 'no data yet' : `${formatUptime(uptime.ratio)} uptime`;
  return html`<svg class="bars" viewBox="0 0 ${n * (w + gap) - gap} 26" preserveAspectRatio="none" role="img" aria-label="Daily status, last ${n} days">${rects}</svg>
<div class="barlegend"><span>${from}</span><span>${ratio}</span><span>today</span></div>`;
}

export function networkCard(card: NetworkCard, now: number, base: string): Html {
  const { network, row } = card;
  const silence =
    card.status === 'maintenance' && row.silence
      ? html`<p class="meta">Maintenance until ${when(row.silence.until)}: ${cut(row.silence.reason, 300)}</p>`
      : '';
  const incident =
    card.status !== 'maintenance' && isPublicOpen(row.incident)
      ? html`<p class="meta"><a href="${base}/incident/${row.incident.id}">${row.incident.title}</a></p>`
      : '';
  return html`<section class="card" data-network="${network.name}" data-status="${card.status}">
<h3><a href="${base}/network/${network.name}">${network.displayName}</a>${pill(card.status)}</h3>
${headLine(card, now)}${silence}${incident}${chart(card, now, false)}${uptimeBars(card.uptime, 'outages')}</section>`;
}

function eventLine(e: IncidentEvent): Html {
  const label =
    e.type === 'update' && e.by
      ? `Update from ${cut(e.by, 64)}`
      : e.type === 'acknowledged' && e.by
        ? `Acknowledged by ${cut(e.by, 64)}`
        : EVENT_LABEL[e.type];
  const text = e.type === 'acknowledged' && e.by ? '' : cut(e.text);
  return html`<li data-event="${e.type}"><span class="lbl">${label}</span> · ${when(e.at)}<br>${text}</li>`;
}

/** The whole timeline, newest first (as status pages read). */
export function timeline(events: readonly IncidentEvent[]): Html {
  if (events.length === 0) return html``;
  return html`<ol class="timeline" reversed>${[...events].reverse().map(eventLine)}</ol>`;
}

export function incidentStatusLine(i: Incident, now: number): Html {
  const closed = isClosed(i);
  const lasted =
    closed || i.recoveredAt !== null ? outageSpanText(i, i.resolvedAt ?? i.updatedAt) : `ongoing for ${formatDuration(now - i.startedAt)}`;
  const ack = i.ack ? html` · acknowledged by ${cut(i.ack.by, 64)}` : '';
  // How far ahead of the network's official status page (nothing when the page was first).
  const lead = i.status === 'resolved' ? officialLeadText(i) : null;
  const ahead = lead ? html`<br><span data-official-lead>${lead}</span>` : '';
  return html`<p class="meta">${capitalise(i.status)} · ${i.severity} · since ${when(i.startedAt)} · ${lasted}${ack}${ahead}</p>`;
}

export function openIncident(i: Incident, events: readonly IncidentEvent[], networkName: string, now: number, base: string): Html {
  const level = i.status === 'monitoring' ? 'degraded' : incidentLevel(i);
  return html`<article class="incident" data-incident="${i.id}" data-level="${level}">
<h3><a href="${base}/incident/${i.id}">${networkName}: ${i.title}</a> ${pill(level)}</h3>
${incidentStatusLine(i, now)}${timeline(events)}</article>`;
}

export function pastList(
  incidents: readonly Incident[],
  names: (network: string) => string,
  base: string,
  older: readonly OutageRecord[] = [],
): Html {
  if (incidents.length === 0 && older.length === 0) return html`<p class="meta">No incidents in the period kept.</p>`;
  const items = incidents.map((i) => {
    const outcome = i.status === 'dismissed' ? 'dismissed' : outageSpanText(i, i.resolvedAt ?? i.updatedAt);
    return html`<li data-incident="${i.id}"><a href="${base}/incident/${i.id}">${names(i.network)}: ${i.title}</a><br>${when(i.startedAt)} · ${i.severity} · ${outcome}</li>`;
  });
  // Older than the incidents themselves: only the outage window is left.
  const rest = older.map(
    (o) =>
      html`<li data-outage="${o.id}">${names(networkOfIncident(o.id))}: ${o.title}<br>${when(o.startedAt)} · ${o.severity} · lasted ${formatDuration(o.endedAt - o.startedAt)}</li>`,
  );
  return html`<ul class="past">${items}${rest}</ul>`;
}
