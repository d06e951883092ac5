/**
 * One poll of one endpoint: `eth_getBlockByNumber("latest", false)` (plus `safe`/`finalized`
 * and `eth_chainId` when asked), validated and turned into a HeadSample carrying the block's
 * transaction count and gas from the same answer. Never throws: a failed or garbled answer is
 * a HeadFailure the detectors can reason about.
 *
 * Raw JSON-RPC instead of viem's getBlock: getBlock formats fields with BigInt and throws
 * on a null block, while we want to classify exactly what the endpoint said.
 */
import { z } from 'zod';
import type { PublicClient } from 'viem';
import { classifyRpcError } from './classify-error';
import type { BlockRef, HeadFailure, HeadSample } from '../model';

/** Anything that can send EIP-1193 requests like a viem PublicClient. */
export type ChainClient = Pick<PublicClient, 'request'>;

export interface SampleHeadParameters {
  network: string;
  /** Endpoint label, never the URL. */
  endpoint: string;
  /** Also read the `safe` and `finalized` tags (omitted where the chain does not serve them). */
  withSafe?: boolean;
  /** Also ask `eth_chainId` (the engine says when: src/engine/detectors/quorum.ts `chainIdDue`). */
  withChainId?: boolean;
}

/** 13 hex digits = 52 bits: every value stays a safe JS integer. */
const quantity = z
  .string()
  .regex(/^0x[0-9a-fA-F]{1,13}$/, 'not a hex quantity')
  .transform((hex) => Number.parseInt(hex, 16));
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not a 32-byte hex hash');

/** Gas can pass 2^52 on some chains (a block gas limit of 2^60): read as a number, close enough. */
const gas = z
  .string()
  .regex(/^0x[0-9a-fA-F]{1,16}$/, 'not a hex quantity')
  .transform((hex) => Number(BigInt(hex)));

/** The fields of an RPC block that BlockRef needs; other fields are ignored. */
const blockSchema = z.object({ number: quantity, hash: hash32, parentHash: hash32, timestamp: quantity });
/** What a block says of its contents; a field that is missing or garbled is left out, not fatal. */
const contentsSchema = z.object({
  transactions: z.array(z.unknown()).optional().catch(undefined),
  gasUsed: gas.optional().catch(undefined),
  gasLimit: gas.optional().catch(undefined),
});

export type ParsedBlock = { ok: true; block: BlockRef } | { ok: false; reason: string };

export interface BlockContents {
  txCount?: number;
  gasUsed?: number;
  gasLimit?: number;
}

/** The transaction count and gas of an `eth_getBlockBy*` result (hashes only: `false`). */
export function parseBlockContents(raw: unknown): BlockContents {
  const parsed = contentsSchema.safeParse(raw);
  if (!parsed.success) return {};
  const { transactions, gasUsed, gasLimit } = parsed.data;
  return {
    ...(transactions ? { txCount: transactions.length } : {}),
    ...(gasUsed !== undefined ? { gasUsed } : {}),
    ...(gasLimit !== undefined ? { gasLimit } : {}),
  };
}

/** Validates an `eth_getBlockBy*` result (null included) into a BlockRef. */
export function parseBlockRef(raw: unknown): ParsedBlock {
  if (raw === null || raw === undefined) return { ok: false, reason: 'no block returned' };
  const parsed = blockSchema.safeParse(raw);
  if (parsed.success) return { ok: true, block: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'block'))];
  return { ok: false, reason: `invalid block: ${fields.join(', ')}` };
}

export async function sampleHead(client: ChainClient, params: SampleHeadParameters, clock: () => number = Date.now): Promise<HeadSample> {
  const started = performance.now();
  const latest = getBlock(client, 'latest').then((result) => ({
    ...result,
    latencyMs: Math.round(performance.now() - started),
  }));
  const extras = params.withSafe
    ? Promise.all([tagNumber(client, 'safe'), tagNumber(client, 'finalized')])
    : Promise.resolve([undefined, undefined] as const);
  const chainId = params.withChainId ? readChainId(client) : Promise.resolve(undefined);
  const [head, [safe, finalized], id] = await Promise.all([latest, extras, chainId]);
  const base = { network: params.network, endpoint: params.endpoint, observedAt: clock(), latencyMs: head.latencyMs };

  if (!head.ok) {
    const { kind, status, message, detail } = classifyRpcError(head.error);
    const failure: HeadFailure = { ok: false, ...base, kind, message };
    if (status !== undefined) failure.status = status;
    if (detail) failure.detail = detail;
    return failure;
  }
  const parsed = parseBlockRef(head.value);
  if (!parsed.ok) return { ok: false, ...base, kind: 'malformed', message: parsed.reason };
  return {
    ok: true,
    ...base,
    ...parsed.block,
    ...parseBlockContents(head.value),
    ...(safe !== undefined && { safe }),
    ...(finalized !== undefined && { finalized }),
    ...(id !== undefined && { chainId: id }),
  };
}

/** `eth_chainId`, or undefined when it fails (the head says whether the endpoint answers at all). */
async function readChainId(client: ChainClient): Promise<number | undefined> {
  try {
    // https://ethereum.org/en/developers/docs/apis/json-rpc/#eth_chainid
    const raw = await client.request({ method: 'eth_chainId' });
    const parsed = quantity.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

type BlockTag = 'latest' | 'safe' | 'finalized';

async function getBlock(client: ChainClient, tag: BlockTag): Promise<Settled> {
  try {
    // https://ethereum.org/en/developers/docs/apis/json-rpc/#eth_getblockbynumber
    return { ok: true, value: await client.request({ method: 'eth_getBlockByNumber', params: [tag, false] }) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A tag's block number, or undefined where the chain does not serve it (error or null). */
async function tagNumber(client: ChainClient, tag: BlockTag): Promise<number | undefined> {
  const result = await getBlock(client, tag);
  if (!result.ok) return undefined;
  const parsed = parseBlockRef(result.value);
  return parsed.ok ? parsed.block.number : undefined;
}
