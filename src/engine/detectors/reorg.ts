/**
 * Reorg detection against a ring of the canonical chain. viem's `watchBlockNumber` only
 * sees numbers go up, so reorgs are found by comparing hashes ourselves (STYLE.md §3):
 * a head whose hash differs from the ring at its number, or whose parent differs from the
 * ring at number-1, replaced part of the chain. `ancestors` (fetched when `planAncestry`
 * asks) locate the fork point and so the depth.
 */
import type { BlockRef, HeadOk } from '../../model';
import { CANON_MAX, type CanonBlock, type ChainState, findEndpoint, ORPHANS_MAX } from './state';

type Canon = ChainState['canon'];

/** How far below the sample's parent the adapter may walk to find the fork point. */
export const ANCESTRY_DEPTH = 64;

export type HeadVerdict =
  /** The ring already holds this block: the same head again, or a lagging endpoint. */
  | { kind: 'known' }
  /** New blocks on top of the ring (or the first head, or an unlinked gap above it). */
  | { kind: 'extends'; blocks: BlockRef[] }
  /** An endpoint still on a branch a reorg replaced: it lags, the chain did not flip back. */
  | { kind: 'orphaned' }
  /** Below the ring's head on another branch, from an endpoint catching up from below. */
  | { kind: 'divergent' }
  /** Below the ring's head with nothing in the ring to compare it to. */
  | { kind: 'unlinked' }
  | {
      kind: 'reorg';
      /**
       * Ring blocks replaced. On a contiguous ring (the adapter fills gaps through
       * planAncestry) that is ringMax - forkPoint; where polls skipped blocks nobody
       * fetched, only blocks we saw count: a lower bound, where ringMax - forkPoint would
       * count unseen blocks that may never have changed.
       */
      depth: number;
      /** Highest block both chains share; null when the ancestors did not reach it. */
      forkPoint: number | null;
      oldHead: CanonBlock;
      newHead: BlockRef;
      replaced: CanonBlock[];
      blocks: BlockRef[];
      endpoint: string;
    };

function toRef(b: BlockRef): BlockRef {
  return { number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp };
}

/** The sample and as many of its ancestors as link up, newest first. */
export function linkedChain(sample: HeadOk): BlockRef[] {
  const chain: BlockRef[] = [toRef(sample)];
  for (const a of sample.ancestors ?? []) {
    const prev = chain[chain.length - 1]!;
    if (a.number !== prev.number - 1 || a.hash !== prev.parentHash) break;
    chain.push(toRef(a));
    if (chain.length >= CANON_MAX) break;
  }
  return chain;
}

type RingLookup = Pick<Map<number, CanonBlock>, 'get'>;

/**
 * Lookup by number in the ascending ring by binary search: judging a head runs on every
 * sample, and building a Map of 128 blocks each time dominated replay time.
 */
function indexRing(blocks: CanonBlock[]): RingLookup {
  return {
    get(n: number) {
      let lo = 0;
      let hi = blocks.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const b = blocks[mid]!;
        if (b.number === n) return b;
        if (b.number < n) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    },
  };
}

/** Highest number at which `chain` and the ring agree (a shared block, or a shared parent). */
function findForkPoint(ring: RingLookup, chain: BlockRef[]): number | null {
  for (const b of chain) {
    if (ring.get(b.number)?.hash === b.hash) return b.number;
    if (ring.get(b.number - 1)?.hash === b.parentHash) return b.number - 1;
  }
  return null;
}

/** Numbers of ring blocks that `chain` contradicts (no agreement found). */
function contradicted(ring: RingLookup, chain: BlockRef[]): number[] {
  const out: number[] = [];
  for (const b of chain) {
    const r = ring.get(b.number);
    if (r && r.hash !== b.hash) out.push(b.number);
  }
  const lowest = chain[chain.length - 1]!;
  const below = ring.get(lowest.number - 1);
  if (below && below.hash !== lowest.parentHash) out.push(below.number);
  return out;
}

/**
 * A head below the ring's tip may only move the canonical chain down when its own endpoint
 * was at or above that height before (that node reorged to a lower head). An endpoint
 * climbing from below on another branch is a lagging node on a side branch: taking it as
 * canon would flip the ring back and forth between providers and report reorgs that never
 * happened on the network.
 */
function mayMoveCanon(sample: HeadOk, ringMax: number, endpointWasAt: number | null): boolean {
  return sample.number >= ringMax || (endpointWasAt !== null && endpointWasAt >= sample.number);
}

function touchesOrphan(canon: Canon, chain: BlockRef[]): boolean {
  const orphans = new Set(canon.orphans);
  return chain.some((b) => orphans.has(b.hash) || orphans.has(b.parentHash));
}

