/**
 * Folding samples into ChainState. Pure: returns a new state, never mutates `prev`.
 * Jobs can arrive out of order and be retried, so a sample not newer than the last one
 * folded for its endpoint is dropped (folding a retried failure twice would double-count it).
 */
import type { Network } from '../../config/network';
import type { HeadFailure, HeadOk, HeadSample } from '../../model';
import { judgeEndpoints } from './quorum';
import { applyVerdict, type HeadVerdict, judgeHead } from './reorg';
import { type ChainState, type EndpointState, initialChainState, STATE_VERSION, TIMING_MAX, TIMING_PER_WINDOW } from './state';

export type ReorgVerdict = Extract<HeadVerdict, { kind: 'reorg' }>;

/**
 * Three passes over one poll's samples: each endpoint's own record (head, failures, chain id,
 * whether it saw the chain move past the best); then who is trusted and which head a quorum
 * of them agrees on (quorum.ts); then the canonical chain and its reorgs, from trusted
 * endpoints' heads no higher than that agreed head only, so a liar can neither fake a reorg
 * nor push its blocks into the ring.
 */
export function foldSamples(
  prev: ChainState,
  samples: HeadSample[],
  network: Network,
  now: number,
): { state: ChainState; reorgs: ReorgVerdict[] } {
  const configured = new Set(network.endpoints.map((e) => e.label));
  // A state written by another shape of this code (an older deploy) is dropped, not misread.
  const state = prev.version === STATE_VERSION ? copyForFold(prev) : initialChainState();
  // Forget endpoints removed from the config: the list stays bounded by the config.
  state.endpoints = state.endpoints.filter((e) => configured.has(e.label));
  const byLabel = new Map(state.endpoints.map((e) => [e.label, e]));
  const wasAt = new Map(state.endpoints.map((e) => [e.label, e.head?.number ?? null]));
  const bestBefore = state.best?.number ?? null;
  // The highest head this poll has shown so far: going past it is seeing the chain move.
  let top = bestBefore;
  const folded: HeadOk[] = [];
  const ordered = samples
    .filter((s) => s.network === network.name && configured.has(s.endpoint))
    .sort((a, b) => a.observedAt - b.observedAt);
  for (const sample of ordered) {
    const known = byLabel.get(sample.endpoint);
    if (known && known.lastObservedAt >= sample.observedAt) continue;
    const ep = known ?? addEndpoint(state, sample, byLabel);
    if (sample.ok) {
      foldOk(ep, sample, top);
      top = Math.max(top ?? -Infinity, sample.number);
      folded.push(sample);
    } else {
      foldFailure(ep, sample);
    }
  }
  judgeEndpoints(state, network, now);
  const reorgs = foldCanon(state, folded, wasAt, byLabel, network);
  if (state.best && (bestBefore === null || state.best.number > bestBefore)) addTiming(state, state.best, network);
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

function addEndpoint(state: ChainState, first: HeadSample, byLabel: Map<string, EndpointState>): EndpointState {
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
    frontierAt: null,
    chainId: null,
    chainIdAt: null,
    ahead: null,
    excluded: null,
  };
  state.endpoints.push(created);
  byLabel.set(created.label, created);
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

function foldOk(ep: EndpointState, s: HeadOk, top: number | null): void {
  const head = { number: s.number, hash: s.hash, timestamp: s.timestamp, observedAt: s.observedAt };
  if (!ep.head) ep.headChangedAt = producedAt(s);
  else if (ep.head.number !== s.number || ep.head.hash !== s.hash) ep.headChangedAt = s.observedAt;
  if (top === null) {
    // Starting during an outage: date the last advance from the block itself so the
    // halt fires at once instead of after another stall.
    ep.frontierAt ??= producedAt(s);
  } else if (s.number > top && s.number > (ep.head?.number ?? -1)) {
    ep.frontierAt = s.observedAt;
  }
  ep.head = head;
  ep.lastObservedAt = s.observedAt;
  ep.ok = true;
  ep.latencyMs = s.latencyMs;
  ep.failures = 0;
  ep.failingSince = null;
  ep.lastFailure = null;
  if (s.chainId !== undefined) {
    ep.chainId = s.chainId;
    ep.chainIdAt = s.observedAt;
  }
}

/**
 * The canonical chain from the trusted endpoints' heads up to the agreed best, in the order
 * they were seen; blocks above the best that the ring holds (a liar's, before it was left
 * out) are dropped. The safe head is read from trusted endpoints only.
 */
function foldCanon(
  state: ChainState,
  samples: readonly HeadOk[],
  wasAt: ReadonlyMap<string, number | null>,
  byLabel: ReadonlyMap<string, EndpointState>,
  network: Network,
): ReorgVerdict[] {
  const reorgs: ReorgVerdict[] = [];
  const limit = state.best?.number ?? Infinity;
  for (const s of samples) {
    const ep = byLabel.get(s.endpoint);
    if (!ep || ep.excluded || s.number > limit) continue;
    const verdict = judgeHead(state.canon, s, wasAt.get(s.endpoint) ?? null);
    state.canon = applyVerdict(state.canon, verdict);
    if (verdict.kind === 'reorg') {
      reorgs.push(verdict);
      // The best block was replaced (same height or lower): the head that is canon now is the
      // best; the advance time stays, a reorg is not progress.
      if (state.best && verdict.replaced.some((b) => b.hash === state.best!.hash)) {
        state.best = { number: s.number, hash: s.hash, timestamp: s.timestamp, observedAt: s.observedAt, endpoint: s.endpoint };
      }
    }
    if (s.safe !== undefined && (!state.safe || s.observedAt >= state.safe.observedAt)) {
      state.safe = { safe: s.safe, latest: s.number, observedAt: s.observedAt, endpoint: s.endpoint };
    }
  }
  const top = state.canon.blocks[state.canon.blocks.length - 1];
  if (top && state.best && top.number > state.best.number && network.endpoints.length > 0) {
    state.canon = { blocks: state.canon.blocks.filter((b) => b.number <= state.best!.number), orphans: state.canon.orphans };
  }
  return reorgs;
}

/**
 * Keep timing points about slowWindowMs / TIMING_PER_WINDOW apart (the tip is always the
 * latest advance) and only those inside the window: a 250 ms chain polled every second
 * would otherwise need thousands of points for a 10-minute window.
 */
function addTiming(state: ChainState, s: Pick<HeadOk, 'number' | 'timestamp' | 'observedAt'>, network: Network): void {
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
