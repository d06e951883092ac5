/**
 * A loopback JSON-RPC proxy in front of a real node whose failure mode can be switched at
 * runtime, so tests and `chainwatch demo` can show every FailureKind against a live chain.
 * Bounded: request bodies above 1 MB get 413, upstream answers above 8 MB get 502, and
 * the frozen-head memory holds one answer per block tag.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode =
  | { kind: 'pass' }
  /** Drop the connection without any HTTP response. */
  | { kind: 'refuse' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'http'; status: number; body?: string }
  /** 200 with a body that is not JSON (an HTML error page). */
  | { kind: 'garbage' }
  /** 200 with a JSON-RPC error object for every call. */
  | { kind: 'rpc_error'; code: number; message: string }
  /** 200, valid JSON-RPC, but block results with a bogus number and hash. */
  | { kind: 'malformed' }
  /** Block-tag queries answered with the last head seen for that tag: a stuck endpoint. */
  | { kind: 'freeze' };

export interface FaultProxy {
  url: string;
  readonly mode: ProxyMode;
  setMode(mode: ProxyMode): void;
  /** HTTP requests received (a batch counts once). */
  readonly requests: number;
  stop(): Promise<void>;
}

export const MAX_REQUEST_BYTES = 1024 * 1024;
const MAX_UPSTREAM_BYTES = 8 * 1024 * 1024;
const GARBAGE_BODY = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const BOGUS_BLOCK = { number: '0xzz', hash: '0x12' };
/** Block tags whose answers freeze mode replays; numbers and hashes are not frozen. */
const FREEZABLE_TAGS = new Set(['latest', 'safe', 'finalized', 'pending', 'earliest']);

interface RpcCall {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

class BodyTooLarge extends Error {}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let mode: ProxyMode = { kind: 'pass' };
  let requests = 0;
  /** Last `eth_getBlockByNumber(tag, fullTx)` result passed through, keyed by tag+flag. */
  const frozen = new Map<string, unknown>();

