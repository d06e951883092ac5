import type { BlockInterval, Incident, IncidentEvent, ReportBucket } from '../../../src/model';
import type { IncidentChart } from '../../../src/publish/image/render-svg';
import { chartWindow } from '../../../src/publish/image/scale';

/**
 * The motivating outage in numbers: a chain with 1 s blocks halts at 12:03 for three hours
 * and twelve minutes, blocks resume at 15:15, the incident resolves five minutes later;
 * community reports peak a few minutes in and fade. `intervalsCount` intervals are spread
 * evenly across the chart window outside the halt (10,800 for the bench: three hours of 1 s blocks).
 */
export const STARTED = Date.parse('2025-03-07T12:03:00Z');
export const RECOVERED = STARTED + (3 * 60 + 12) * 60_000;
export const RESOLVED = RECOVERED + 5 * 60_000;

export function haltIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'megaeth-20250307T120310Z',
    network: 'megaeth',
    status: 'resolved',
    severity: 'critical',
    kind: 'halted',
    title: 'Block production halted',
    startedAt: STARTED,
    openedAt: STARTED + 10_000,
    updatedAt: RESOLVED,
    confirmedAt: STARTED + 10_000,
    recoveredAt: RECOVERED,
    resolvedAt: RESOLVED,
    ack: null,
    signals: { halted: 640 },
    summary: 'No new block for 3 h',
    seq: 5,
    reopened: 0,
    seen: ['halted'],
    ...over,
  };
}

export function haltEvents(incident: Incident): IncidentEvent[] {
  const base = {
    incidentId: incident.id,
    network: incident.network,
    severity: incident.severity,
    kind: incident.kind,
    title: incident.title,
    text: '',
  };
  const out: IncidentEvent[] = [{ ...base, seq: 1, at: incident.openedAt, type: 'opened', status: 'investigating' }];
  if (incident.recoveredAt !== null) out.push({ ...base, seq: 2, at: incident.recoveredAt, type: 'recovered', status: 'monitoring' });
  if (incident.resolvedAt !== null) out.push({ ...base, seq: 3, at: incident.resolvedAt, type: 'resolved', status: 'resolved' });
  return out;
}

export function haltIntervals(from: number, to: number, incident: Incident, count: number): BlockInterval[] {
  const haltEnd = incident.recoveredAt ?? to + 1;
  const live = to - from - (Math.min(haltEnd, to) - incident.startedAt);
  const step = live / count;
  const out: BlockInterval[] = [];
  for (let t = from; t < to && out.length < count; t += step) {
    if (t > incident.startedAt && t < haltEnd) continue;
    out.push({ t: Math.round(t), seconds: 1 + (Math.round(t / 1000) % 7 === 0 ? 0.4 : 0) });
  }
  if (incident.recoveredAt !== null) out.push({ t: incident.recoveredAt, seconds: (incident.recoveredAt - incident.startedAt) / 1000 });
  return out.sort((a, b) => a.t - b.t);
}

export function haltReports(): ReportBucket[] {
  const first = Math.floor(STARTED / 60_000) * 60_000 + 4 * 60_000;
  return Array.from({ length: 90 }, (_, m) => ({ t: first + m * 60_000, count: Math.round(40 * Math.exp(-m / 15)) })).filter(
    (b) => b.count > 0,
  );
}

export function haltChart(opts: { intervals?: number; incident?: Incident; now?: number } = {}): IncidentChart {
  const incident = opts.incident ?? haltIncident();
  const now = opts.now ?? incident.resolvedAt ?? RESOLVED;
  const { from, to } = chartWindow(incident, now);
  return {
    incident,
    networkName: 'MegaETH',
    events: haltEvents(incident),
    intervals: haltIntervals(from, to, incident, opts.intervals ?? 2000),
    reports: haltReports(),
    from,
    to,
    now,
    blockTimeMs: 1000,
  };
}
