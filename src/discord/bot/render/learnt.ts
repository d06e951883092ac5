/** The /status lines for the thresholds learnt from a chain (src/engine/detectors/learnt.ts). Pure. */
import type { Network } from '../../../config/network';
import type { LearntView } from '../../../engine/detectors/view';
import { formatCount, formatSeconds } from '../../../util/format';

const perBlock = (n: number) => (n < 10 ? n.toFixed(1) : formatCount(Math.round(n)));

export function learntLines(l: LearntView, network: Network): string[] {
  const configured = formatSeconds(network.thresholds.stallMs);
  const stall =
    l.stallSource === 'learnt'
      ? `Halt alert after ${formatSeconds(l.stallMs)} without a new block, learnt from ${formatCount(l.stallSamples)} block advances (configured ${configured})`
      : `Halt alert after ${formatSeconds(l.stallMs)} without a new block (configured; learning this chain's rhythm: ${formatCount(l.stallSamples)} of ${formatCount(l.stallMinSamples)} block advances)`;
  const slowAbove = formatSeconds(network.thresholds.slowFactor * l.expectedBlockMs);
  const block = `Slow-block alert above ${slowAbove} a block on average (a normal block here: ${formatSeconds(l.expectedBlockMs)}, ${l.blockSource === 'learnt' ? 'learnt' : 'configured'})`;
  const t = l.throughput;
  const tx =
    t.kind === 'learning' || t.usualPerBlock === null
      ? "Transactions: learning this chain's usual load"
      : `Transactions ${t.recentPerBlock === null ? 'not seen lately' : `${perBlock(t.recentPerBlock)} a block lately`}, usually ${perBlock(t.usualPerBlock)}${t.kind === 'low' ? ' (far below usual)' : t.kind === 'empty' ? ' (blocks nearly empty)' : ''}`;
  return [stall, block, tx];
}
