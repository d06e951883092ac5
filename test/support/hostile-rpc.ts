/**
 * A hostile JSON-RPC 2.0 endpoint for tests: a real HTTP server on loopback that forwards
 * to an upstream node (anvil) and misbehaves in one of several ways, switchable at runtime.
 *
 * Wire format (JSON-RPC 2.0 over HTTP, as geth/anvil serve it):
 * - POST only (anything else: 405 with `Allow: POST`); the request must be `application/json`
 *   (else 415, geth's wording). A body that is not JSON answers `-32700 Parse error`, an empty
 *   batch `-32600 Invalid request` (a single error object, id null, per the spec).
 * - A single request object or a batch array. Batch elements are answered one by one (each
 *   forwarded on its own), notifications (no `id`) get no element, an all-notification request
 *   gets `204`.
 *
 * Modes (`setMode`):
 * - `honest`            forward everything unchanged.
 * - `frozen-far-ahead`  `eth_getBlockByNumber` (any tag/number) always returns the same
 *                       well-formed block #2^52−1 (`0xfffffffffffff`), `eth_blockNumber` that
 *                       number, `eth_getBlockByHash` of its hash that block; the rest forwarded.
 * - `wrong-chain`       `eth_chainId` answers `0x3e7` (999) and `net_version` `999`; everything
 *                       else goes to the `wrongChainUpstream` (a node of another chain). Without
 *                       that option only the chain id lies and heads come from the main upstream.
 * - `wrong-id`          forwarded, but the response `id` is the request's plus one (a string id
 *                       gets a `-x` suffix).
 * - `wrong-id-string`   forwarded, but a numeric id comes back as its string (`1` → `"1"`).
 * - `swapped-ids`       in a batch, the response ids are handed out in reverse order (each result
 *                       is labelled with another request's id); a single request is `wrong-id`.
 * - `future-timestamp`  forwarded, but every block in a result gets `timestamp + futureOffsetSec`
 *                       (default one day), all other fields kept.
 * - `error`             HTTP 200 with a JSON-RPC error `-32000` whose message carries a secret-
 *                       looking API key and an ANSI escape (`\u001b[31m`): tests that the product
 *                       never echoes provider text raw.
 * - `http-500`          HTTP 500 `text/plain` "Internal Server Error".
 * - `hang`              reads the request, never answers (until `close()`).
 * - `garbage`           HTTP 200, `Content-Type: application/json`, a body that is not JSON.
 *
 * `setMode(mode, { methods })` limits the misbehaviour to those methods (the rest honest); for the
 * whole-response modes (`http-500`, `hang`, `garbage`) it applies when any request in the body
 * matches.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { keccak256, toHex } from 'viem';

export type HostileMode =
  | 'honest'
  | 'frozen-far-ahead'
  | 'wrong-chain'
  | 'wrong-id'
  | 'wrong-id-string'
  | 'swapped-ids'
  | 'future-timestamp'
  | 'error'
  | 'http-500'
  | 'hang'
  | 'garbage';

export const HOSTILE_MODES: readonly HostileMode[] = [
  'honest',
  'frozen-far-ahead',
  'wrong-chain',
  'wrong-id',
  'wrong-id-string',
  'swapped-ids',
  'future-timestamp',
  'error',
  'http-500',
  'hang',
  'garbage',
];

export interface HostileRpcOptions {
  /** The honest node everything is forwarded to. */
  upstream: string;
  /** A node of another chain (e.g. anvil `--chain-id 999`), used by `wrong-chain`. */
  wrongChainUpstream?: string;
  /** Chain id `wrong-chain` claims; default 999 (`0x3e7`). */
  wrongChainId?: number;
  /** Seconds `future-timestamp` adds to block timestamps; default 86_400 (one day). */
  futureOffsetSec?: number;
  /** Unix seconds of the frozen block; default: the wall clock when the mode is set. */
  frozenTimestamp?: number;
  /** Loopback port to listen on; default: any free one. */
  port?: number;
  /** Upstream request timeout; default 10 s. */
  upstreamTimeoutMs?: number;
  initialMode?: HostileMode;
}

export interface SetModeOptions {
  /** Misbehave only for these JSON-RPC methods; all others are answered honestly. */
  methods?: readonly string[];
}

export interface HostileRpc {
  url: string;
  port: number;
  readonly mode: HostileMode;
  setMode(mode: HostileMode, opts?: SetModeOptions): void;
  /** JSON-RPC requests seen, by method (each batch element counts once). A snapshot. */
  readonly requests: Readonly<Record<string, number>>;
  /** HTTP POSTs seen (a batch is one). */
  readonly httpRequests: number;
  resetRequests(): void;
  close(): Promise<void>;
}

