/**
 * low_throughput: blocks keep coming but carry far fewer transactions than this network
 * usually does (a sequencer that stopped taking transactions). The statistics are in
 * src/engine/learn/throughput.ts; this reads its verdict for the network at `now`.
 */
import type { Network } from '../../config/network';
import { judgeThroughput, type ThroughputVerdict } from '../learn';
import { throughputSettings } from './learnt';
import type { ChainState } from './state';

export type LowThroughputResult =
  | { kind: 'low' | 'empty'; verdict: ThroughputVerdict; systemTxPerBlock: 0 | 1 }
  | { kind: 'normal' | 'learning'; verdict: ThroughputVerdict | null };

export function detectLowThroughput(state: ChainState, network: Network, now: number): LowThroughputResult {
  if (!state.learnt) return { kind: 'learning', verdict: null };
  const settings = throughputSettings(state.learnt, network);
  const verdict = judgeThroughput(state.learnt.throughput, now, settings);
  if (verdict.kind === 'low' || verdict.kind === 'empty')
    return { kind: verdict.kind, verdict, systemTxPerBlock: settings.systemTxPerBlock ?? 0 };
  return { kind: verdict.kind, verdict };
}
