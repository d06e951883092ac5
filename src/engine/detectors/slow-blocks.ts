/**
 * slow_blocks: the chain advances, but slower than it should. Measured from block
 * timestamps (the chain's own clock), not from when we happened to poll.
 */
import type { Network } from '../../config/network';
import type { ChainState, TimingPoint } from './state';

/** Below this many distinct blocks in the window there is no interval worth judging. */
export const MIN_BLOCKS = 3;

export type SlowBlocksResult =
  | { kind: 'normal'; meanIntervalMs: number; expectedMs: number; blocks: number }
  | { kind: 'slow'; meanIntervalMs: number; expectedMs: number; blocks: number; factor: number }
  | { kind: 'unknown' };

function inWindow(state: ChainState, windowMs: number, now: number): TimingPoint[] {
  return state.timing.filter((p) => p.observedAt >= now - windowMs && p.observedAt <= now);
}

/** Mean block interval in ms over the points in the window; null with fewer than two blocks. */
export function meanBlockInterval(
  state: ChainState,
  windowMs: number,
  now: number,
): { meanIntervalMs: number; blocks: number; spanMs: number; points: number } | null {
  const pts = inWindow(state, windowMs, now);
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (!first || !last || last.number <= first.number) return null;
  const blocks = last.number - first.number;
  return {
    meanIntervalMs: ((last.timestamp - first.timestamp) * 1000) / blocks,
    blocks,
    spanMs: last.observedAt - first.observedAt,
    points: pts.length,
  };
}

/** `expectedMs`: the interval a normal block takes here (learnt.ts); default the configured block time. */
export function detectSlowBlocks(
  state: ChainState,
  network: Network,
  now: number,
  expectedMs: number = network.blockTimeMs,
): SlowBlocksResult {
  const { slowWindowMs, slowFactor } = network.thresholds;
  const mean = meanBlockInterval(state, slowWindowMs, now);
  // Timestamps have one-second resolution: on a 250 ms chain three blocks seen within a
  // second or two can show a 1 s gap and read as 4x slow. Judging only over at least half
  // the window and at least MIN_BLOCKS blocks keeps that rounding error small.
  if (!mean || mean.spanMs < slowWindowMs / 2 || mean.points < MIN_BLOCKS) return { kind: 'unknown' };
  const base = { meanIntervalMs: mean.meanIntervalMs, expectedMs, blocks: mean.blocks };
  if (mean.meanIntervalMs > slowFactor * expectedMs) {
    return { kind: 'slow', ...base, factor: mean.meanIntervalMs / expectedMs };
  }
  return { kind: 'normal', ...base };
}
