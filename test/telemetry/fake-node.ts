/**
 * A local node metrics endpoint whose numbers the test controls: Reth-style text at /metrics,
 * Geth-style at /debug/metrics/prometheus, and the ways a real one fails (404, HTML, a hang,
 * a flood, a closed port).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeNodeMode = 'ok' | '404' | 'html' | 'hang' | 'huge';

export interface FakeNode {
  /** http://127.0.0.1:<port> */
  base: string;
  /** Resident bytes served now. */
  memory: () => number;
  setMemory(fn: () => number): void;
  /** Exposed limit metric (cgroup-style); null: none. */
  limit: number | null;
  mode: FakeNodeMode;
  scrapes: number;
  stop(): Promise<void>;
}

/** What op-reth v1.x serves, trimmed: process and jemalloc gauges among many others. */
export function rethText(resident: number, limit: number | null): string {
  const lines = [
    '# HELP reth_process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE reth_process_resident_memory_bytes gauge',
    `reth_process_resident_memory_bytes ${resident}`,
    '# HELP reth_process_virtual_memory_bytes Virtual memory size in bytes.',
    '# TYPE reth_process_virtual_memory_bytes gauge',
    `reth_process_virtual_memory_bytes ${resident * 3}`,
    '# TYPE reth_jemalloc_resident gauge',
    `reth_jemalloc_resident ${Math.round(resident * 0.93)}`,
    '# TYPE reth_jemalloc_allocated gauge',
    `reth_jemalloc_allocated ${Math.round(resident * 0.85)}`,
    '# TYPE reth_sync_checkpoint gauge',
    'reth_sync_checkpoint{stage="Headers"} 21839201',
    'reth_sync_checkpoint{stage="Execution"} 21839201',
    '# TYPE reth_network_connected_peers gauge',
    'reth_network_connected_peers 42',
    '# TYPE reth_rpc_server_calls_started_total counter',
    'reth_rpc_server_calls_started_total{method="eth_getBlockByNumber"} 99123',
    '# TYPE reth_database_transaction_open_duration_seconds summary',
    'reth_database_transaction_open_duration_seconds{quantile="0.5"} 0.0001',
    'reth_database_transaction_open_duration_seconds{quantile="0.99"} 0.02',
    'reth_database_transaction_open_duration_seconds_sum 12.5',
    'reth_database_transaction_open_duration_seconds_count 100000',
    // Unlimited address space: must not be taken for a limit.
    '# TYPE process_virtual_memory_max_bytes gauge',
    'process_virtual_memory_max_bytes -1',
  ];
  if (limit !== null)
    lines.push(
      '# TYPE container_spec_memory_limit_bytes gauge',
      `container_spec_memory_limit_bytes{container="op-reth",id="/docker/abc"} ${limit}`,
    );
  return `${lines.join('\n')}\n`;
}

/** What Geth 1.14 serves at /debug/metrics/prometheus, trimmed. */
export function gethText(used: number): string {
  return [
    '# TYPE chain_head_block gauge',
    'chain_head_block 21839201',
    '# TYPE system_memory_allocs gauge',
    'system_memory_allocs 123456789',
    '# TYPE system_memory_used gauge',
    `system_memory_used ${used}`,
    '# TYPE system_memory_held gauge',
    `system_memory_held ${used * 1.2}`,
    '# TYPE p2p_peers gauge',
    'p2p_peers 50',
    '# TYPE rpc_duration_eth_call_success summary',
    'rpc_duration_eth_call_success {quantile="0.5"} 1.2e+06',
    'rpc_duration_eth_call_success_count 42',
    '',
  ].join('\n');
}

export async function startFakeNode(opts: { memory?: () => number; limit?: number | null } = {}): Promise<FakeNode> {
  const hanging = new Set<import('node:http').ServerResponse>();
  const node: Omit<FakeNode, 'base' | 'stop'> & { server?: Server } = {
    memory: opts.memory ?? (() => 8 * 2 ** 30),
    setMemory(fn) {
      node.memory = fn;
    },
    limit: opts.limit ?? null,
    mode: 'ok',
    scrapes: 0,
  };
  const server = createServer((req, res) => {
    node.scrapes++;
    if (node.mode === 'hang') return void hanging.add(res);
    if (node.mode === '404') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    if (node.mode === 'html')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Welcome to nginx!</h1></body></html>');
    if (node.mode === 'huge') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = `${'x_filler_metric 1\n'.repeat(4096)}`;
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 2 ** 20 && res.write(chunk)) sent += chunk.length;
        if (sent >= 64 * 2 ** 20) res.end();
        else res.once('drain', pump);
      };
      res.on('error', () => undefined);
      return pump();
    }
    const bytes = Math.round(node.memory());
    const body = req.url?.startsWith('/debug/metrics/prometheus') ? gethText(bytes) : rethText(bytes, node.limit);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(node, {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as FakeNode;
}
