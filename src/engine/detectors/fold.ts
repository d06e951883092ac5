/**
 * Folding samples into ChainState. Pure: returns a new state, never mutates `prev`.
 * Jobs can arrive out of order and be retried, so a sample not newer than the last one
 * folded for its endpoint is dropped (folding a retried failure twice would double-count it).
 */
import type { Network } from '../../config/network';
import type { HeadFailure, HeadOk, HeadSample } from '../../model';
import { applyVerdict, type HeadVerdict, judgeHead } from './reorg';
import {
  type ChainState,
  type EndpointState,
  findEndpoint,
  initialChainState,
  STATE_VERSION,
  TIMING_MAX,
  TIMING_PER_WINDOW,
} from './state';

export type ReorgVerdict = Extract<HeadVerdict, { kind: 'reorg' }>;

export function foldSamples(prev: ChainState, samples: HeadSample[], network: Network): { state: ChainState; reorgs: ReorgVerdict[] } {
  const configured = new Set(network.endpoints.map((e) => e.label));
  // A state written by another shape of this code (an older deploy) is dropped, not misread.
  const state = prev.version === STATE_VERSION ? copyForFold(prev) : initialChainState();
  // Forget endpoints removed from the config: the list stays bounded by the config.
  state.endpoints = state.endpoints.filter((e) => configured.has(e.label));
  const reorgs: ReorgVerdict[] = [];
  const ordered = samples
    .filter((s) => s.network === network.name && configured.has(s.endpoint))
    .sort((a, b) => a.observedAt - b.observedAt);
  for (const sample of ordered) {
    const known = findEndpoint(state, sample.endpoint);
    if (known && known.lastObservedAt >= sample.observedAt) continue;
    const ep = known ?? addEndpoint(state, sample);
    if (sample.ok) {
      const verdict = foldOk(state, ep, sample, network);
      if (verdict.kind === 'reorg') reorgs.push(verdict);
    } else {
      foldFailure(ep, sample);
    }
  }
  return { state, reorgs };
}

/**
 * A copy deep enough for folding: endpoint records and the timing array are mutated in place
 * below; everything else (canon, best, safe, head and failure records) is replaced, never
 * mutated. structuredClone of the whole state cost ~75 µs a sample and dominated replay.
 */
function copyForFold(prev: ChainState): ChainState {
  return { ...prev, endpoints: prev.endpoints.map((e) => ({ ...e })), timing: [...prev.timing] };
}

function addEndpoint(state: ChainState, first: HeadSample): EndpointState {
  const created: EndpointState = {
    label: first.endpoint,
    lastObservedAt: first.observedAt,
    ok: false,
    latencyMs: 0,
    head: null,
    headChangedAt: null,
    failures: 0,
    failingSince: null,
    lastFailure: null,
  };
  state.endpoints.push(created);
  return created;
}

function foldFailure(ep: EndpointState, s: HeadFailure): void {
  ep.lastObservedAt = s.observedAt;
  ep.ok = false;
  ep.latencyMs = s.latencyMs;
  ep.failures += 1;
  ep.failingSince ??= s.observedAt;
  ep.lastFailure = { kind: s.kind, status: s.status ?? null, message: s.message };
}

/** Block time in ms, never later than when we saw it (clocks on both sides drift). */
function producedAt(s: HeadOk): number {
  return Math.min(s.observedAt, s.timestamp * 1000);
}

function foldOk(state: ChainState, ep: EndpointState, s: HeadOk, network: Network): HeadVerdict {
  const verdict = judgeHead(state.canon, s, ep.head?.number ?? null);
  state.canon = applyVerdict(state.canon, verdict);

  const head = { number: s.number, hash: s.hash, timestamp: s.timestamp, observedAt: s.observedAt };
  if (!ep.head) ep.headChangedAt = producedAt(s);
  else if (ep.head.number !== s.number || ep.head.hash !== s.hash) ep.headChangedAt = s.observedAt;
  ep.head = head;
  ep.lastObservedAt = s.observedAt;
  ep.ok = true;
  ep.latencyMs = s.latencyMs;
  ep.failures = 0;
  ep.failingSince = null;
  ep.lastFailure = null;

  foldBest(state, s, verdict, network);
  if (s.safe !== undefined && (!state.safe || s.observedAt >= state.safe.observedAt)) {
    state.safe = { safe: s.safe, latest: s.number, observedAt: s.observedAt, endpoint: s.endpoint };
  }
  return verdict;
}

function foldBest(state: ChainState, s: HeadOk, verdict: HeadVerdict, network: Network): void {
  const best = { number: s.number, hash: s.hash, timestamp: s.timestamp, observedAt: s.observedAt, endpoint: s.endpoint };
  if (!state.best || state.bestAdvanceAt === null) {
    // Starting during an outage: date the last advance from the block itself so the
    // halt fires at once instead of after another stallMs.
    state.best = best;
    state.bestAdvanceAt = producedAt(s);
    addTiming(state, s, network);
  } else if (s.number > state.best.number) {
    state.best = best;
    state.bestAdvanceAt = s.observedAt;
    addTiming(state, s, network);
  } else if (verdict.kind === 'reorg') {
    // The best block was replaced (same height or lower): report the head that is canon now;
    // the advance time stays, a reorg is not progress.
    state.best = best;
  }
}

/**
 * Keep timing points about slowWindowMs / TIMING_PER_WINDOW apart (the tip is always the
 * latest advance) and only those inside the window: a 250 ms chain polled every second
 * would otherwise need thousands of points for a 10-minute window.
 */
function addTiming(state: ChainState, s: HeadOk, network: Network): void {
  const windowMs = network.thresholds.slowWindowMs;
  const spacing = windowMs / TIMING_PER_WINDOW;
  const timing = state.timing;
  const point = { number: s.number, timestamp: s.timestamp, observedAt: s.observedAt };
  const last = timing[timing.length - 1];
  const beforeLast = timing[timing.length - 2];
  if (last && s.number <= last.number) return;
  if (last && beforeLast && s.observedAt - beforeLast.observedAt < spacing) timing[timing.length - 1] = point;
  else timing.push(point);
  state.timing = timing.filter((p) => p.observedAt >= s.observedAt - windowMs).slice(-TIMING_MAX);
}
