/**
 * One poll of one endpoint: `eth_getBlockByNumber("latest")` (plus `safe`/`finalized`
 * when asked), validated and turned into a HeadSample. Never throws: a failed or garbled
 * answer is a HeadFailure the detectors can reason about.
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
}

/** 13 hex digits = 52 bits: every value stays a safe JS integer. */
const quantity = z
  .string()
  .regex(/^0x[0-9a-fA-F]{1,13}$/, 'not a hex quantity')
  .transform((hex) => Number.parseInt(hex, 16));
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not a 32-byte hex hash');

/** The fields of an RPC block that BlockRef needs; other fields are ignored. */
const blockSchema = z.object({ number: quantity, hash: hash32, parentHash: hash32, timestamp: quantity });

export type ParsedBlock = { ok: true; block: BlockRef } | { ok: false; reason: string };

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
  const [head, [safe, finalized]] = await Promise.all([latest, extras]);
  const base = { network: params.network, endpoint: params.endpoint, observedAt: clock(), latencyMs: head.latencyMs };

  if (!head.ok) {
    const { kind, status, message } = classifyRpcError(head.error);
    const failure: HeadFailure = { ok: false, ...base, kind, message };
    if (status !== undefined) failure.status = status;
    return failure;
  }
  const parsed = parseBlockRef(head.value);
  if (!parsed.ok) return { ok: false, ...base, kind: 'malformed', message: parsed.reason };
  return {
    ok: true,
    ...base,
    ...parsed.block,
    ...(safe !== undefined && { safe }),
    ...(finalized !== undefined && { finalized }),
  };
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
