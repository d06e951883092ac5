/**
 * The inclusion probe's adapter: a viem wallet client per http(s) endpoint of the network, with
 * the probe's key as a local account (signing happens here, in the process: the key never leaves
 * it, and no node is asked to sign). Verbs over it: read what the chain says (nonces, the
 * receipt, fees), sign, broadcast the signed transaction through every endpoint (one provider
 * that does not forward transactions must not look like a chain that ignores them), and watch
 * for the receipt. What to do with those facts is src/engine/probe.ts.
 *
 * viem's errors carry the URL and the request body in `message`: only `classifyRpcError`'s
 * redacted summary of them leaves this file.
 */
import {
  createWalletClient,
  defineChain,
  http,
  keccak256,
  publicActions,
  type Chain,
  type Hex,
  type PublicActions,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { Network } from '../config/network';
import type { ProbeFacts, ProbeFees as Fees, ProbeReceipt, ProbeTx } from '../model';
import { classifyRpcError, type ClassifiedRpcError } from './classify-error';

type Client = WalletClient<Transport, Chain, PrivateKeyAccount> & PublicActions<Transport, Chain, PrivateKeyAccount>;

export interface ProbeClient {
  /** Endpoint label (never the URL). */
  label: string;
  client: Client;
}

export interface ProbeChain {
  address: Hex;
  clients: ProbeClient[];
}

/** A read or a signature that no endpoint could answer; `problem` is safe to log. */
export class ProbeRpcError extends Error {
  override readonly name = 'ProbeRpcError';
  constructor(
    readonly what: string,
    readonly endpoint: string,
    readonly problem: ClassifiedRpcError,
  ) {
    super(`${what} failed at ${endpoint}: ${problem.message}`);
  }
}

/**
 * Clients for the network's http(s) endpoints. No retries inside a tick (the next tick is the
 * retry) and no cache (a nonce or a receipt must be read fresh). The chain object carries only
 * the id: viem checks every signature against the endpoint's `eth_chainId`, so a probe is never
 * signed for a chain an endpoint serves by mistake.
 */
export function createProbeChain(network: Network, opts: { timeoutMs: number }): ProbeChain {
  if (!network.probe) throw new Error(`network ${network.name} has no probe configured`);
  const account = privateKeyToAccount(network.probe.key.reveal());
  const chain = defineChain({
    id: network.chainId,
    name: network.displayName,
    nativeCurrency: { name: 'native', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const clients = network.endpoints
    .filter((ep) => /^https?:/i.test(ep.url))
    .map((ep) => ({
      label: ep.label,
      client: createWalletClient({
        account,
        chain,
        name: ep.label,
        cacheTime: 0,
        transport: http(ep.url, { timeout: opts.timeoutMs, retryCount: 0, batch: false }),
      }).extend(publicActions) as unknown as Client,
    }));
  return { address: account.address, clients };
}

/** The first endpoint that answers, in config order; the first failure when none does. */
async function firstAnswer<T>(pc: ProbeChain, what: string, read: (c: Client) => Promise<T>): Promise<T> {
  let first: ProbeRpcError | null = null;
  for (const { label, client } of pc.clients) {
    try {
      return await read(client);
    } catch (err) {
      first ??= new ProbeRpcError(what, label, describe(err));
    }
  }
  throw first ?? new Error(`no http(s) endpoint to ${what}`);
}

function describe(err: unknown): ClassifiedRpcError {
  if ((err as { name?: unknown })?.name === 'ChainMismatchError') return { kind: 'rpc', message: 'the endpoint serves another chain id' };
  return classifyRpcError(err);
}

/**
 * Nonces, fees and the gas a probe needs from the first endpoint that answers, and the receipt
 * of any of `hashes` from any endpoint (anyReceipt).
 */
export async function readProbeFacts(pc: ProbeChain, { hashes }: { hashes: readonly Hex[] }): Promise<ProbeFacts> {
  const [facts, receipt] = await Promise.all([
    firstAnswer(pc, 'reading nonces and fees', async (c) => {
      const address = pc.address;
      return Promise.all([
        c.getTransactionCount({ address, blockTag: 'latest' }),
        c.getTransactionCount({ address, blockTag: 'pending' }),
        c.getBlock({ blockTag: 'latest' }),
        c.estimateMaxPriorityFeePerGas(),
        c.estimateGas({ account: c.account, to: address, value: 0n }),
      ]);
    }),
    anyReceipt(pc, hashes, true),
  ]);
  const [latestNonce, pendingNonce, block, tip, gas] = facts;
  return {
    latestNonce,
    pendingNonce,
    receipt,
    head: Number(block.number),
    baseFeeWei: block.baseFeePerGas === null || block.baseFeePerGas === undefined ? null : block.baseFeePerGas.toString(),
    tipWei: tip.toString(),
    gas: gas.toString(),
  };
}

/**
 * The receipt of any of `hashes` from any endpoint, asked all at once: one provider that is stuck
 * or behind must not make a landed probe look late (no single witness decides). A failed read
 * counts as "not seen" there; null when no endpoint has one.
 */
async function anyReceipt(pc: ProbeChain, hashes: readonly Hex[], dated: boolean): Promise<ProbeReceipt | null> {
  if (hashes.length === 0) return null;
  const seen = await Promise.all(
    pc.clients.map(async ({ client }) => {
      for (const hash of hashes) {
        const r = await receiptOf(client, hash, dated).catch(() => null);
        if (r) return r;
      }
      return null;
    }),
  );
  return seen.find((r) => r !== null) ?? null;
}

/** A probe's receipt, or null while the chain has none; `dated`: with its block's timestamp. */
async function receiptOf(c: Client, hash: Hex, dated: boolean): Promise<ProbeReceipt | null> {
  let r: Awaited<ReturnType<Client['getTransactionReceipt']>>;
  try {
    r = await c.getTransactionReceipt({ hash });
  } catch (err) {
    if ((err as { name?: unknown }).name === 'TransactionReceiptNotFoundError') return null;
    throw err;
  }
  const extra = r as unknown as { l1Fee?: unknown; blockTimestamp?: unknown };
  // OP-stack chains also charge an L1 data fee, in the receipt beside gasUsed.
  const cost = r.gasUsed * r.effectiveGasPrice + (toBigInt(extra.l1Fee) ?? 0n);
  let ts = toBigInt(extra.blockTimestamp);
  if (ts === null && dated) ts = (await c.getBlock({ blockNumber: r.blockNumber })).timestamp;
  return { hash, block: Number(r.blockNumber), blockTimestamp: ts === null ? null : Number(ts), costWei: cost.toString() };
}

function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v)) return BigInt(v);
  return null;
}

/** Signs a zero-value EIP-1559 transfer to itself; the hash is known before anything is sent. */
export async function signProbe(pc: ProbeChain, { nonce, fees }: { nonce: number; fees: Fees }): Promise<ProbeTx> {
  const raw = await firstAnswer(pc, 'signing', (c) =>
    c.signTransaction({
      type: 'eip1559',
      to: pc.address,
      value: 0n,
      nonce,
      gas: BigInt(fees.gas),
      maxFeePerGas: BigInt(fees.maxFeeWei),
      maxPriorityFeePerGas: BigInt(fees.tipWei),
    }),
  );
  return { hash: keccak256(raw), raw, ...fees };
}

/** How one endpoint took the transaction. */
export type BroadcastOutcome = 'accepted' | 'known' | 'underpriced' | 'nonce_used' | 'funds' | 'failed';

export interface BroadcastResult {
  /** At least one endpoint has it (accepted, or already knew it). */
  sent: boolean;
  outcomes: { endpoint: string; outcome: BroadcastOutcome; problem?: ClassifiedRpcError }[];
}

/** Nodes' own words for why a raw transaction was refused (geth, reth, anvil, erigon, nethermind). */
const REFUSALS: [RegExp, BroadcastOutcome][] = [
  [/already known|known transaction|already imported|alreadyknown|already in (the )?(mem)?pool/i, 'known'],
  [/nonce too low|nonce has already been used|nonce.*(too low|already)|oldnonce/i, 'nonce_used'],
  [/underpriced|less than (the )?(block )?base fee|fee cap.*(less|below)|feetoolow|fee too low/i, 'underpriced'],
  [/insufficient funds|insufficient balance/i, 'funds'],
];

/** Sends the same signed transaction through every endpoint at once. */
export async function broadcastProbe(pc: ProbeChain, raw: Hex): Promise<BroadcastResult> {
  const outcomes = await Promise.all(
    pc.clients.map(async ({ label, client }) => {
      try {
        await client.sendRawTransaction({ serializedTransaction: raw });
        return { endpoint: label, outcome: 'accepted' as const };
      } catch (err) {
        const problem = describe(err);
        const outcome = REFUSALS.find(([re]) => re.test(problem.detail ?? ''))?.[1] ?? 'failed';
        return { endpoint: label, outcome, problem };
      }
    }),
  );
  return { sent: outcomes.some((o) => o.outcome === 'accepted' || o.outcome === 'known'), outcomes };
}

/**
 * Polls for the receipt of any of `hashes` until `timeoutMs` has passed; null if none came.
 * A failed read is tried again at the next poll: the tick's deadline bounds it.
 */
export async function watchForReceipt(
  pc: ProbeChain,
  opts: { hashes: readonly Hex[]; timeoutMs: number; pollMs: number },
  clock: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<{ receipt: ProbeReceipt; seenAt: number } | null> {
  const until = clock() + opts.timeoutMs;
  for (;;) {
    const found = await anyReceipt(pc, opts.hashes, false);
    if (found) return { receipt: found, seenAt: clock() };
    if (clock() + opts.pollMs > until) return null;
    await sleep(opts.pollMs);
  }
}
