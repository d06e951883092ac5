/** Detector results as Signals: one plain-words sentence with numbers, raw numbers in details. */
import type { Network } from '../../config/network';
import type { Head, Signal } from '../../model';
import type { Exclusion } from './state';
import { formatBlock, formatCount, formatDuration, formatSeconds, formatTime } from '../../util/format';
import { type DownEndpoint, type EndpointsResult, failureLabel } from './endpoints';
import type { ReorgVerdict } from './fold';
import type { HaltResult } from './halt';
import type { LaggingEndpoint } from './lagging';
import type { LowThroughputResult } from './low-throughput';
import type { SafeLagResult } from './safe-lag';
import type { SlowBlocksResult } from './slow-blocks';

type Base = Pick<Signal, 'network' | 'at' | 'source'>;

function base(network: Network, now: number): Base {
  return { network: network.name, at: now, source: 'chain' };
}

/** "0x1234abcd…" keeps summaries readable; full hashes go in evidence. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 10)}…` : hash;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function haltSignal(r: Extract<HaltResult, { kind: 'halted' }>, network: Network, now: number): Signal {
  const { head, healthyEndpoints: healthy, totalEndpoints: total } = r;
  const who = r.weak
    ? `only 1 of ${total} endpoints answers`
    : total === 1
      ? 'seen by the only endpoint'
      : `${healthy} of ${total} endpoints agree`;
  return {
    ...base(network, now),
    kind: 'halted',
    severity: 'major',
    summary: `No new block for ${formatDuration(r.stalledForMs)}; the last was ${formatBlock(head.number)} at ${formatTime(head.timestamp * 1000)} (${who})`,
    details: {
      stalledForMs: r.stalledForMs,
      stallMs: r.stallMs,
      headNumber: head.number,
      headHash: head.hash,
      lastBlockTimestamp: head.timestamp,
      healthyEndpoints: healthy,
      totalEndpoints: total,
    },
    evidence: [head.hash],
    ...(r.weak ? { weak: true } : {}),
  };
}

export function unreachableSignal(
  r: Extract<EndpointsResult, { kind: 'unreachable' }>,
  best: Head | null,
  network: Network,
  now: number,
): Signal {
  const failures = r.down.map((d) => `${d.endpoint}: ${failureLabel(d)}`).join(', ');
  const last = best ? `; the last block seen was ${formatBlock(best.number)}` : '';
  return {
    ...base(network, now),
    kind: 'rpc_unreachable',
    severity: 'major',
    summary: `No endpoint answers (${failures}) for ${formatDuration(r.failingForMs)}${last}`,
    details: {
      failures,
      failingForMs: r.failingForMs,
      endpoints: r.down.length,
      lastBlockNumber: best?.number ?? null,
    },
  };
}

export function endpointDownSignal(d: DownEndpoint, network: Network, now: number): Signal {
  // The classified words only: a provider's own error text never reaches a public line.
  const reason = d.message || failureLabel(d);
  return {
    ...base(network, now),
    kind: 'endpoint_down',
    severity: 'minor',
    endpoint: d.endpoint,
    summary: `Endpoint ${d.endpoint} failed ${plural(d.failures, 'poll')} in a row over ${formatDuration(d.failingForMs)} (${reason}); other endpoints still answer`,
    details: { failures: d.failures, failingForMs: d.failingForMs, lastErrorKind: d.kind, status: d.status, message: d.message },
  };
}

/** An endpoint left out of the view: it serves another chain, or claims a head nobody else reaches. */
export function excludedSignal(endpoint: string, x: Exclusion, network: Network, now: number): Signal {
  if (x.reason === 'wrong_chain') {
    return {
      ...base(network, now),
      kind: 'endpoint_wrong_chain',
      severity: 'minor',
      endpoint,
      summary: `Endpoint ${endpoint} serves chain id ${x.chainId}, not ${network.displayName}'s ${network.chainId}: its answers are left out`,
      details: { chainId: x.chainId, expectedChainId: network.chainId, sinceMs: now - x.since },
    };
  }
  const others = x.othersAt === null ? '' : ` (the others are at ${formatBlock(x.othersAt)})`;
  const what =
    x.why === 'future_timestamp'
      ? `reports block ${formatBlock(x.claimed)} dated in the future`
      : `reports block ${formatBlock(x.claimed)}, which no other endpoint reaches${others}`;
  return {
    ...base(network, now),
    kind: 'endpoint_divergent',
    severity: 'minor',
    endpoint,
    summary: `Endpoint ${endpoint} ${what}: its answers are left out`,
    details: { why: x.why, claimedNumber: x.claimed, othersAt: x.othersAt, sinceMs: now - x.since },
  };
}

