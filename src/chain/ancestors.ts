/**
 * Walks parent links below a head to settle a suspected reorg: how deep it went and
 * where the old and new chains meet. Never throws: a partial walk is still evidence.
 */
import { parseBlockRef, type ChainClient } from './sample-head';
import type { BlockRef } from '../model';

export interface FetchAncestorsParameters {
  /** Start here (usually the new head's parentHash); this block is the first returned. */
  fromHash: string;
  /** Stop after a block at or below this number. */
  downTo: number;
  /** The hash this watcher already holds for a block number, if any. */
  known: (n: number) => string | undefined;
  /** Most blocks fetched in one walk; bounds the requests a deep reorg can cost. */
  limit?: number;
}

const DEFAULT_LIMIT = 64;

/**
 * Newest first. The walk stops after including the fork point (a block whose hash equals
 * `known(number)`), at `downTo`, after `limit` blocks, or at the first error or invalid
 * block, returning what it has.
 */
export async function fetchAncestors(client: ChainClient, params: FetchAncestorsParameters): Promise<BlockRef[]> {
  const limit = params.limit ?? DEFAULT_LIMIT;
  const blocks: BlockRef[] = [];
  let hash = params.fromHash;
  while (blocks.length < limit) {
    const block = await blockByHash(client, hash);
    // A block that is not the one asked for, or not the parent of the previous one, is as
    // untrustworthy as garbage: stop rather than follow it.
    const previous = blocks[blocks.length - 1];
    if (!block || !sameHash(block.hash, hash)) break;
    if (previous && block.number !== previous.number - 1) break;
    blocks.push(block);
    const knownHash = params.known(block.number);
    if (knownHash !== undefined && sameHash(knownHash, block.hash)) break;
    if (block.number <= params.downTo) break;
    hash = block.parentHash;
  }
  return blocks;
}

async function blockByHash(client: ChainClient, hash: string): Promise<BlockRef | undefined> {
  try {
    // https://ethereum.org/en/developers/docs/apis/json-rpc/#eth_getblockbyhash
    const raw = await client.request({ method: 'eth_getBlockByHash', params: [hash as `0x${string}`, false] });
    const parsed = parseBlockRef(raw);
    return parsed.ok ? parsed.block : undefined;
  } catch {
    return undefined;
  }
}

function sameHash(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
