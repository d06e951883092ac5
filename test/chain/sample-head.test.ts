import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { startAnvil, type Anvil } from '../support/anvil';
import { freePort } from '../support/free-port';
import { startFaultProxy, type FaultProxy, type ProxyMode } from '../../src/devnet/fault-proxy';
import { closeEndpointClients, createEndpointClient } from '../../src/chain/client';
import { parseBlockContents, sampleHead } from '../../src/chain/sample-head';
import type { HeadFailure, HeadOk, HeadSample } from '../../src/model';

const TIMEOUT_MS = 400;
const SECRET = 'SECRET123';
const FIXED_NOW = 1_741_348_800_000;

let anvil: Anvil;
let proxy: FaultProxy;
let sample: (withSafe?: boolean) => Promise<HeadSample>;
let proxyUrl: string;

before(async () => {
  anvil = await startAnvil();
  // anvil serves safe = latest - 32 and finalized = latest - 64 (clamped at genesis).
  await anvil.mine(40);
  proxy = await startFaultProxy(anvil.url);
  // The query string stands for a provider API key: it must never reach a message.
  proxyUrl = `${proxy.url}/?apikey=${SECRET}`;
  const client = createEndpointClient({ label: 'proxy', url: proxyUrl }, { timeoutMs: TIMEOUT_MS });
  sample = (withSafe = false) => sampleHead(client, { network: 'anvil', endpoint: 'proxy', withSafe }, () => FIXED_NOW);
});

after(async () => {
  await closeEndpointClients();
  await proxy?.stop();
  await anvil?.stop();
});

async function sampleIn(mode: ProxyMode): Promise<HeadSample> {
  proxy.setMode(mode);
  try {
    return await sample();
  } finally {
    proxy.setMode({ kind: 'pass' });
  }
}

function assertFailure(s: HeadSample, kind: HeadFailure['kind'], status?: number): asserts s is HeadFailure {
  assert.equal(s.ok, false, `expected a failure, got ${JSON.stringify(s)}`);
  assert.equal(s.kind, kind, s.message);
  assert.equal(s.status, status);
  assert.equal(s.network, 'anvil');
  assert.equal(s.endpoint, 'proxy');
  assert.equal(s.observedAt, FIXED_NOW);
  for (const leak of [SECRET, proxyUrl, proxy.url, 'apikey']) {
    assert.ok(!s.message.includes(leak), `message "${s.message}" leaks ${leak}`);
  }
}

test('pass: a full head with safe and finalized', async () => {
  const s = await sample(true);
  assert.equal(s.ok, true, JSON.stringify(s));
  const head = s as HeadOk;
  const tip = await anvil.rpc<{ number: string; hash: string; parentHash: string; timestamp: string }>('eth_getBlockByNumber', [
    'latest',
    false,
  ]);
  assert.equal(head.number, 40);
  assert.equal(head.hash, tip.hash);
  assert.equal(head.parentHash, tip.parentHash);
  assert.equal(head.timestamp, Number(tip.timestamp));
  assert.equal(head.safe, 8);
  assert.equal(head.finalized, 0);
  assert.equal(head.observedAt, FIXED_NOW);
  assert.ok(head.latencyMs >= 0 && head.latencyMs < TIMEOUT_MS);
});

test('pass without withSafe leaves safe and finalized out', async () => {
  const s = (await sample()) as HeadOk;
  assert.equal(s.ok, true);
  assert.equal('safe' in s, false);
  assert.equal('finalized' in s, false);
});

test('safe and finalized failing does not fail the sample', async () => {
  // No proxy mode fails only some tags, so wrap a direct client as a chain that does not
  // serve them: `safe` answers with an error, `finalized` with null.
  const client = createEndpointClient({ label: 'direct', url: anvil.url }, { timeoutMs: TIMEOUT_MS });
  const noTags = {
    request: (args: { method: string; params?: unknown }) => {
      const [tag] = (args.params as unknown[]) ?? [];
      if (tag === 'safe') return Promise.reject(new Error('unknown block tag'));
      if (tag === 'finalized') return Promise.resolve(null);
      return client.request(args as never);
    },
  } as unknown as typeof client;
  const s = await sampleHead(noTags, { network: 'anvil', endpoint: 'direct', withSafe: true });
  assert.equal(s.ok, true, JSON.stringify(s));
  assert.equal('safe' in s, false);
  assert.equal('finalized' in s, false);
});

test('refuse -> unreachable', async () => {
  assertFailure(await sampleIn({ kind: 'refuse' }), 'unreachable');
});

test('slow beyond the timeout -> timeout, latency about the timeout', async () => {
  const s = await sampleIn({ kind: 'slow', delayMs: TIMEOUT_MS * 3 });
  assertFailure(s, 'timeout');
  assert.ok(s.latencyMs >= TIMEOUT_MS - 5 && s.latencyMs < TIMEOUT_MS + 300, `latency ${s.latencyMs}`);
});

test('http 500 -> http 500', async () => {
  assertFailure(await sampleIn({ kind: 'http', status: 500 }), 'http', 500);
});

test('http 429 with a JSON-RPC error body -> http 429', async () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32005, message: `limit, see ${proxyUrl}` } });
  const s = await sampleIn({ kind: 'http', status: 429, body });
  assertFailure(s, 'http', 429);
  assert.equal(s.message, 'HTTP 429 (rate limited)', "the public words are chainwatch's own");
  assert.ok(!s.ok && s.detail === 'limit, see <url>', "the provider's words, redacted, for the logs");
});

