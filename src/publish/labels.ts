import { outageSpan, type Incident, type IncidentEvent, type SignalKind } from '../model';
import { formatDuration } from '../util/format';

/** How each kind of timeline event is labelled in a thread, on every sink. */
export const EVENT_LABEL: Record<IncidentEvent['type'], string> = {
  opened: 'Opened',
  evidence: 'New evidence',
  severity_changed: 'Severity',
  acknowledged: 'Acknowledged',
  update: 'Update',
  recovered: 'Recovering',
  relapsed: 'Relapse',
  resolved: 'Resolved',
  reopened: 'Reopened',
  dismissed: 'Dismissed',
};

/** Readable names of signal kinds ("halted ×640, provider down ×12"), on every sink. */
export const KIND_LABEL: Record<SignalKind, string> = {
  halted: 'halted',
  rpc_unreachable: 'RPC unreachable',
  low_throughput: 'nearly empty blocks',
  inclusion_delay: 'probe not included',
  reorg: 'reorg',
  slow_blocks: 'slow blocks',
  memory_pressure: 'memory pressure',
  safe_lag: 'safe head lagging',
  endpoint_down: 'provider down',
  endpoint_lagging: 'provider lagging',
  endpoint_divergent: 'provider disagrees',
  endpoint_wrong_chain: 'provider on another chain',
  status_page: 'official status page',
  social_reports: 'community reports',
};

/**
 * "halted for 27 s": an incident's outage as measured (outageSpan: the chain's evidence to its
 * recovery), the same figure on every sink; `end` for one not yet recovered (closed unrecovered).
 */
export function outageSpanText(incident: Incident, end: number): string {
  const span = outageSpan(incident);
  return `${span.label.toLowerCase()} ${formatDuration(Math.max(0, (span.to ?? end) - span.from))}`;
}