export function laggingSignal(l: LaggingEndpoint, network: Network, now: number): Signal {
  const summary =
    l.mode === 'behind'
      ? `Endpoint ${l.endpoint} is ${plural(l.behindBlocks, 'block')} behind the best head (at ${formatBlock(l.head.number)}); other endpoints advance`
      : `Endpoint ${l.endpoint} has been stuck at ${formatBlock(l.head.number)} for ${formatDuration(l.stuckForMs)} while other endpoints advance`;
  return {
    ...base(network, now),
    kind: 'endpoint_lagging',
    severity: 'minor',
    endpoint: l.endpoint,
    summary,
    details: { mode: l.mode, behindBlocks: l.behindBlocks, stuckForMs: l.stuckForMs, headNumber: l.head.number },
    evidence: [l.head.hash],
  };
}

export function reorgSignal(r: ReorgVerdict, network: Network, now: number): Signal {
  const { reorgMajorDepth } = network.thresholds;
  const from = r.forkPoint === null ? 'below the blocks we keep' : `after ${formatBlock(r.forkPoint)}`;
  const orphaned = r.replaced.map((b) => b.hash);
  return {
    ...base(network, now),
    kind: 'reorg',
    severity: r.depth >= reorgMajorDepth ? 'major' : 'minor',
    summary: `A reorg of ${plural(r.depth, 'block')}: the chain ${from} was replaced; old head ${formatBlock(r.oldHead.number)} ${shortHash(r.oldHead.hash)}, new head ${formatBlock(r.newHead.number)} ${shortHash(r.newHead.hash)} (seen by ${r.endpoint})`,
    details: {
      depth: r.depth,
      forkPoint: r.forkPoint,
      oldHead: r.oldHead.hash,
      oldHeadNumber: r.oldHead.number,
      newHead: r.newHead.hash,
      newHeadNumber: r.newHead.number,
      endpoint: r.endpoint,
    },
    evidence: [r.newHead.hash, r.oldHead.hash, ...orphaned.filter((h) => h !== r.oldHead.hash)].slice(0, 16),
  };
}

export function slowSignal(r: Extract<SlowBlocksResult, { kind: 'slow' }>, network: Network, now: number): Signal {
  const majorAbove = 2 * network.thresholds.slowFactor * r.expectedMs;
  return {
    ...base(network, now),
    kind: 'slow_blocks',
    severity: r.meanIntervalMs < majorAbove ? 'minor' : 'major',
    summary: `Blocks take ${formatSeconds(r.meanIntervalMs)} on average over the last ${plural(r.blocks, 'block')}, ${r.factor.toFixed(1)}x the expected ${formatSeconds(r.expectedMs)}`,
    details: { meanIntervalMs: Math.round(r.meanIntervalMs), expectedMs: r.expectedMs, blocks: r.blocks },
  };
}

export function safeLagSignal(r: Extract<SafeLagResult, { kind: 'lagging' }>, network: Network, now: number): Signal {
  return {
    ...base(network, now),
    kind: 'safe_lag',
    severity: 'minor',
    summary: `The safe head is ${plural(r.lagBlocks, 'block')} (about ${formatDuration(r.lagMs)}) behind the latest: batches may not be reaching L1`,
    details: { lagBlocks: r.lagBlocks, safe: r.safe, latest: r.latest, lagMs: r.lagMs, endpoint: r.endpoint },
  };
}

/** Per block, one decimal under 10 ("0.4", "38"). */
function perBlock(n: number): string {
  return n < 10 ? n.toFixed(1) : formatCount(Math.round(n));
}

export function lowThroughputSignal(r: Extract<LowThroughputResult, { kind: 'low' | 'empty' }>, network: Network, now: number): Signal {
  const v = r.verdict;
  const recent = v.recentPerBlock ?? 0;
  const usual = v.usualPerBlock ?? 0;
  const over = `over the last ${plural(v.blocks, 'sampled block')} (${formatDuration(v.windowMs)})`;
  const system = r.systemTxPerBlock === 1 ? ' besides the system transaction every block carries' : '';
  const summary =
    r.kind === 'empty'
      ? `Blocks keep coming but are nearly empty: ${perBlock(recent)} transactions a block${system} ${over}, against the usual ${perBlock(usual)}`
      : `Blocks keep coming but carry ${perBlock(recent)} transactions a block ${over}, ${Math.round((v.ratio ?? 0) * 100)}% of the usual ${perBlock(usual)}`;
  return {
    ...base(network, now),
    kind: 'low_throughput',
    severity: r.kind === 'empty' ? 'major' : 'minor',
    summary,
    details: {
      mode: r.kind,
      recentPerBlock: Math.round(recent * 100) / 100,
      usualPerBlock: Math.round(usual * 100) / 100,
      ratio: v.ratio === null ? null : Math.round(v.ratio * 1000) / 1000,
      windowMs: v.windowMs,
      blocks: v.blocks,
      confidence: Math.round(v.confidence * 10000) / 10000,
      systemTxPerBlock: r.systemTxPerBlock,
      gasRatio: v.gas.ratio === null ? null : Math.round(v.gas.ratio * 1000) / 1000,
    },
  };
}
