/** A read-only summary of ChainState for /status and the status page. */
import type { Network } from '../../config/network';
import { failureSummary, type Head } from '../../model';
import { endpointLag } from './lagging';
import { learntThresholds } from './learnt';
import { detectLowThroughput } from './low-throughput';
import { meanBlockInterval } from './slow-blocks';
import { type ChainState, type EndpointState, findEndpoint, isDown, isHealthy, staleAfterMs } from './state';

/** `divergent` and `wrong_chain`: left out of the network's view (quorum.ts). */
export type EndpointStatus = 'ok' | 'lagging' | 'stuck' | 'down' | 'divergent' | 'wrong_chain' | 'unknown';

export interface EndpointView {
  label: string;
  status: EndpointStatus;
  number: number | null;
  failures: number;
  /** "timeout: request timed out" while the endpoint is failing; null once it answers. */
  lastError: string | null;
  latencyMs: number | null;
  observedAt: number | null;
}

export interface ChainView {
  head: Head | null;
  lastAdvanceAt: number | null;
  /** Mean block interval over the slow-blocks window; null with fewer than two blocks in it. */
  blockIntervalMs: number | null;
  safeLag: number | null;
  endpoints: EndpointView[];
  /** The thresholds in force, learnt from this chain or still the configured ones (learnt.ts). */
  learnt?: LearntView;
}

export interface LearntView {
  /** Halted after no advance for this long. */
  stallMs: number;
  stallSource: 'learnt' | 'default';
  /** Head advances the stall was learnt from (decayed), and how many it needs to raise / lower it. */
  stallSamples: number;
  stallMinSamples: number;
  stallMinSamplesToTighten: number;
  /** The interval a normal block takes (slow_blocks compares against slowFactor × this). */
  expectedBlockMs: number;
  blockSource: 'learnt' | 'default';
  /** User transactions per sampled block: the usual (baseline) and lately; null while learning. */
  throughput: { kind: 'normal' | 'low' | 'empty' | 'learning'; usualPerBlock: number | null; recentPerBlock: number | null };
}

function learntView(state: ChainState, network: Network, now: number): LearntView {
  const { stall, slow } = learntThresholds(state, network);
  const t = detectLowThroughput(state, network, now);
  return {
    stallMs: stall.stallMs,
    stallSource: stall.source,
    stallSamples: Math.round(stall.basis.samples),
    stallMinSamples: stall.basis.minSamples,
    stallMinSamplesToTighten: stall.basis.minSamplesToTighten,
    expectedBlockMs: Math.round(slow.expectedMs),
    blockSource: slow.source,
    throughput: { kind: t.kind, usualPerBlock: t.verdict?.usualPerBlock ?? null, recentPerBlock: t.verdict?.recentPerBlock ?? null },
  };
}

/**
 * 'down' once the detectors count it down; 'unknown' when it never answered, answers
 * nothing recent, or has failed fewer polls than that (not known to be down yet).
 */
function endpointStatus(state: ChainState, ep: EndpointState | undefined, network: Network, now: number): EndpointStatus {
  if (ep?.excluded) return ep.excluded.reason;
  if (isDown(ep, network)) return 'down';
  if (!isHealthy(ep, network, now)) return 'unknown';
  const lag = network.endpoints.length >= 2 ? endpointLag(state, ep, network, now) : null;
  if (!lag) return 'ok';
  return lag.mode === 'behind' ? 'lagging' : 'stuck';
}

function endpointView(state: ChainState, label: string, network: Network, now: number): EndpointView {
  const ep = findEndpoint(state, label);
  const f = ep?.lastFailure;
  return {
    label,
    status: endpointStatus(state, ep, network, now),
    number: ep?.head?.number ?? null,
    failures: ep?.failures ?? 0,
    // chainwatch's classified words only: the provider's own text never reaches a view.
    lastError: f ? f.message || failureSummary(f.kind, f.status) : null,
    latencyMs: ep ? ep.latencyMs : null,
    observedAt: ep ? ep.lastObservedAt : null,
  };
}

export function chainView(state: ChainState, network: Network, now: number): ChainView {
  const best = state.best;
  const mean = meanBlockInterval(state, network.thresholds.slowWindowMs, now);
  const safe = state.safe && now - state.safe.observedAt <= staleAfterMs(network) ? state.safe : null;
  return {
    head: best ? { number: best.number, hash: best.hash, timestamp: best.timestamp, observedAt: best.observedAt } : null,
    lastAdvanceAt: state.bestAdvanceAt,
    blockIntervalMs: mean ? mean.meanIntervalMs : null,
    safeLag: safe ? safe.latest - safe.safe : null,
    endpoints: network.endpoints.map((e) => endpointView(state, e.label, network, now)),
    learnt: learntView(state, network, now),
  };
}
