/**
 * What this network normally does, learnt from the polls (DESIGN principle 8), and the
 * thresholds it gives the halt, slow-block and low-throughput detectors. Pure; the sketches
 * themselves live in src/engine/learn.
 *
 * Learning happens AFTER the detectors judged a poll (observeChain), so a poll is judged
 * against the history before it, and a halt in progress or slow blocks never teach the
 * detector that judges them: the advance gap of a halt is learnt once, when the chain moves
 * again (one observation among thousands at q = 0.999), and the block-interval mean is frozen
 * while slow_blocks holds. Replay goes through the same observeChain, so it learns as live does.
 */
import type { Network } from '../../config/network';
import type { HeadOk, HeadSample } from '../../model';
import {
  defaultMaxSilenceMs,
  initialChainRhythm,
  initialThroughputState,
  type LearnedSlow,
  type LearnedStall,
  learnedSlowFactor,
  learnedStall,
  observeBlock,
  observeHead,
  readChainRhythm,
  readThroughputState,
  stallCeilingMs,
  type ThroughputSettings,
} from '../learn';
import type { ChainState, LearntState } from './state';

export function initialLearntState(): LearntState {
  return { rhythm: initialChainRhythm(), throughput: initialThroughputState(), minTx: null };
}

/** A stored state of another shape (an older deploy, a hand edit) starts over, part by part. */
export function readLearntState(x: unknown): LearntState {
  if (typeof x !== 'object' || x === null) return initialLearntState();
  const s = x as Partial<LearntState>;
  const minTx = typeof s.minTx === 'number' && Number.isFinite(s.minTx) && s.minTx >= 0 ? Math.min(s.minTx, 1) : null;
  return { rhythm: readChainRhythm(s.rhythm), throughput: readThroughputState(s.throughput), minTx };
}

/** Transactions every block carries: configured, else learnt (every block so far had one), else 0. */
export function systemTxPerBlock(learnt: LearntState | undefined, network: Network): 0 | 1 {
  const set = network.learn?.systemTxPerBlock;
  if (set !== undefined) return set;
  return learnt?.minTx !== null && learnt?.minTx !== undefined && learnt.minTx >= 1 ? 1 : 0;
}

export function throughputSettings(learnt: LearntState | undefined, network: Network): Partial<ThroughputSettings> {
  const l = network.learn;
  return {
    systemTxPerBlock: systemTxPerBlock(learnt, network),
    ...(l?.throughputBaselineMs !== undefined ? { minBaselineMs: l.throughputBaselineMs } : {}),
    ...(l?.throughputBaselineBlocks !== undefined ? { minBaselineBlocks: l.throughputBaselineBlocks } : {}),
  };
}

export interface Learnt {
  stall: LearnedStall;
  slow: LearnedSlow;
}

/** The stall and the expected block interval in force for this network now. */
export function learntThresholds(state: ChainState, network: Network): Learnt {
  const learnt = state.learnt ?? initialLearntState();
  const { stallMs: configuredStallMs, pollIntervalMs, slowFactor } = network.thresholds;
  const l = network.learn;
  const stall = learnedStall({
    sketch: learnt.rhythm.gaps,
    blockTimeMs: network.blockTimeMs,
    pollIntervalMs,
    configuredStallMs,
    ceilingMs: stallCeilingMs({ configuredStallMs, explicit: l?.stallWritten === true }),
    ...(l?.stallMinSamples !== undefined ? { minSamples: l.stallMinSamples } : {}),
    ...(l?.stallMinSamplesToTighten !== undefined ? { minSamplesToTighten: l.stallMinSamplesToTighten } : {}),
  });
  const slow = learnedSlowFactor({ rate: learnt.rhythm.rate, blockTimeMs: network.blockTimeMs, slowFactor });
  if (l?.thresholds === false) {
    // Learning still runs (status shows it); the detectors use the configured values.
    return {
      stall: { ...stall, stallMs: configuredStallMs, source: 'default' },
      slow: { ...slow, expectedMs: network.blockTimeMs, slowFactor, thresholdMs: slowFactor * network.blockTimeMs, source: 'default' },
    };
  }
  return { stall, slow };
}

/**
 * One poll into the learnt state. The rhythm learns the network's best head as the halt
 * detector sees it: an advance at `bestAdvanceAt` (the moment a trusted endpoint saw the head
 * pass the best), and otherwise that we looked (the latest trusted answer) so silence means
 * "we did not look". Throughput learns each new best head's transactions (heads without a
 * txCount, e.g. older recordings, teach nothing).
 */
export function learnFromPoll(
  prev: LearntState | undefined,
  state: ChainState,
  samples: readonly HeadSample[],
  network: Network,
  opts: { advanced: boolean; slow: boolean },
): LearntState {
  const learnt = prev ?? initialLearntState();
  const best = state.best;
  const trusted = new Set(state.endpoints.filter((e) => !e.excluded).map((e) => e.label));
  const ok = samples.filter((s): s is HeadOk => s.ok && s.network === network.name && trusted.has(s.endpoint));
  if (!best || ok.length === 0) return learnt;
  const lookedAt = Math.max(...ok.map((s) => s.observedAt));
  const seenAt = learnt.rhythm.seenAt ?? -Infinity;
  // bestAdvanceAt can predate the last look when a quorum confirmed a head an endpoint showed earlier.
  const at = opts.advanced && state.bestAdvanceAt !== null ? Math.max(state.bestAdvanceAt, seenAt) : lookedAt;
  const rhythm = observeHead(
    learnt.rhythm,
    { number: best.number, timestamp: best.timestamp, at },
    { maxSilenceMs: defaultMaxSilenceMs(network.thresholds.pollIntervalMs), learnRate: !opts.slow },
  );
  if (!opts.advanced) return { ...learnt, rhythm };
  const carrier = ok.find((s) => s.number === best.number && s.hash === best.hash && s.txCount !== undefined);
  if (!carrier || carrier.txCount === undefined) return { ...learnt, rhythm };
  const minTx = Math.min(learnt.minTx ?? 1, carrier.txCount, 1);
  const next = { ...learnt, rhythm, minTx };
  const block = {
    number: best.number,
    txCount: carrier.txCount,
    at,
    ...(carrier.gasUsed !== undefined ? { gasUsed: carrier.gasUsed } : {}),
  };
  return { ...next, throughput: observeBlock(learnt.throughput, block, throughputSettings(next, network)) };
}
