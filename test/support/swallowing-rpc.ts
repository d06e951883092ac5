/**
 * A JSON-RPC endpoint in front of a real node (anvil) that, while `swallow` is on, answers
 * `eth_sendRawTransaction` with the transaction's hash as a node that took it would, and drops
 * it: the shape of a sequencer that keeps making blocks but lets transactions fall on the floor
 * (Base, 2026-01-31). Everything else, batches included, is forwarded unchanged. For the
 * inclusion probe's tests, where it keeps a probe out deterministically (a raised base fee or a
 * dropped pool entry races the next block).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keccak256, type Hex } from 'viem';

export interface SwallowingRpc {
  url: string;
  /** While true, raw transactions are acknowledged and dropped. */
  swallow: boolean;
  /** How many raw transactions were dropped so far. */
  readonly swallowed: number;
  close(): Promise<void>;
}

interface RpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

export async function startSwallowingRpc(upstream: string): Promise<SwallowingRpc> {
  let swallowed = 0;
  const handle: SwallowingRpc = {
    url: '',
    swallow: false,
    get swallowed() {
      return swallowed;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void answer(body).then(
        (out) => res.writeHead(200, { 'content-type': 'application/json' }).end(out),
        (err: Error) => res.writeHead(502, { 'content-type': 'text/plain' }).end(err.message),
      );
    });
  });

  async function answer(body: string): Promise<string> {
    let parsed: RpcRequest | RpcRequest[] | null = null;
    try {
      parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
    } catch {
      // Not JSON: the node says so itself.
    }
    if (handle.swallow && parsed && !Array.isArray(parsed) && parsed.method === 'eth_sendRawTransaction') {
      swallowed += 1;
      return JSON.stringify({ jsonrpc: '2.0', id: parsed.id ?? null, result: keccak256(parsed.params?.[0] as Hex) });
    }
    const r = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return r.text();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  handle.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return handle;
}
