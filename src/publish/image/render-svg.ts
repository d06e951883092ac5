/**
 * The incident picture as SVG: block intervals across the incident window (log scale), the
 * incident's span shaded and labelled, the alert, recovery and resolution marked, community
 * reports per minute as bars beneath on the same time axis, and the title, network, status
 * and duration above. 1200×675: X's 16:9 card size; Discord shows it full width in the embed.
 *
 * Pure (DESIGN.md principle 1): data and `now` in, a string out. Every piece of text is
 * escaped for XML and cut to fit, and characters XML forbids are dropped, so no title or
 * network name can break the document or inject markup.
 */
import type { BlockInterval, Incident, IncidentEvent, ReportBucket, SignalKind } from '../../model';
import { outageSpanText } from '../labels';
import { formatDateTime, formatDuration } from '../../util/format';
import { KIND_LABEL } from '../labels';
import { columns, intervalScale, logPosition, median, timeTicks, typicalSeconds, type Column, type LogScale } from './scale';

export const IMAGE_WIDTH = 1200;
export const IMAGE_HEIGHT = 675;

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface IncidentChart {
  incident: Incident;
  /** Display name of the network ("MegaETH"). */
  networkName: string;
  /** The incident's timeline (recoveries, relapses and resolution are marked). */
  events: readonly IncidentEvent[];
  intervals: readonly BlockInterval[];
  reports: readonly ReportBucket[];
  from: number;
  to: number;
  now: number;
  /** The network's expected block time, drawn as a dashed line. */
  blockTimeMs?: number | null;
}

/** Plot areas: intervals above, reports beneath, one time axis. */
const X0 = 110;
const X1 = 1160;
const A = { top: 150, bottom: 470 };
const B = { top: 510, bottom: 598 };
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
const C = {
  bg: '#ffffff',
  text: '#111827',
  muted: '#6b7280',
  grid: '#e5e7eb',
  interval: '#2563eb',
  intervalFill: '#bfdbfe',
  gap: '#dc2626',
  gapFill: '#fecaca',
  reports: '#7c3aed',
  alert: '#ea580c',
  recovered: '#16a34a',
  resolved: '#374151',
};

/** "Halted", "Provider down": the kind's label at the start of a sentence. */
export function kindText(kind: SignalKind): string {
  return capitalise(KIND_LABEL[kind]);
}

/** Below this window, times are shown to the second (markers, "as of", alt text). */
const SECONDS_BELOW_MS = 30 * 60_000;

/** Clock time for labels: seconds too when the window is short enough for them to matter. */
export function timeOfDay(ms: number, chart: Pick<IncidentChart, 'from' | 'to'>): string {
  return clock(ms, chart.to - chart.from < SECONDS_BELOW_MS);
}

/** Report buckets with reports that overlap the window. */
export function reportsInWindow(reports: readonly ReportBucket[], from: number, to: number): ReportBucket[] {
  return reports.filter((r) => r.t + 60_000 > from && r.t <= to && r.count > 0);
}

// XML 1.0 allows tab, newline, carriage return and U+0020 upwards, except surrogates and U+FFFE/F.
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for an SVG text node or attribute: invalid characters dropped, markup escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Cuts to `max` characters (code points) with an ellipsis; then escapes. */
export function fitText(text: string, max: number): string {
  const chars = Array.from(text.replace(XML_INVALID, ''));
  const cut =
    chars.length > max
      ? `${chars
          .slice(0, Math.max(0, max - 1))
          .join('')
          .trimEnd()}…`
      : chars.join('');
  return escapeXml(cut);
}

const px = (n: number) => Math.round(n * 10) / 10;

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}" ${attrs}>${body}</text>`;
}

/** The end of the shaded span: blocks came back (recovery), else resolution, else now. */
export function spanEnd(incident: Incident, now: number): number {
  return incident.recoveredAt ?? incident.resolvedAt ?? now;
}