test('garbage (200, not JSON) -> malformed', async () => {
  assertFailure(await sampleIn({ kind: 'garbage' }), 'malformed');
});

test('rpc_error -> rpc with the code', async () => {
  const s = await sampleIn({ kind: 'rpc_error', code: -32000, message: 'header not found' });
  assertFailure(s, 'rpc', -32000);
  assert.equal(s.message, 'RPC error -32000 (server error)');
  assert.ok(!s.ok && s.detail === 'header not found');
});

test('malformed block -> malformed', async () => {
  const s = await sampleIn({ kind: 'malformed' });
  assertFailure(s, 'malformed');
  assert.match(s.message, /number/);
});

test('null block -> malformed', async () => {
  const nullBlock = { request: () => Promise.resolve(null) } as unknown as Parameters<typeof sampleHead>[0];
  const s = await sampleHead(nullBlock, { network: 'anvil', endpoint: 'proxy' }, () => FIXED_NOW);
  assertFailure(s, 'malformed');
});

test('freeze -> ok, but the same head while anvil advances', async () => {
  const first = (await sample()) as HeadOk;
  proxy.setMode({ kind: 'freeze' });
  try {
    await anvil.mine(2);
    const frozen = (await sample()) as HeadOk;
    assert.equal(frozen.ok, true);
    assert.equal(frozen.number, first.number);
    assert.equal(frozen.hash, first.hash);
    assert.equal(await anvil.blockNumber(), first.number + 2);
  } finally {
    proxy.setMode({ kind: 'pass' });
  }
  const live = (await sample()) as HeadOk;
  assert.equal(live.number, first.number + 2);
});

test('a WebSocket endpoint samples the same head', async () => {
  const ws = createEndpointClient({ label: 'ws', url: anvil.url.replace('http', 'ws') }, { timeoutMs: TIMEOUT_MS });
  const [viaWs, viaHttp] = await Promise.all([sampleHead(ws, { network: 'anvil', endpoint: 'ws', withSafe: true }), sample(true)]);
  assert.equal(viaWs.ok, true, JSON.stringify(viaWs));
  assert.deepEqual({ ...viaWs, endpoint: 'proxy', observedAt: 0, latencyMs: 0 }, { ...viaHttp, observedAt: 0, latencyMs: 0 });
});

test('WebSocket: a refused connection is unreachable, a silent one times out on our deadline', async () => {
  const closedPort = await freePort();
  const refused = createEndpointClient({ label: 'ws-dead', url: `ws://127.0.0.1:${closedPort}` }, { timeoutMs: TIMEOUT_MS });
  const dead = await sampleHead(refused, { network: 'anvil', endpoint: 'ws-dead' });
  assert.equal(dead.ok, false);
  assert.equal((dead as HeadFailure).kind, 'unreachable');

  // Accepts TCP but never answers the WebSocket upgrade: viem's own timeout would not
  // start until the socket opened.
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const port = (silent.address() as { port: number }).port;
    const stuck = createEndpointClient({ label: 'ws-stuck', url: `ws://127.0.0.1:${port}` }, { timeoutMs: TIMEOUT_MS });
    const s = await sampleHead(stuck, { network: 'anvil', endpoint: 'ws-stuck' });
    assert.equal(s.ok, false);
    assert.equal((s as HeadFailure).kind, 'timeout');
    assert.ok(s.latencyMs < TIMEOUT_MS + 300, `latency ${s.latencyMs}`);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test("the block's transaction count and gas come from the same answer; the chain id when asked", async () => {
  const [from] = await anvil.rpc<string[]>('eth_accounts');
  await anvil.rpc('evm_setAutomine', [false]);
  try {
    for (let i = 0; i < 3; i++) await anvil.rpc('eth_sendTransaction', [{ from, to: from, value: '0x0' }]);
    await anvil.mine(1);
  } finally {
    await anvil.rpc('evm_setAutomine', [true]);
  }
  const direct = createEndpointClient({ label: 'direct', url: anvil.url }, { timeoutMs: TIMEOUT_MS });
  let requests = 0;
  const counting = { request: (args: never) => (requests++, direct.request(args)) } as typeof direct;
  const s = await sampleHead(counting, { network: 'anvil', endpoint: 'direct', withChainId: true });
  assert.ok(s.ok, JSON.stringify(s));
  assert.equal(s.txCount, 3);
  assert.equal(s.gasUsed, 3 * 21_000);
  assert.ok((s.gasLimit ?? 0) >= 30_000_000);
  assert.equal(s.chainId, 31337);
  assert.equal(requests, 2, 'one getBlockByNumber and one eth_chainId: no extra request for the contents');
  const plain = await sampleHead(direct, { network: 'anvil', endpoint: 'direct' });
  assert.ok(plain.ok && plain.chainId === undefined, 'the chain id only when asked');
});

test('parseBlockContents: a missing or garbled field is left out, never fatal', () => {
  assert.deepEqual(parseBlockContents({ transactions: ['0x1', '0x2'], gasUsed: '0x5208', gasLimit: '0x1c9c380' }), {
    txCount: 2,
    gasUsed: 21_000,
    gasLimit: 30_000_000,
  });
  assert.deepEqual(parseBlockContents({ transactions: 'nope', gasUsed: 42 }), {});
  assert.deepEqual(parseBlockContents(null), {});
  assert.equal(parseBlockContents({ gasLimit: '0x1000000000000000' }).gasLimit, 2 ** 60, 'gas past 2^52 is read, close enough');
});