  const server = createServer((req, res) => {
    requests++;
    const current = mode;
    if (current.kind === 'refuse') {
      req.socket.destroy();
      return;
    }
    handle(req, res, current, upstream, frozen).catch(() => {
      if (!res.headersSent) send(res, 502, 'text/plain', 'fault proxy: upstream failed');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
    },
    get requests() {
      return requests;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Also ends keep-alive and in-flight (slow) connections, which close() waits for.
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  mode: Exclude<ProxyMode, { kind: 'refuse' }>,
  upstream: string,
  frozen: Map<string, unknown>,
): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req, MAX_REQUEST_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLarge) return send(res, 413, 'text/plain', 'request body too large', true);
    throw err;
  }
  // Abort the delay and the upstream call when the client gives up (e.g. its timeout).
  const gone = new AbortController();
  res.on('close', () => gone.abort());

  switch (mode.kind) {
    case 'http':
      return send(res, mode.status, contentTypeOf(mode.body), mode.body ?? STATUS_CODES[mode.status] ?? 'error');
    case 'garbage':
      return send(res, 200, 'text/html', GARBAGE_BODY);
    case 'slow':
      await sleep(mode.delayMs, gone.signal);
      if (gone.signal.aborted) return;
      return relay(res, body, { kind: 'pass' }, upstream, frozen, gone.signal);
    default:
      return relay(res, body, mode, upstream, frozen, gone.signal);
  }
}

/**
 * Answers what the mode intercepts locally and forwards the rest of the call (or batch)
 * upstream, then merges the answers in request order.
 */
async function relay(
  res: ServerResponse,
  body: Buffer,
  mode: ProxyMode,
  upstream: string,
  frozen: Map<string, unknown>,
  signal: AbortSignal,
): Promise<void> {
  const parsed = parseJson(body);
  const isBatch = Array.isArray(parsed);
  const calls: RpcCall[] | undefined = isBatch ? parsed : isObject(parsed) ? [parsed] : undefined;
  if (!calls || calls.length === 0 || !calls.every(isObject)) {
    // Not JSON-RPC: let the node answer it as it would.
    const up = await forward(upstream, body, signal);
    return send(res, up.status, up.contentType, up.text);
  }

  const answers: (unknown | undefined)[] = calls.map((call) => intercept(call, mode, frozen));
  const pending = calls.filter((_, i) => answers[i] === undefined);
  if (pending.length > 0) {
    const up = await forward(upstream, Buffer.from(JSON.stringify(isBatch ? pending : pending[0])), signal);
    const replies = parseJson(up.text);
    // An upstream that failed as a whole (non-JSON, HTTP error) is relayed as it is.
    if (up.status !== 200 || replies === undefined) return send(res, up.status, up.contentType, up.text);
    const byId = new Map((Array.isArray(replies) ? replies : [replies]).filter(isObject).map((r) => [key(r.id), r]));
    calls.forEach((call, i) => {
      if (answers[i] !== undefined) return;
      const reply = byId.get(key(call.id));
      answers[i] = reply;
      if (reply) remember(call, reply, frozen);
    });
  }
  const out = answers.filter((a) => a !== undefined);
  const payload = isBatch ? out : out[0];
  // Only notifications (calls without id): JSON-RPC returns nothing for those.
  if (payload === undefined || (isBatch && out.length === 0)) return void res.writeHead(204).end();
  send(res, 200, 'application/json', JSON.stringify(payload));
}

/** The local answer the mode gives to one call, or undefined to forward it. */
function intercept(call: RpcCall, mode: ProxyMode, frozen: Map<string, unknown>): unknown {
  const id = call.id ?? null;
  switch (mode.kind) {
    case 'rpc_error':
      return { jsonrpc: '2.0', id, error: { code: mode.code, message: mode.message } };
    case 'malformed':
      return call.method === 'eth_getBlockByNumber' || call.method === 'eth_getBlockByHash'
        ? { jsonrpc: '2.0', id, result: BOGUS_BLOCK }
        : undefined;
    case 'freeze': {
      const tagKey = freezeKey(call);
      const result = tagKey === undefined ? undefined : frozen.get(tagKey);
      return result === undefined ? undefined : { jsonrpc: '2.0', id, result };
    }
    default:
      return undefined;
  }
}

/** Keeps the latest answer per block tag so a later freeze replays it. */
function remember(call: RpcCall, reply: Record<string, unknown>, frozen: Map<string, unknown>): void {
  const tagKey = freezeKey(call);
  if (tagKey !== undefined && reply.result !== undefined && reply.result !== null) frozen.set(tagKey, reply.result);
}

function freezeKey(call: RpcCall): string | undefined {
  if (call.method !== 'eth_getBlockByNumber' || !Array.isArray(call.params)) return undefined;
  const [tag, fullTx] = call.params as unknown[];
  if (typeof tag !== 'string' || !FREEZABLE_TAGS.has(tag)) return undefined;
  return `${tag}:${fullTx === true}`;
}

async function forward(
  upstream: string,
  body: Buffer,
  signal: AbortSignal,
): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(upstream, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal,
  });
  const bytes = await readCapped(res, MAX_UPSTREAM_BYTES);
  return { status: res.status, contentType: res.headers.get('content-type') ?? 'application/json', text: bytes };
}

async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) throw new BodyTooLarge('upstream body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    // A client gone mid-body never sends 'end'; settle so nothing waits on it.
    req.on('close', () => reject(new Error('client closed before the body ended')));
  });
}

/** `close` stops keep-alive, so a client cannot keep streaming into a rejected request. */
function send(res: ServerResponse, status: number, contentType: string, body: string, close = false): void {
  if (res.destroyed) return;
  const headers: Record<string, string | number> = { 'content-type': contentType, 'content-length': Buffer.byteLength(body) };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

function contentTypeOf(body: string | undefined): string {
  return body !== undefined && parseJson(body) !== undefined ? 'application/json' : 'text/plain';
}

function parseJson(body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function key(id: unknown): string {
  return JSON.stringify(id ?? null);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
