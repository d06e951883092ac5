/**
 * One viem client per endpoint, cached so every poll reuses its keep-alive connection or
 * WebSocket. No retries inside a poll: a retry would hide exactly the flakiness the
 * detectors measure, and the next poll is the retry.
 */
import { createPublicClient, http, TimeoutError, webSocket, type PublicClient, type Transport } from 'viem';
import { socketClientCache } from 'viem/utils';
import type { Endpoint } from '../config/network';

export interface EndpointClientOptions {
  /** Per-request timeout; viem throws TimeoutError past it. */
  timeoutMs: number;
}

/**
 * Bounded, evicting the oldest past it. Polls visit every endpoint in turn, so a cap below the
 * number of endpoints would miss on every poll (a new client and connection each time):
 * `reserveEndpointClients` raises it to fit the config (the scale bench found the thrash past
 * about 85 networks of 3 endpoints).
 */
let maxCachedClients = 256;

/** Room for `count` endpoints, each with up to two timeouts (poll, and the slower reads). */
export function reserveEndpointClients(count: number): void {
  maxCachedClients = Math.max(maxCachedClients, 2 * count);
}
/**
 * Requests past our deadline may still be pending inside viem (a connect to a black-holed
 * host waits for the OS timeout, ~2 min). Past this many, fail fast instead of piling up
 * sockets: about 20 polls' worth at 3 requests per poll.
 */
const MAX_PENDING_WS_REQUESTS = 64;

interface CachedClient {
  client: PublicClient;
  /** WebSocket URL, to find viem's shared socket for it on close. */
  wsUrl?: string;
}

const cache = new Map<string, CachedClient>();

export function createEndpointClient(endpoint: Endpoint, opts: EndpointClientOptions): PublicClient {
  const key = `${opts.timeoutMs}|${endpoint.url}`;
  const hit = cache.get(key);
  if (hit) return hit.client;

  const ws = /^wss?:\/\//i.test(endpoint.url);
  const transport = ws
    ? pollingWebSocket(endpoint.url, opts.timeoutMs)
    : http(endpoint.url, { timeout: opts.timeoutMs, retryCount: 0, batch: false });
  // The client name is the label, never the URL.
  const client = createPublicClient({ transport, name: endpoint.label }) as PublicClient;

  if (cache.size >= maxCachedClients) evictOldest();
  cache.set(key, ws ? { client, wsUrl: endpoint.url } : { client });
  return client;
}

/** Closes every cached WebSocket and forgets all clients (shutdown, tests). */
export function closeEndpointClients(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  for (const entry of entries) if (entry.wsUrl) dropSockets(entry.wsUrl, () => true);
  return Promise.resolve();
}

function evictOldest(): void {
  const oldestKey = cache.keys().next().value;
  if (oldestKey === undefined) return;
  const wsUrl = cache.get(oldestKey)?.wsUrl;
  cache.delete(oldestKey);
  if (wsUrl) dropSockets(wsUrl, () => true);
}

/**
 * viem's WebSocket transport, adapted to polling:
 * - `reconnect: false`: viem's own reconnect loop logs every failed attempt with
 *   console.error and, once its attempts run out, leaves a dead socket in its cache.
 *   Instead a request that finds its socket closed drops it, and viem opens a new one.
 *   (We never subscribe, so there is nothing to re-subscribe.)
 * - viem's timeout starts only once the socket is open; connecting to a black-holed host
 *   would hang the poll for the OS connect timeout. The whole request, connect included,
 *   runs under the poll's deadline, and a timed-out socket (possibly half-open) is dropped.
 */
function pollingWebSocket(url: string, timeoutMs: number): Transport {
  const transport = webSocket(url, { timeout: timeoutMs, retryCount: 0, reconnect: false });
  let pending = 0;
  return ((params) => {
    const inner = transport(params);
    const innerRequest = inner.request as (args: { method: string }, options?: unknown) => Promise<unknown>;
    const request = async (args: { method: string }, options?: unknown) => {
      // The error's body and url only reach its `message`, which classification ignores.
      const timeoutError = () => new TimeoutError({ body: { method: args.method }, url: 'ws' });
      if (pending >= MAX_PENDING_WS_REQUESTS) throw timeoutError();
      dropSockets(url, isClosing);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timeoutError()), timeoutMs);
      });
      pending++;
      const call = innerRequest(args, options).finally(() => pending--);
      try {
        return await Promise.race([call, deadline]);
      } catch (err) {
        if (err instanceof TimeoutError) dropSockets(url, () => true);
        throw err;
      } finally {
        clearTimeout(timer);
      }
    };
    return { ...inner, request: request as typeof inner.request };
  }) as Transport;
}

function isClosing(socket: unknown): boolean {
  const state = (socket as { readyState?: number } | undefined)?.readyState;
  // WebSocket CLOSING = 2, CLOSED = 3
  return state === 2 || state === 3;
}

/** Closes viem's shared socket clients for `url` that match, removing them from its cache. */
function dropSockets(url: string, match: (socket: unknown) => boolean): void {
  for (const client of [...socketClientCache.values()]) {
    if (client.url !== url) continue;
    let socket: unknown;
    try {
      socket = client.socket;
    } catch {
      socket = undefined;
    }
    if (!match(socket)) continue;
    try {
      client.close();
    } catch {
      // already torn down: it is out of viem's cache either way
      socketClientCache.forEach((c, k) => c === client && socketClientCache.delete(k));
    }
  }
}
