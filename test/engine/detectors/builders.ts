/**
 * Small builders for chain samples and networks, shared by detector, correlator and
 * replay tests. Everything is deterministic: hashes derive from (branch, number), and
 * time starts at T0 (the 2025-03-07 MegaETH outage) unless told otherwise.
 */
import type { Network, Thresholds } from '../../../src/config/network';
import {
  type BlockRef,
  failureSummary,
  type FailureKind,
  type HeadFailure,
  type HeadOk,
  type HeadSample,
  type Signal,
  type SignalKind,
} from '../../../src/model';
import { type ChainState, initialChainState, observeChain } from '../../../src/engine/detectors';

export const T0 = Date.UTC(2025, 2, 7, 12, 0, 0);
export const NETWORK = 'testnet';

export function makeThresholds(over: Partial<Thresholds> = {}): Thresholds {
  return {
    pollIntervalMs: 1_000,
    requestTimeoutMs: 2_000,
    stallMs: 30_000,
    endpointDownFailures: 3,
    endpointLagBlocks: 10,
    endpointStuckMs: 20_000,
    reorgMinDepth: 1,
    reorgMajorDepth: 3,
    slowFactor: 2,
    slowWindowMs: 60_000,
    safeLagBlocks: null,
    confirmMs: 60_000,
    resolveAfterMs: 120_000,
    reopenWindowMs: 600_000,
    criticalAfterMs: 900_000,
    ...over,
  };
}

export interface NetworkOptions {
  name?: string;
  blockTimeMs?: number;
  /** Endpoint labels; URLs are made up from them. */
  endpoints?: string[];
  thresholds?: Partial<Thresholds>;
  /**
   * Its stall was written, as in a config file (default): no learning period in which a halt
   * below twice the stall is only suspected. `false`: the stall is the built-in guess.
   */
  stallWritten?: boolean;
}

export function makeNetwork(opts: NetworkOptions = {}): Network {
  const name = opts.name ?? NETWORK;
  return {
    name,
    displayName: name,
    chainId: 4326,
    blockTimeMs: opts.blockTimeMs ?? 1_000,
    endpoints: (opts.endpoints ?? ['rpc-a', 'rpc-b']).map((label) => ({ label, url: `https://${label}.invalid` })),
    thresholds: makeThresholds(opts.thresholds),
    ...(opts.stallWritten === false ? {} : { learn: { stallWritten: true } }),
  };
}

/**
 * A branch of the chain: blocks up to `forkPoint` are on the main branch ('a'), blocks
 * above it on `name`. A plain string is a branch with no fork point below it.
 */
export type Branch = string | { name: string; forkPoint: number };

/** 0x + 16 hex chars naming the branch + 48 hex chars of the number: 32 bytes like a real hash. */
export function blockHash(number: number, branch: Branch = 'a'): string {
  const name = typeof branch === 'string' ? branch : number <= branch.forkPoint ? 'a' : branch.name;
  const tag = Buffer.from(name).toString('hex').slice(0, 16).padStart(16, '0');
  return `0x${tag}${number.toString(16).padStart(48, '0')}`;
}

export interface BlockOptions {
  branch?: Branch;
  /** Block timestamp in seconds; defaults to one second per block from T0. */
  timestamp?: number;
}

export function blockRef(number: number, opts: BlockOptions = {}): BlockRef {
  return {
    number,
    hash: blockHash(number, opts.branch),
    parentHash: blockHash(number - 1, opts.branch),
    timestamp: opts.timestamp ?? Math.floor(T0 / 1000) + number,
  };
}

/** `count` blocks below `number` on the branch, newest first (as HeadOk.ancestors). */
export function ancestorsOf(number: number, count: number, branch?: Branch): BlockRef[] {
  return Array.from({ length: count }, (_, i) => blockRef(number - 1 - i, branch === undefined ? {} : { branch }));
}

export interface OkOptions extends BlockOptions {
  network?: string;
  latencyMs?: number;
  safe?: number;
  finalized?: number;
  ancestors?: BlockRef[];
}

/** An ok head; its timestamp defaults to the second it was observed (a fresh block). */
export function okSample(endpoint: string, number: number, observedAt: number, opts: OkOptions = {}): HeadOk {
  const block = blockRef(number, { ...opts, timestamp: opts.timestamp ?? Math.floor(observedAt / 1000) });
  const sample: HeadOk = {
    ok: true,
    network: opts.network ?? NETWORK,
    endpoint,
    observedAt,
    latencyMs: opts.latencyMs ?? 40,
    ...block,
  };
  if (opts.safe !== undefined) sample.safe = opts.safe;
  if (opts.finalized !== undefined) sample.finalized = opts.finalized;
  if (opts.ancestors !== undefined) sample.ancestors = opts.ancestors;
  return sample;
}

export function failSample(
  endpoint: string,
  observedAt: number,
  kind: FailureKind = 'timeout',
  opts: { status?: number; message?: string; network?: string } = {},
): HeadFailure {
  const sample: HeadFailure = {
    ok: false,
    network: opts.network ?? NETWORK,
    endpoint,
    observedAt,
    latencyMs: kind === 'timeout' ? 2_000 : 30,
    kind,
    message: opts.message ?? failureSummary(kind, opts.status),
  };
  if (opts.status !== undefined) sample.status = opts.status;
  return sample;
}

export interface Batch {
  now: number;
  samples: HeadSample[];
}

export interface PollPlan {
  endpoints: string[];
  fromNumber: number;
  fromAt?: number;
  polls: number;
  /** Poll period; default 1 s. */
  everyMs?: number;
  /** How fast the simulated chain really produces blocks; default 1 s. */
  blockTimeMs?: number;
  network?: string;
}

/**
 * Polls of a healthy chain: every endpoint sees the same head each poll. Block n's
 * timestamp is whole seconds, as chains report it, so fast chains show repeated seconds.
 */
export function advancingPolls(plan: PollPlan): Batch[] {
  const everyMs = plan.everyMs ?? 1_000;
  const blockTimeMs = plan.blockTimeMs ?? 1_000;
  const fromAt = plan.fromAt ?? T0;
  return Array.from({ length: plan.polls }, (_, i) => {
    const now = fromAt + i * everyMs;
    const number = plan.fromNumber + Math.floor((i * everyMs) / blockTimeMs);
    const timestamp = Math.floor((fromAt + (number - plan.fromNumber) * blockTimeMs) / 1000);
    const network = plan.network ?? NETWORK;
    return { now, samples: plan.endpoints.map((ep) => okSample(ep, number, now, { timestamp, network })) };
  });
}

/** Run batches through observeChain; `signals[i]` are the signals of batch i. */
export function run(
  network: Network,
  batches: Batch[],
  state: ChainState = initialChainState(),
): { state: ChainState; signals: Signal[][]; last: Signal[] } {
  const signals: Signal[][] = [];
  let s = state;
  for (const b of batches) {
    const out = observeChain(s, b.samples, network, b.now);
    s = out.state;
    signals.push(out.signals);
  }
  return { state: s, signals, last: signals[signals.length - 1] ?? [] };
}

export function kinds(signals: Signal[]): SignalKind[] {
  return signals.map((s) => s.kind);
}

export function ofKind(signals: Signal[], kind: SignalKind): Signal[] {
  return signals.filter((s) => s.kind === kind);
}