/** Judge one ok head against the ring. `endpointWasAt`: that endpoint's previous head number. */
export function judgeHead(canon: Canon, sample: HeadOk, endpointWasAt: number | null): HeadVerdict {
  const chain = linkedChain(sample);
  const oldHead = canon.blocks[canon.blocks.length - 1];
  if (!oldHead) return { kind: 'extends', blocks: chain };
  const ring = indexRing(canon.blocks);
  const forkPoint = findForkPoint(ring, chain);
  if (forkPoint === sample.number) return { kind: 'known' };
  const ringMax = oldHead.number;
  if (sample.number <= ringMax && touchesOrphan(canon, chain)) return { kind: 'orphaned' };

  const base = { kind: 'reorg' as const, oldHead, newHead: chain[0]!, endpoint: sample.endpoint };
  if (forkPoint !== null) {
    const replaced = canon.blocks.filter((b) => b.number > forkPoint);
    const blocks = chain.filter((b) => b.number > forkPoint);
    if (replaced.length === 0) return { kind: 'extends', blocks };
    if (!mayMoveCanon(sample, ringMax, endpointWasAt)) return { kind: 'divergent' };
    return { ...base, depth: replaced.length, forkPoint, replaced, blocks };
  }
  const bad = contradicted(ring, chain);
  if (bad.length === 0) return sample.number > ringMax ? { kind: 'extends', blocks: chain } : { kind: 'unlinked' };
  if (!mayMoveCanon(sample, ringMax, endpointWasAt)) return { kind: 'divergent' };
  // Every ring block from the lowest contradicted one up sits on the old branch.
  const lowest = Math.min(...bad);
  const replaced = canon.blocks.filter((b) => b.number >= lowest);
  return { ...base, depth: replaced.length, forkPoint: null, replaced, blocks: chain };
}

function insertBlocks(ring: CanonBlock[], blocks: BlockRef[]): CanonBlock[] {
  const top = ring[ring.length - 1];
  if (blocks.length === 1 && (!top || blocks[0]!.number > top.number)) {
    // The common case, one new head on top: append without re-indexing the ring.
    const b = blocks[0]!;
    return [...ring, { number: b.number, hash: b.hash, parentHash: b.parentHash }].slice(-CANON_MAX);
  }
  const byNumber = new Map(ring.map((b) => [b.number, b]));
  for (const b of blocks) byNumber.set(b.number, { number: b.number, hash: b.hash, parentHash: b.parentHash });
  return [...byNumber.values()].sort((a, b) => a.number - b.number).slice(-CANON_MAX);
}

/** The ring after a verdict: extended, or rebuilt from the fork point with the replaced hashes orphaned. */
export function applyVerdict(canon: Canon, verdict: HeadVerdict): Canon {
  if (verdict.kind === 'extends') return { blocks: insertBlocks(canon.blocks, verdict.blocks), orphans: canon.orphans };
  if (verdict.kind !== 'reorg') return canon;
  const gone = new Set(verdict.replaced.map((b) => b.hash));
  const kept = canon.blocks.filter((b) => !gone.has(b.hash));
  // A branch that wins again (it grew longer than the one that replaced it) is canon, not orphaned.
  const revived = new Set(verdict.blocks.map((b) => b.hash));
  const orphans = [...canon.orphans.filter((h) => !revived.has(h) && !gone.has(h)), ...gone].slice(-ORPHANS_MAX);
  return { blocks: insertBlocks(kept, verdict.blocks), orphans };
}

/** The canonical hash the ring holds at `number`: where an ancestry walk may stop. */
export function canonicalHash(state: ChainState, number: number): string | null {
  return state.canon.blocks.find((b) => b.number === number)?.hash ?? null;
}

/**
 * Whether the adapter must fetch ancestors of `sample` (eth_getBlockByHash from
 * `fromHash`, newest first, stopping at a block the ring holds or at `downTo`) before
 * observeChain can judge it. Null when the ring can already judge it or cannot use them.
 */
export function planAncestry(state: ChainState, sample: HeadOk, maxGap = 16): { fromHash: string; downTo: number } | null {
  const blocks = state.canon.blocks;
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (!first || !last) return null;
  const ring = indexRing(blocks);
  if (ring.get(sample.number)?.hash === sample.hash) return null;
  if (ring.get(sample.number - 1)?.hash === sample.parentHash) return null;
  if (sample.number <= last.number && touchesOrphan(state.canon, [sample])) return null;
  // Walking a long gap costs one request per block on every poll; past maxGap blocks we
  // accept missing a reorg hidden inside the gap rather than hammer the provider.
  if (sample.number - last.number > maxGap) return null;
  const wasAt = findEndpoint(state, sample.endpoint)?.head?.number ?? null;
  if (!mayMoveCanon(sample, last.number, wasAt)) return null;
  const downTo = Math.max(first.number, sample.number - 1 - ANCESTRY_DEPTH);
  if (downTo > sample.number - 1) return null;
  return { fromHash: sample.parentHash, downTo };
}
