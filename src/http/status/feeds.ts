import { officialLeadMs, officialLeadText } from '../../engine/official-evidence';
import type { Incident } from '../../model';
import { escapeHtml } from './html';
import { isPublicOpen, STATUS_COLOUR, STATUS_LABEL, type PageStatus } from './model';
import type { NetworkCard, Overview } from './source';

/** JSON feeds, the Atom feed and the SVG badge. Pure: models and `now` in, text out. */

export interface Links {
  /** Absolute base URL when `publicUrl` is configured, else the path prefix ("" at the root). */
  base: string;
}

const incidentHref = (links: Links, id: string) => `${links.base}/incident/${encodeURIComponent(id)}`;

export function incidentJson(i: Incident, links: Links) {
  return {
    id: i.id,
    network: i.network,
    title: i.title,
    status: i.status,
    severity: i.severity,
    kind: i.kind,
    startedAt: new Date(i.startedAt).toISOString(),
    updatedAt: new Date(i.updatedAt).toISOString(),
    recoveredAt: i.recoveredAt === null ? null : new Date(i.recoveredAt).toISOString(),
    resolvedAt: i.resolvedAt === null ? null : new Date(i.resolvedAt).toISOString(),
    acknowledged: i.ack !== null,
    summary: i.summary,
    // When the official status page first acknowledged it, and how long before that chainwatch told (null: not, or later).
    officialAt: typeof i.officialAt === 'number' ? new Date(i.officialAt).toISOString() : null,
    officialLeadMs: officialLeadMs(i),
    url: incidentHref(links, i.id),
  };
}

function networkJson(c: NetworkCard, now: number, links: Links) {
  const head = c.row.view?.head ?? null;
  const incident = isPublicOpen(c.row.incident) ? c.row.incident : null;
  return {
    name: c.network.name,
    displayName: c.network.displayName,
    chainId: c.network.chainId,
    status: c.status,
    statusText: STATUS_LABEL[c.status],
    head: head
      ? {
          number: head.number,
          hash: head.hash,
          timestamp: new Date(head.timestamp * 1000).toISOString(),
          ageSeconds: Math.max(0, Math.round((now - head.timestamp * 1000) / 100) / 10),
        }
      : null,
    uptime90d: c.uptime.ratio,
    maintenance:
      c.status === 'maintenance' && c.row.silence
        ? { until: new Date(c.row.silence.until).toISOString(), reason: c.row.silence.reason }
        : null,
    incident: incident ? incidentJson(incident, links) : null,
    url: `${links.base}/network/${c.network.name}`,
  };
}

export function statusJson(o: Overview, title: string, links: Links) {
  return { title, updatedAt: new Date(o.now).toISOString(), networks: o.cards.map((c) => networkJson(c, o.now, links)) };
}

/**
 * Atom 1.0 (RFC 4287): feed id, title, updated; one entry per incident with id, title,
 * updated, a link to its page and a summary. Ids are tag URIs (RFC 4151) of the incident id,
 * so they stay the same if the public URL changes.
 */
export function atomFeed(
  incidents: readonly Incident[],
  opts: { title: string; links: Links; selfHref: string; now: number; names: (network: string) => string },
): string {
  const x = escapeHtml;
  const updated = new Date(Math.max(0, ...incidents.map((i) => i.updatedAt)) || opts.now).toISOString();
  const entries = incidents.map((i) => {
    const state =
      i.status === 'resolved' ? 'Resolved' : i.status === 'dismissed' ? 'Dismissed' : i.status === 'monitoring' ? 'Recovering' : 'Ongoing';
    return `<entry>
<id>tag:chainwatch,2025:incident:${x(i.id)}</id>
<title>${x(`${state}: ${opts.names(i.network)}: ${i.title}`)}</title>
<updated>${new Date(i.updatedAt).toISOString()}</updated>
<published>${new Date(i.openedAt).toISOString()}</published>
<link rel="alternate" type="text/html" href="${x(incidentHref(opts.links, i.id))}"/>
<category term="${x(i.severity)}"/>
<summary type="text">${x(`${i.status}, ${i.severity}: ${i.summary}${leadOf(i)}`)}</summary>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${x(/^https?:/.test(opts.links.base) ? `${opts.links.base}/feed.atom` : 'tag:chainwatch,2025:incidents')}</id>
<title>${x(`${opts.title}: incidents`)}</title>
<updated>${updated}</updated>
<author><name>${x(opts.title)}</name></author>
<link rel="self" type="application/atom+xml" href="${x(opts.selfHref)}"/>
<link rel="alternate" type="text/html" href="${x(`${opts.links.base}/`)}"/>
<generator>chainwatch</generator>
${entries.join('\n')}
</feed>
`;
}

/** " chainwatch reported this 16 min before the official status page." on a closed incident, else "". */
function leadOf(i: Incident): string {
  const lead = i.status === 'resolved' ? officialLeadText(i) : null;
  return lead ? ` ${lead}` : '';
}

/** Width of Verdana 11 px text, close enough for a badge (shields.io measures the same font). */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[ilI.,:;|!'1]/.test(ch) ? 3.6 : /[mwMW]/.test(ch) ? 9.5 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.6;
  return Math.ceil(w);
}

/** A shields.io-style badge: the network's name on grey, the status word on its colour. */
export function badgeSvg(label: string, status: PageStatus): string {
  const x = escapeHtml;
  const value = STATUS_LABEL[status].toLowerCase();
  const lw = textWidth(label) + 12;
  const vw = textWidth(value) + 12;
  const w = lw + vw;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${x(`${label}: ${value}`)}">
<title>${x(`${label}: ${value}`)}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${STATUS_COLOUR[status]}"/><rect width="${w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${x(label)}</text><text x="${lw / 2}" y="14">${x(label)}</text>
<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${x(value)}</text><text x="${lw + vw / 2}" y="14">${x(value)}</text>
</g></svg>
`;
}
