/**
 * A light local JSON-RPC endpoint for the scale figure, run as a child process so its CPU is
 * not counted as chainwatch's: answers `eth_getBlockByNumber` (any path, any tag, single or
 * batched) with a chain that advances one block a second, the block number following the
 * wall clock. Prints `PORT <n>` when listening; exits when its parent disconnects.
 */
import { createServer } from 'node:http';

const START = Math.floor(Date.now() / 1000) * 1000 - 1000_000;
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const hex = (n: number) => `0x${n.toString(16)}`;

function block(n: number) {
  return {
    number: hex(n),
    hash: hash(n),
    parentHash: hash(n - 1),
    timestamp: hex(Math.floor((START + n * 1000) / 1000)),
    transactions: [],
  };
}

function answer(req: { id?: unknown; method?: unknown; params?: unknown }) {
  const head = Math.floor((Date.now() - START) / 1000);
  const id = req.id ?? null;
  switch (req.method) {
    case 'eth_getBlockByNumber': {
      const tag = Array.isArray(req.params) ? req.params[0] : 'latest';
      const n =
        tag === 'safe'
          ? head - 10
          : tag === 'finalized'
            ? head - 20
            : typeof tag === 'string' && tag.startsWith('0x')
              ? Number.parseInt(tag, 16)
              : head;
      return { jsonrpc: '2.0', id, result: n > head ? null : block(n) };
    }
    case 'eth_blockNumber':
      return { jsonrpc: '2.0', id, result: hex(head) };
    case 'eth_chainId':
      return { jsonrpc: '2.0', id, result: '0x7a69' };
    default:
      return { jsonrpc: '2.0', id, error: { code: -32601, message: 'method not found' } };
  }
}

const MAX_BODY = 64 * 1024;
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
    if (body.length > MAX_BODY) req.destroy();
  });
  req.on('end', () => {
    let out: unknown;
    try {
      const parsed = JSON.parse(body) as unknown;
      out = Array.isArray(parsed) ? parsed.map(answer) : answer(parsed as object);
    } catch {
      out = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('disconnect', () => process.exit(0));
// The parent gone before the port was read: nothing left to answer.
process.stdout.on('error', () => process.exit(0));
