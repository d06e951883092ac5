/**
 * Alt text for the incident picture, for people who cannot see it: what the chart shows in
 * one paragraph. X takes up to 1,000 characters (POST /2/media/metadata), Discord 1,024 (the
 * attachment's `description`). Pure.
 */
import { formatDuration, formatSeconds } from '../../util/format';
import { kindText, reportsInWindow, spanEnd, timeOfDay, type IncidentChart } from './render-svg';
import { median, typicalSeconds } from './scale';

export const ALT_TEXT_MAX = 1000;

function seconds(s: number): string {
  return s >= 60 ? formatDuration(s * 1000) : formatSeconds(s * 1000);
}

export function altText(chart: IncidentChart): string {
  const { incident, from, to, now } = chart;
  const hhmm = (ms: number) => timeOfDay(ms, chart);
  const day = new Date(from).toISOString().slice(0, 10);
  const end = spanEnd(incident, now);
  const parts = [
    `Chart of ${chart.networkName} block intervals and community outage reports per minute, ${day} ${hhmm(from)} to ${hhmm(to)} UTC.`,
  ];
  const shaded = `${kindText(incident.kind)} from ${hhmm(incident.startedAt)} for ${formatDuration(end - incident.startedAt)}`;
  parts.push(incident.recoveredAt !== null ? `${shaded}, recovering at ${hhmm(incident.recoveredAt)}.` : `${shaded} and counting.`);
  if (incident.resolvedAt !== null) parts.push(`Resolved at ${hhmm(incident.resolvedAt)}.`);
  const before = chart.intervals.filter((i) => i.t >= from && i.t < incident.startedAt).map(typicalSeconds);
  const after = chart.intervals.filter((i) => i.t > end && i.t <= to).map(typicalSeconds);
  const within = chart.intervals.filter((i) => i.t >= from && i.t <= to);
  if (within.length === 0) parts.push('No block data was recorded for this window.');
  else {
    if (before.length) parts.push(`Before, a block about every ${seconds(median(before))}.`);
    const longest = within.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    parts.push(`Longest gap between blocks: ${seconds(longest.seconds)}, ending ${hhmm(longest.t)}.`);
    if (after.length) parts.push(`After, a block about every ${seconds(median(after))}.`);
  }
  const reports = reportsInWindow(chart.reports, from, to);
  if (reports.length === 0) parts.push('No community reports.');
  else {
    const total = reports.reduce((s, r) => s + r.count, 0);
    const peak = reports.reduce((a, b) => (b.count > a.count ? b : a));
    parts.push(`Community reports: ${total} in all, peaking at ${peak.count} a minute at ${hhmm(peak.t)}.`);
  }
  const text = parts.join(' ').replace(/[\u0000-\u001F\u007F]/g, ' ');
  return Array.from(text).length <= ALT_TEXT_MAX
    ? text
    : `${Array.from(text)
        .slice(0, ALT_TEXT_MAX - 1)
        .join('')}…`;
}