/** 2^52 − 1: a height no real chain has, still exact as a JS number. */
export const FROZEN_BLOCK_NUMBER = 2 ** 52 - 1;
export const FROZEN_BLOCK_NUMBER_HEX = '0xfffffffffffff';
export const FROZEN_BLOCK_HASH = keccak256(toHex('chainwatch/hostile-rpc/frozen-block'));
export const FROZEN_PARENT_HASH = keccak256(toHex('chainwatch/hostile-rpc/frozen-parent'));

/**
 * Looks like a live Stripe-style secret. Built at run time so that no secret-shaped literal sits
 * in the source for scanners to flag; it is not a key of anything.
 */
export const LEAKED_KEY = ['sk', 'live', '51HostileRpcFakeKeyDoNotUse0000'].join('_');
export const ANSI_RED = '\u001b[31m';
export const ERROR_MESSAGE = `invalid api key ${LEAKED_KEY}: ${ANSI_RED}request denied\u001b[0m`;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type RpcRequest = { jsonrpc?: unknown; id?: Json; method?: unknown; params?: unknown };
type RpcResponse = { jsonrpc: '2.0'; id: Json; result?: Json; error?: { code: number; message: string; data?: Json } };

const WHOLE_RESPONSE_MODES = new Set<HostileMode>(['http-500', 'hang', 'garbage']);
const EMPTY_ROOT = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
const ZERO_HASH = `0x${'0'.repeat(64)}`;

