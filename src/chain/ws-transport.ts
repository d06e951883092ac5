/**
 * JSON-RPC 2.0 over one WebSocket per endpoint client, for polling only (we never subscribe).
 *
 * Why not viem's webSocket transport: it creates its socket inside `getSocketRpcClient` and keeps
 * it out of reach until the upgrade completes, with no handshake timeout. Against a server that
 * accepts TCP and never upgrades, every poll left one more connection open for good (measured:
 * 20 polls, 20 sockets, none closed by `closeEndpointClients`), and that is what held a SIGTERMed
 * process for a minute and more. Here every socket is ours:
 * - the whole request, connect included, runs under the request's deadline; a request that times
 *   out terminates its socket (it may be half-open) and the next request opens a fresh one;
 * - `terminateAllSockets` ends every socket at once (`terminate`, not `close`: a close waits for the
 *   server's close frame, 30 s in `ws`);
 * - ids are random 48-bit numbers, so a server that answers with another id (`id + 1`, the id as a
 *   string) names no pending request: that is a malformed answer, not someone else's result;
 * - a message is at most 10 MiB (viem's HTTP body cap) and at most 64 requests wait per socket.
 */
import { randomInt } from 'node:crypto';
import WebSocket from 'ws';
import {
  custom,
  ResponseBodyTooLargeError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
  type Transport,
} from 'viem';
import { ResponseIdMismatchError } from './classify-error';

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
/** Requests past our deadline are failed at once; this only bounds a burst on one socket. */
const MAX_PENDING_REQUESTS = 64;
/** How long `terminateAllSockets` waits for the sockets' close events. */
const CLOSE_WAIT_MS = 1000;
/** viem errors name a URL in their message; ours never do (an RPC URL may carry an API key). */
const NO_URL = 'ws';

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const live = new Set<PollingSocket>();

export interface PollingWebSocket {
  transport: Transport;
  /** Terminates the socket; later requests fail as closed. */
  close(): void;
}

export function pollingWebSocket(url: string, timeoutMs: number): PollingWebSocket {
  const socket = new PollingSocket(url, timeoutMs);
  live.add(socket);
  const transport = custom(
    { request: ({ method, params }: { method: string; params?: unknown }) => socket.request(method, params) },
    { retryCount: 0 },
  );
  return {
    transport,
    close: () => {
      live.delete(socket);
      socket.close();
    },
  };
}

/** Terminates every polling socket of this process (shutdown); resolves once they closed, or after 1 s. */
export async function terminateAllSockets(): Promise<void> {
  const sockets = [...live];
  live.clear();
  await Promise.race([Promise.all(sockets.map((s) => s.close())), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
}

/** How many sockets are open or opening: for tests and the shutdown log. */
export function openSocketCount(): number {
  return [...live].filter((s) => s.isOpenOrOpening()).length;
}

class PollingSocket {
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  isOpenOrOpening(): boolean {
    return this.ws !== null;
  }

  request(method: string, params: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new WebSocketRequestError({ url: NO_URL, cause: new SocketClosedError({ url: NO_URL }) }));
    if (this.pending.size >= MAX_PENDING_REQUESTS) return Promise.reject(new TimeoutError({ body: { method }, url: NO_URL }));
    const id = randomInt(1, 2 ** 48);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.timedOut(), this.timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.open().then(
        (ws) => {
          if (!this.pending.has(id)) return;
          ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: params ?? [] }), (err) => err && this.settle(id, wrap(method, err)));
        },
        (err: Error) => this.settle(id, wrap(method, err)),
      );
    });
  }

  /** Resolves once the socket is gone. */
  close(): Promise<void> {
    this.closed = true;
    const ws = this.ws;
    this.failAll((method) => new WebSocketRequestError({ body: { method }, url: NO_URL, cause: new SocketClosedError({ url: NO_URL }) }));
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  private open(): Promise<WebSocket> {
    if (this.ws?.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    this.opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(this.url, { maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, followRedirects: false });
      this.ws = ws;
      let failure: Error | undefined;
      ws.on('open', () => {
        this.opening = null;
        resolve(ws);
      });
      // A socket that was replaced (timed out) says nothing more about the requests of its successor.
      ws.on('message', (data) => this.ws === ws && this.receive(String(data)));
      // Always listened to: an unhandled 'error' would crash the process.
      ws.on('error', (err) => (failure ??= err));
      ws.on('close', () => {
        const err = failure ?? new SocketClosedError({ url: NO_URL });
        reject(err);
        if (this.ws !== ws) return;
        this.ws = null;
        this.opening = null;
        this.failAll((method) => wrap(method, err));
      });
    });
    return this.opening;
  }

  private receive(text: string): void {
    if (text.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (err) {
      return this.failAll((method) => wrap(method, err as Error));
    }
    for (const m of Array.isArray(message) ? message : [message]) {
      const answer = (m ?? {}) as { id?: unknown; result?: unknown; error?: { code: number; message: string } };
      const found = typeof answer.id === 'number' ? this.pending.get(answer.id) : undefined;
      // Every request on this socket is suspect, and so are the answers still to come on it:
      // a fresh socket for the next request, so a liar's leftovers never meet later requests.
      if (!found) return this.dropSocket(() => new ResponseIdMismatchError());
      if (answer.error)
        this.settle(answer.id as number, new RpcRequestError({ body: { method: found.method }, error: answer.error, url: NO_URL }));
      else this.settle(answer.id as number, null, answer.result);
    }
  }

  /** No answer in time: every request on this socket has waited on the same silence. */
  private timedOut(): void {
    this.dropSocket((method) => new TimeoutError({ body: { method }, url: NO_URL }));
  }

  /** Fails every request waiting on this socket and ends it; the next request opens a new one. */
  private dropSocket(error: (method: string) => Error): void {
    this.failAll(error);
    const ws = this.ws;
    this.ws = null;
    this.opening = null;
    ws?.terminate();
  }

  private settle(id: number, err: Error | null, value?: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(value);
  }

  private failAll(error: (method: string) => Error): void {
    for (const [id, p] of [...this.pending]) this.settle(id, error(p.method));
  }
}

/** Socket-level failures as viem's errors, so classifyRpcError reads them as it reads viem's own. */
function wrap(method: string, err: Error): Error {
  if (err instanceof ResponseIdMismatchError || err.name === 'TimeoutError' || err.name === 'WebSocketRequestError') return err;
  if ((err as { code?: unknown }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
    return new ResponseBodyTooLargeError({ maxSize: MAX_MESSAGE_BYTES, size: MAX_MESSAGE_BYTES + 1 });
  return new WebSocketRequestError({ body: { method }, url: NO_URL, cause: err });
}
