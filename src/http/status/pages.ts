import { isClosed } from '../../model';
import { formatBlock, formatSeconds } from '../../util/format';
import { html, type Html } from './html';
import type { Shell } from './layout';
import { STATUS_LABEL, STATUS_ORDER, worst, type PageStatus } from './model';
import { chart, headLine, incidentStatusLine, networkCard, openIncident, pastList, pill, timeline, uptimeBars, when } from './parts';
import type { IncidentPage, NetworkPage, Overview } from './source';

/** The three pages (overview, network, incident) as Shells for layout.ts. Pure. */

export interface Site {
  title: string;
  /** Path prefix of links ("" or e.g. "/status"). */
  base: string;
}

function banner(statuses: readonly PageStatus[]): Html {
  const w = worst(statuses);
  const bad = statuses.filter((s) => s !== 'operational').length;
  const text =
    statuses.length === 0
      ? 'No networks are configured'
      : w === 'operational'
        ? 'All networks operational'
        : `${bad} of ${statuses.length} network${statuses.length === 1 ? '' : 's'} not fully operational`;
  return html`<div class="banner p-${w}" data-status="${w}">${text}</div>`;
}

const docTitle = (status: PageStatus, what: string) => (status === 'operational' ? what : `${STATUS_LABEL[status]} · ${what}`);

export function overviewPage(o: Overview, site: Site): Shell {
  const statuses = o.cards.map((c) => c.status);
  const order = (s: PageStatus) => STATUS_ORDER.indexOf(s);
  const cards = [...o.cards].sort(
    (a, b) => order(a.status) - order(b.status) || a.network.displayName.localeCompare(b.network.displayName, 'en', { numeric: true }),
  );
  const names = new Map(o.cards.map((c) => [c.network.name, c.network.displayName]));
  const name = (n: string) => names.get(n) ?? n;
  const open = o.open.length
    ? html`<h2>Open incidents</h2>${o.open.map((x) => openIncident(x.incident, x.timeline, name(x.incident.network), o.now, site.base))}`
    : '';
  const main = html`${banner(statuses)}${open}
<h2>Networks</h2><div class="grid">${cards.map((c) => networkCard(c, o.now, site.base))}</div>
<h2>Past incidents</h2>${pastList(o.past, name, site.base)}
<p class="meta">Updated ${when(o.now)}</p>`;
  return { documentTitle: docTitle(worst(statuses), site.title), siteTitle: site.title, base: site.base, main, now: o.now };
}

export function networkPage(p: NetworkPage, site: Site): Shell {
  const { card, now } = p;
  const { network, row } = card;
  const view = row.view;
  const facts = [
    view?.blockIntervalMs != null
      ? `Block time ${formatSeconds(view.blockIntervalMs)} (expected ${formatSeconds(network.blockTimeMs)})`
      : `Expected block time ${formatSeconds(network.blockTimeMs)}`,
    `Chain id ${network.chainId}`,
  ];
  const silence =
    card.status === 'maintenance' && row.silence
      ? html`<p class="meta">Maintenance until ${when(row.silence.until)}: ${row.silence.reason}</p>`
      : '';
  const endpoints = view?.endpoints.length
    ? html`<h2>RPC providers</h2><table class="endpoints"><tr><th>Provider</th><th>Status</th><th>Head</th></tr>${view.endpoints.map(
        (e) => html`<tr><td>${e.label}</td><td>${e.status}</td><td>${e.number === null ? '–' : formatBlock(e.number)}</td></tr>`,
      )}</table>`
    : '';
  const explorer =
    network.explorerUrl && /^https?:\/\//.test(network.explorerUrl)
      ? html` · <a href="${network.explorerUrl}" rel="noopener nofollow">explorer</a>`
      : '';
  const main = html`<section class="card" data-network="${network.name}" data-status="${card.status}">
<h3>${network.displayName}${pill(card.status)}</h3>${headLine(card, now)}<p class="meta">${facts.join(' · ')}${explorer}</p>${silence}
<h2>Block intervals, last hour</h2>${chart(card, now, true)}
<h2>Last 90 days</h2>${uptimeBars(card.uptime)}</section>
${p.open ? html`<h2>Open incident</h2>${openIncident(p.open.incident, p.open.timeline, network.displayName, now, site.base)}` : ''}
${endpoints}
<h2>Past incidents</h2>${pastList(p.past, () => network.displayName, site.base, p.older)}
<p class="meta">Updated ${when(now)}</p>`;
  return {
    documentTitle: docTitle(card.status, `${network.displayName} · ${site.title}`),
    siteTitle: site.title,
    base: site.base,
    main,
    now,
  };
}

export function incidentPage(p: IncidentPage, site: Site): Shell {
  const { incident: i, network, now } = p;
  const closed = isClosed(i);
  const head = closed ? html`<span class="pill p-operational">${i.status === 'resolved' ? 'Resolved' : 'Dismissed'}</span>` : '';
  const main = html`<article class="incident" data-incident="${i.id}" data-incident-status="${i.status}">
<h3>${network.displayName}: ${i.title} ${head}</h3>
${incidentStatusLine(i, now)}<p>${i.summary}</p>
<p class="meta">Network: <a href="${site.base}/network/${network.name}">${network.displayName}</a> · incident ${i.id}</p>
<h2>Timeline</h2>${timeline(p.timeline)}</article>
<p class="meta">Updated ${when(now)}</p>`;
  return {
    documentTitle: `${closed ? '' : 'Ongoing: '}${network.displayName}: ${i.title} · ${site.title}`,
    siteTitle: site.title,
    base: site.base,
    main,
    now,
  };
}

export function notFoundPage(what: string, site: Site, now: number): Shell {
  const main = html`<h2>Not found</h2><p>${what}</p><p><a href="${site.base}/">All networks</a></p>`;
  return { documentTitle: `Not found · ${site.title}`, siteTitle: site.title, base: site.base, main, now };
}
