import { initialChainState, type ChainState } from './detectors';
import { initialCorrelatorState, type CorrelatorState } from './correlator';
import type { NodeState } from './node-memory';
import type { ProbeState } from './probe';
import type { SocialState } from './social-evidence';

/** Everything chainwatch remembers about one network between steps. Plain JSON, bounded. */
export interface NetworkState {
  chain: ChainState;
  corr: CorrelatorState;
  /** Community reports (absent until the first post arrives). */
  social?: SocialState;
  /** Node telemetry: memory trends of the nodes with `metrics` (absent until the first scrape). */
  node?: NodeState;
  /** The inclusion probe's last report and recent inclusion times (absent until its first tick). */
  probe?: ProbeState;
}

export function initialNetworkState(): NetworkState {
  return { chain: initialChainState(), corr: initialCorrelatorState() };
}