function frozenBlock(timestampSec: number): Record<string, Json> {
  // The fields anvil (Cancun+) returns for a block, so every client formatter accepts it.
  return {
    hash: FROZEN_BLOCK_HASH,
    parentHash: FROZEN_PARENT_HASH,
    sha3Uncles: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
    miner: '0x0000000000000000000000000000000000000000',
    stateRoot: EMPTY_ROOT,
    transactionsRoot: EMPTY_ROOT,
    receiptsRoot: EMPTY_ROOT,
    logsBloom: `0x${'0'.repeat(512)}`,
    difficulty: '0x0',
    number: FROZEN_BLOCK_NUMBER_HEX,
    gasLimit: '0x1c9c380',
    gasUsed: '0x0',
    timestamp: toHex(timestampSec),
    extraData: '0x',
    mixHash: ZERO_HASH,
    nonce: '0x0000000000000000',
    baseFeePerGas: '0x3b9aca00',
    withdrawalsRoot: EMPTY_ROOT,
    blobGasUsed: '0x0',
    excessBlobGas: '0x0',
    parentBeaconBlockRoot: ZERO_HASH,
    totalDifficulty: '0x0',
    size: '0x267',
    uncles: [],
    transactions: [],
    withdrawals: [],
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bumpId(id: Json | undefined): Json {
  if (typeof id === 'number') return id + 1;
  if (typeof id === 'string') return `${id}-x`;
  return 1;
}

/** Adds `offset` seconds to the timestamp of a block result (and leaves anything else alone). */
function shiftTimestamp(result: Json | undefined, offset: number): Json | undefined {
  if (!isObject(result) || typeof result.timestamp !== 'string' || typeof result.number !== 'string') return result;
  return { ...result, timestamp: toHex(BigInt(result.timestamp) + BigInt(offset)) };
}

export async function startHostileRpc(opts: HostileRpcOptions): Promise<HostileRpc> {
  const wrongChainIdHex = toHex(opts.wrongChainId ?? 999);
  const futureOffset = opts.futureOffsetSec ?? 86_400;
  const upstreamTimeoutMs = opts.upstreamTimeoutMs ?? 10_000;
  let mode: HostileMode = 'honest';
  let onlyMethods: ReadonlySet<string> | null = null;
  let frozenTs = opts.frozenTimestamp ?? Math.floor(Date.now() / 1000);
  let counts: Record<string, number> = {};
  let httpRequests = 0;
  const sockets = new Set<Socket>();
  const closing = new AbortController();

  const setMode = (next: HostileMode, modeOpts: SetModeOptions = {}) => {
    if (!HOSTILE_MODES.includes(next)) throw new RangeError(`unknown hostile mode: ${String(next)}`);
    mode = next;
    onlyMethods = modeOpts.methods ? new Set(modeOpts.methods) : null;
    if (next === 'frozen-far-ahead' && opts.frozenTimestamp === undefined) frozenTs = Math.floor(Date.now() / 1000);
  };
  if (opts.initialMode) setMode(opts.initialMode);

  const appliesTo = (method: unknown) => onlyMethods === null || (typeof method === 'string' && onlyMethods.has(method));

  async function forward(url: string, req: RpcRequest): Promise<RpcResponse> {
    const id = req.id ?? null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(req),
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(upstreamTimeoutMs)]),
      });
      const text = await res.text();
      const body = JSON.parse(text) as RpcResponse;
      if (!isObject(body)) throw new Error(`upstream answered ${res.status} without a JSON-RPC object`);
      return body;
    } catch (err) {
      return { jsonrpc: '2.0', id, error: { code: -32603, message: `upstream unavailable: ${(err as Error).message}` } };
    }
  }

  /** One request → its response, or undefined for a notification. */
  async function answer(req: unknown, inBatch: boolean): Promise<RpcResponse | undefined> {
    if (!isObject(req) || typeof req.method !== 'string') {
      return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request' } };
    }
    const r = req as RpcRequest & { method: string };
    counts[r.method] = (counts[r.method] ?? 0) + 1;
    const isNotification = !('id' in r);
    const id = (r.id ?? null) as Json;
    const m = appliesTo(r.method) ? mode : 'honest';
    const reply = (result: Json): RpcResponse => ({ jsonrpc: '2.0', id, result });
    let res: RpcResponse;
    switch (m) {
      case 'frozen-far-ahead':
        if (r.method === 'eth_getBlockByNumber') res = reply(frozenBlock(frozenTs));
        else if (r.method === 'eth_blockNumber') res = reply(FROZEN_BLOCK_NUMBER_HEX);
        else if (r.method === 'eth_getBlockByHash' && Array.isArray(r.params) && String(r.params[0]).toLowerCase() === FROZEN_BLOCK_HASH)
          res = reply(frozenBlock(frozenTs));
        else res = await forward(opts.upstream, r);
        break;
      case 'wrong-chain':
        if (r.method === 'eth_chainId') res = reply(wrongChainIdHex);
        else if (r.method === 'net_version') res = reply(String(opts.wrongChainId ?? 999));
        else res = await forward(opts.wrongChainUpstream ?? opts.upstream, r);
        break;
      case 'swapped-ids':
        // Batch answers are re-labelled once all are in; a lone request has no other id to take.
        res = await forward(opts.upstream, r);
        if (!inBatch) res = { ...res, id: bumpId(r.id) };
        break;
      case 'wrong-id':
        res = { ...(await forward(opts.upstream, r)), id: bumpId(r.id) };
        break;
      case 'wrong-id-string':
        res = { ...(await forward(opts.upstream, r)), id: typeof r.id === 'number' ? String(r.id) : bumpId(r.id) };
        break;
      case 'future-timestamp': {
        const fwd = await forward(opts.upstream, r);
        res = 'result' in fwd ? { ...fwd, result: shiftTimestamp(fwd.result, futureOffset) ?? null } : fwd;
        break;
      }
      case 'error':
        res = { jsonrpc: '2.0', id, error: { code: -32000, message: ERROR_MESSAGE } };
        break;
      default:
        res = await forward(opts.upstream, r);
    }
    return isNotification ? undefined : res;
  }

  function send(res: ServerResponse, status: number, body: string, contentType = 'application/json', extra: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return send(res, 405, 'method not allowed\n', 'text/plain', { allow: 'POST' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    httpRequests += 1;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      return send(res, 415, 'invalid content type, only application/json is supported\n', 'text/plain');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 200, JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
    }
    const batch = Array.isArray(parsed);
    const items: unknown[] = batch ? (parsed as unknown[]) : [parsed];
    if (batch && items.length === 0) {
      return send(res, 200, JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request' } }));
    }

    if (WHOLE_RESPONSE_MODES.has(mode) && items.some((it) => appliesTo(isObject(it) ? it.method : undefined))) {
      for (const it of items) if (isObject(it) && typeof it.method === 'string') counts[it.method] = (counts[it.method] ?? 0) + 1;
      if (mode === 'http-500') return send(res, 500, 'Internal Server Error', 'text/plain');
      if (mode === 'garbage') return send(res, 200, '<html><body>502 upstream hiccup</body></html');
      return; // hang: keep the socket open and silent until close()
    }

    const answers = await Promise.all(items.map((it) => answer(it, batch)));
    if (batch && mode === 'swapped-ids') {
      // Reverse the ids among the answers the mode applies to.
      const targets = answers
        .map((a, i) => ({ a, method: isObject(items[i]) ? items[i].method : undefined }))
        .filter((t): t is { a: RpcResponse; method: unknown } => t.a !== undefined && appliesTo(t.method))
        .map((t) => t.a);
      const ids = targets.map((a) => a.id).reverse();
      targets.forEach((a, i) => (a.id = ids[i] ?? null));
    }
    const out = answers.filter((a): a is RpcResponse => a !== undefined);
    if (out.length === 0) {
      res.writeHead(204);
      return res.end();
    }
    send(res, 200, JSON.stringify(batch ? out : out[0]));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, `hostile-rpc internal error: ${err.message}`, 'text/plain');
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return mode;
    },
    setMode,
    get requests() {
      return { ...counts };
    },
    get httpRequests() {
      return httpRequests;
    },
    resetRequests() {
      counts = {};
      httpRequests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      }),
  };
}
