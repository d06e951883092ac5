import { formatBlock, formatDuration, formatTime } from '../util/format';
import type { Condition } from './conditions';
import { officialLeadText } from './official-evidence';
import { outageSpan, type Head, type Incident } from '../model';

/** Plain-words lines for the timeline. Pure: everything comes in as arguments. */

export function openedText(incident: Incident, worst: Condition, others: Condition[]): string {
  const also = others.length ? ` Also: ${others.map((c) => c.summary).join(' ')}` : '';
  const weak = incident.status === 'suspected' ? ' Evidence is weak so far: not yet confirmed.' : '';
  return `${incident.title}. ${worst.summary}${also}${weak}`;
}

export function evidenceText(c: Condition, confirmed: boolean): string {
  return confirmed ? `Confirmed: ${c.summary}` : c.summary;
}

export function severityText(to: string, worst: Condition, longFor: number | null): string {
  if (to === 'critical' && longFor !== null && (worst.kind === 'halted' || worst.kind === 'rpc_unreachable')) {
    const what = worst.kind === 'halted' ? 'no new block' : 'no RPC endpoint answering';
    return `Severity raised to ${to}: ${what} for ${formatDuration(longFor)}.`;
  }
  return `Severity raised to ${to}. ${worst.summary}`;
}

export function recoveredText(
  incident: Incident,
  head: Pick<Head, 'number' | 'timestamp'> | null | undefined,
  resolveAfterMs: number,
  now: number,
): string {
  const span = outageSpan(incident);
  const lasted = formatDuration((span.to ?? now) - span.from);
  const wait = `Monitoring for ${formatDuration(Math.max(0, resolveAfterMs - (now - (incident.recoveredAt ?? now))))} more before resolving.`;
  switch (incident.kind) {
    case 'halted': {
      const block = head ? `: ${formatBlock(head.number)} at ${formatTime(head.timestamp * 1000)}` : '';
      return `Blocks are being produced again${block}. Block production was halted for ${lasted}. ${wait}`;
    }
    case 'rpc_unreachable':
      return `RPC endpoints answer again after ${lasted}. ${wait}`;
    default:
      return `The problem has cleared after ${lasted}. ${wait}`;
  }
}

export function relapsedText(worst: Condition): string {
  return `The problem is back: ${worst.summary}`;
}

export function resolvedText(incident: Incident, healthyMs: number, now: number): string {
  const span = outageSpan(incident);
  // Ahead of the official status page: say by how much; when the page was first, say nothing.
  const lead = officialLeadText(incident);
  const measured = `${span.label.toLowerCase()} ${formatDuration((span.to ?? now) - span.from)} from ${formatTime(span.from)}`;
  return `Resolved. ${incident.title}: ${measured}; healthy for ${formatDuration(healthyMs)} since.${lead ? ` ${lead}` : ''}`;
}

export function reopenedText(worst: Condition, sinceResolvedMs: number): string {
  return `Reopened: the problem came back ${formatDuration(sinceResolvedMs)} after it was resolved. ${worst.summary}`;
}