export function subtitle(incident: Incident, now: number): string {
  const status = `${capitalise(incident.status)} · ${capitalise(incident.severity)}`;
  const end = incident.resolvedAt;
  const duration = end !== null ? outageSpanText(incident, end) : `${formatDuration(now - incident.startedAt)} so far`;
  return `${status} · ${duration} · since ${formatDateTime(incident.startedAt)}`;
}

export function renderIncidentSvg(chart: IncidentChart): string {
  const { incident, from, to, now } = chart;
  const n = X1 - X0;
  const x = (t: number) => X0 + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * n;
  const blockTimeS = chart.blockTimeMs ? chart.blockTimeMs / 1000 : null;
  const gapAfterS = 2 * (blockTimeS ?? median(chart.intervals.map(typicalSeconds)));
  const cols = columns(chart.intervals, from, to, n, Math.min(incident.resolvedAt ?? now, now, to), gapAfterS);
  const values = cols.flatMap((c) => [c.interval, c.gap]).filter((v): v is number => v !== null && v > 0);
  const scale = intervalScale(values.length ? Math.min(...values) : 1, values.length ? Math.max(...values) : 10, blockTimeS);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_WIDTH}" height="${IMAGE_HEIGHT}" viewBox="0 0 ${IMAGE_WIDTH} ${IMAGE_HEIGHT}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="${C.bg}"/>`,
    text(40, 56, fitText(`${chart.networkName}: ${incident.title}`, 60), `font-size="32" font-weight="bold" fill="${C.text}"`),
    text(40, 92, fitText(subtitle(incident, now), 100), `font-size="20" fill="${C.muted}"`),
    shading(incident, x, now),
    intervalAxis(scale, blockTimeS),
    intervalSeries(cols, scale),
    values.length === 0
      ? text(
          (X0 + X1) / 2,
          (A.top + A.bottom) / 2,
          'No block data recorded for this window',
          `font-size="18" fill="${C.muted}" text-anchor="middle"`,
        )
      : '',
    reportBars(chart.reports, from, to, x),
    markers(chart, x),
    timeAxis(from, to, x),
    text(40, 655, fitText(`chainwatch · incident ${incident.id} · times in UTC`, 90), `font-size="14" fill="${C.muted}"`),
    text(X1, 655, escapeXml(`as of ${timeOfDay(now, chart)} UTC`), `font-size="14" fill="${C.muted}" text-anchor="end"`),
    '</svg>',
  ];
  return parts.filter(Boolean).join('\n');
}

function shading(incident: Incident, x: (t: number) => number, now: number): string {
  const x0 = x(incident.startedAt);
  const x1 = Math.max(x(spanEnd(incident, now)), x0 + 2);
  const severe = incident.kind === 'halted' || incident.kind === 'rpc_unreachable';
  const fill = severe ? '#fee2e2' : '#ffedd5';
  const label = `${kindText(incident.kind)} ${formatDuration(spanEnd(incident, now) - incident.startedAt)}`;
  const right = x1 > X1 - 200;
  return [
    `<g id="incident-span">`,
    `<rect x="${px(x0)}" y="${A.top}" width="${px(x1 - x0)}" height="${B.bottom - A.top}" fill="${fill}" opacity="0.8"/>`,
    text(
      right ? x1 - 6 : x0 + 6,
      A.top - 10,
      escapeXml(label),
      `font-size="16" font-weight="bold" fill="${severe ? C.gap : C.alert}" text-anchor="${right ? 'end' : 'start'}"`,
    ),
    `</g>`,
  ].join('\n');
}

function yA(scale: LogScale, s: number): number {
  return A.bottom - logPosition(scale, s) * (A.bottom - A.top);
}

function intervalAxis(scale: LogScale, blockTimeS: number | null): string {
  const out = [text(X0, A.top - 32, 'Seconds between blocks (log scale)', `font-size="15" fill="${C.muted}"`)];
  for (const t of scale.ticks) {
    const y = px(yA(scale, t.s));
    out.push(`<line x1="${X0}" x2="${X1}" y1="${y}" y2="${y}" stroke="${C.grid}"/>`);
    out.push(text(X0 - 8, y + 5, escapeXml(t.label), `font-size="14" fill="${C.muted}" text-anchor="end"`));
  }
  if (blockTimeS) {
    const y = px(yA(scale, blockTimeS));
    out.push(`<line id="expected-block-time" x1="${X0}" x2="${X1}" y1="${y}" y2="${y}" stroke="${C.muted}" stroke-dasharray="6 4"/>`);
  }
  out.push(`<line x1="${X0}" x2="${X1}" y1="${A.bottom}" y2="${A.bottom}" stroke="${C.muted}"/>`);
  return out.join('\n');
}

/** One path per run of columns of the same kind: block intervals in blue, the climbing gap in red. */
function intervalSeries(cols: readonly Column[], scale: LogScale): string {
  const runs: { kind: 'interval' | 'gap'; pts: [number, number][] }[] = [];
  cols.forEach((c, i) => {
    const kind = c.interval !== null ? 'interval' : c.gap !== null ? 'gap' : null;
    if (!kind) return;
    const v = (c.interval ?? c.gap)!;
    const last = runs.at(-1);
    const pt: [number, number] = [X0 + i + 0.5, px(yA(scale, v))];
    if (last && last.kind === kind && last.pts.at(-1)![0] === pt[0] - 1) last.pts.push(pt);
    else runs.push({ kind, pts: [pt] });
  });
  const paths = runs.map((r) => {
    const line = r.pts.map(([px_, py], j) => `${j ? 'L' : 'M'}${px_} ${py}`).join('');
    const first = r.pts[0]!;
    const last = r.pts.at(-1)!;
    const area = `M${first[0] - 0.5} ${A.bottom}L${first[0] - 0.5} ${first[1]}${r.pts.map(([ax, ay]) => `L${ax} ${ay}`).join('')}L${last[0] + 0.5} ${last[1]}L${last[0] + 0.5} ${A.bottom}Z`;
    const [stroke, fill] = r.kind === 'gap' ? [C.gap, C.gapFill] : [C.interval, C.intervalFill];
    return `<path class="${r.kind}-area" d="${area}" fill="${fill}" opacity="0.7"/>\n<path class="${r.kind}" d="${line}" fill="none" stroke="${stroke}" stroke-width="2" stroke-linejoin="round"/>`;
  });
  return `<g id="block-intervals">\n${paths.join('\n')}\n</g>`;
}

function reportBars(reports: readonly ReportBucket[], from: number, to: number, x: (t: number) => number): string {
  const inWindow = reportsInWindow(reports, from, to);
  const max = Math.max(0, ...inWindow.map((r) => r.count));
  const out = [
    text(X0, B.top - 10, 'Community outage reports per minute', `font-size="15" fill="${C.muted}"`),
    `<line x1="${X0}" x2="${X1}" y1="${B.bottom}" y2="${B.bottom}" stroke="${C.muted}"/>`,
    text(X0 - 8, B.bottom + 5, '0', `font-size="14" fill="${C.muted}" text-anchor="end"`),
  ];
  if (max === 0) {
    out.push(
      text(
        (X0 + X1) / 2,
        (B.top + B.bottom) / 2 + 6,
        'No community reports in this window',
        `font-size="16" fill="${C.muted}" text-anchor="middle"`,
      ),
    );
    return `<g id="reports">\n${out.join('\n')}\n</g>`;
  }
  out.push(`<line x1="${X0}" x2="${X1}" y1="${B.top}" y2="${B.top}" stroke="${C.grid}"/>`);
  out.push(text(X0 - 8, B.top + 5, escapeXml(String(max)), `font-size="14" fill="${C.muted}" text-anchor="end"`));
  for (const r of inWindow) {
    const x0 = x(r.t);
    const w = Math.max(1, x(r.t + 60_000) - x0 - 1);
    const h = (r.count / max) * (B.bottom - B.top);
    out.push(`<rect class="report" x="${px(x0)}" y="${px(B.bottom - h)}" width="${px(w)}" height="${px(h)}" fill="${C.reports}"/>`);
  }
  return `<g id="reports">\n${out.join('\n')}\n</g>`;
}

interface Marker {
  at: number;
  label: string;
  cls: string;
  colour: string;
  dash: boolean;
}

/** Clock time for labels: seconds too when the window is short enough for them to matter. */
function clock(ms: number, seconds: boolean): string {
  return new Date(ms).toISOString().slice(11, seconds ? 19 : 16);
}

/**
 * The alert, the recoveries and relapses, and the resolution (at most 12). Each label takes the
 * first of four rows where it overlaps no other label, so close events stay readable.
 */
function markers(chart: IncidentChart, x: (t: number) => number): string {
  const { incident } = chart;
  const list: Marker[] = [{ at: incident.openedAt, label: 'alert', cls: 'alert', colour: C.alert, dash: true }];
  const recoveries = chart.events.filter((e) => e.type === 'recovered');
  // The last recovery is drawn at recoveredAt (when the evidence cleared); earlier ones at their events.
  for (const e of incident.recoveredAt !== null ? recoveries.slice(0, -1) : recoveries)
    list.push({ at: e.at, label: 'recovering', cls: 'recovering', colour: C.recovered, dash: false });
  for (const e of chart.events)
    if (e.type === 'relapsed') list.push({ at: e.at, label: 'relapse', cls: 'relapse', colour: C.gap, dash: true });
  if (incident.recoveredAt !== null)
    list.push({ at: incident.recoveredAt, label: 'recovering', cls: 'recovering', colour: C.recovered, dash: false });
  if (incident.resolvedAt !== null)
    list.push({ at: incident.resolvedAt, label: 'resolved', cls: 'resolved', colour: C.resolved, dash: false });
  const shown = list
    .filter((m) => m.at >= chart.from && m.at <= chart.to)
    .sort((a, b) => a.at - b.at)
    .slice(-12);
  const rows: [number, number][][] = [[], [], [], []];
  const out = shown.map((m) => {
    const mx = px(x(m.at));
    const label = `${m.label} ${timeOfDay(m.at, chart)}`;
    const w = label.length * 8 + 6;
    const right = mx > X1 - w - 10;
    const span: [number, number] = right ? [mx - w, mx] : [mx, mx + w];
    const row = rows.findIndex((r) => r.every(([a, b]) => span[1] < a || span[0] > b));
    const line = `<line class="marker-${m.cls}" x1="${mx}" x2="${mx}" y1="${A.top}" y2="${B.bottom}" stroke="${m.colour}" stroke-width="2"${m.dash ? ' stroke-dasharray="5 4"' : ''}/>`;
    if (row < 0) return line; // no room: the line alone
    rows[row]!.push(span);
    const ly = A.top + 18 + row * 18;
    return `${line}\n${text(right ? mx - 5 : mx + 5, ly, escapeXml(label), `font-size="14" fill="${m.colour}" text-anchor="${right ? 'end' : 'start'}"`)}`;
  });
  return `<g id="markers">\n${out.join('\n')}\n</g>`;
}

function timeAxis(from: number, to: number, x: (t: number) => number): string {
  const { ticks, step } = timeTicks(from, to);
  const out = ticks.map((t) => {
    const tx = px(x(t));
    return `<line x1="${tx}" x2="${tx}" y1="${B.bottom}" y2="${B.bottom + 5}" stroke="${C.muted}"/>\n${text(tx, B.bottom + 22, clock(t, step < 60_000), `font-size="14" fill="${C.muted}" text-anchor="middle"`)}`;
  });
  return `<g id="time-axis">\n${out.join('\n')}\n</g>`;
}
