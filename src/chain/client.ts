/**
 * One viem client per endpoint, cached so every poll reuses its keep-alive connection or
 * WebSocket. No retries inside a poll: a retry would hide exactly the flakiness the
 * detectors measure, and the next poll is the retry. Over HTTP no batching either: a batch's
 * results can be swapped between ids undetectably (src/chain/rpc-ids.ts), and every answer's
 * id is checked against its request.
 */
import { createPublicClient, http, type PublicClient } from 'viem';
import type { Endpoint } from '../config/network';
import { idCheckingFetch } from './rpc-ids';
import { pollingWebSocket, terminateAllSockets } from './ws-transport';

export interface EndpointClientOptions {
  /** Per-request timeout, connect included; viem throws TimeoutError past it. */
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

interface CachedClient {
  client: PublicClient;
  /** Ends a WebSocket client's socket. */
  close?: () => void;
}

const cache = new Map<string, CachedClient>();
const checkedFetch = idCheckingFetch();

export function createEndpointClient(endpoint: Endpoint, opts: EndpointClientOptions): PublicClient {
  const key = `${opts.timeoutMs}|${endpoint.url}`;
  const hit = cache.get(key);
  if (hit) return hit.client;

  const ws = /^wss?:\/\//i.test(endpoint.url) ? pollingWebSocket(endpoint.url, opts.timeoutMs) : null;
  const transport = ws?.transport ?? http(endpoint.url, { timeout: opts.timeoutMs, retryCount: 0, batch: false, fetchFn: checkedFetch });
  // The client name is the label, never the URL.
  const client = createPublicClient({ transport, name: endpoint.label }) as PublicClient;

  if (cache.size >= maxCachedClients) evictOldest();
  cache.set(key, ws ? { client, close: ws.close } : { client });
  return client;
}

/**
 * Forgets all clients and terminates every WebSocket at once (shutdown, tests): no close
 * handshake to wait for, so a node that stopped answering cannot hold the process.
 */
export async function closeEndpointClients(): Promise<void> {
  cache.clear();
  await terminateAllSockets();
}

function evictOldest(): void {
  const oldestKey = cache.keys().next().value;
  if (oldestKey === undefined) return;
  const close = cache.get(oldestKey)?.close;
  cache.delete(oldestKey);
  close?.();
}
