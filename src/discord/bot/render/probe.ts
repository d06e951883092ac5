import type { ProbeView } from '../../../engine';
import { formatDuration, formatSeconds } from '../../../util/format';

/**
 * /status network:<name>'s line about the inclusion probe (src/engine/probe.ts): how long the
 * last probe took from submit to inclusion and the median of the recent ones, each saying what
 * it measures, or the probe in flight when it is late, or why the probe is paused. Pure.
 */
export function probeLine(view: ProbeView, deadlineMs: number): string {
  const parts: string[] = [];
  if (view.lastMs === null) parts.push('no probe included yet');
  else {
    parts.push(`last included ${formatSeconds(view.lastMs)} after submit`);
    if (view.samples > 1) parts.push(`median ${formatSeconds(view.medianMs!)} over the last ${view.samples}`);
  }
  if (view.pendingForMs !== null && view.late)
    parts.push(`⚠️ one pending for ${formatDuration(view.pendingForMs)}, past its ${formatDuration(deadlineMs)} deadline`);
  if (view.paused === 'budget') parts.push('paused: the daily gas budget is spent');
  if (view.paused === 'foreign_pending') parts.push('paused: its key has transactions the probe did not send');
  return `Inclusion probe: ${parts.join(' · ')}`;
}
