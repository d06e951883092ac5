/**
 * The hostile JSON-RPC double: its wire behaviour in each mode (raw fetch), and what viem 2.57
 * makes of each mode (through `createPublicClient({ transport: http(url) })`).
 *
 * What viem does, as pinned by the tests below (viem 2.57.20):
 * - JSON-RPC ids are NOT checked. A single request answered with another id (`id+1`, or the id
 *   as a string) is accepted silently. In batch mode viem sorts the answers by id and hands them
 *   out by position, so a batch whose answers carry each other's ids is silently cross-wired:
 *   `getBlockNumber()` returned the chain id and `getChainId()` the block number. The product
 *   must match ids itself (or not batch) if it wants that guarantee.
 * - `wrong-chain`, `frozen-far-ahead` and `future-timestamp` are accepted silently, even with a
 *   `chain` configured on the client: viem does no chain-id, height or time sanity checks on reads.
 * - `error` (-32000) → `InvalidInputRpcError` (code -32000, not retried). Its `details` AND
 *   `message` carry the provider's text verbatim: the fake API key and the raw ESC byte.
 *   `message` also carries the URL: a key in the URL path leaks, basic-auth credentials are
 *   stripped.
 * - `http-500` → `HttpRequestError` (status 500, details `"Internal Server Error"`), retried by
 *   default: 1 + 3 retries = 4 POSTs.
 * - `garbage` (200, non-JSON) → `HttpRequestError` without a status, details "… is not valid
 *   JSON"; also retried (4 POSTs by default).
 * - `hang` → `TimeoutError` ("The request took too long to respond.") after the client timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, defineChain, http, HttpRequestError, InvalidInputRpcError, TimeoutError, type PublicClient } from 'viem';
import { startAnvil, type Anvil } from '../support/anvil';
import {
  ERROR_MESSAGE,
  FROZEN_BLOCK_HASH,
  FROZEN_BLOCK_NUMBER,
  FROZEN_BLOCK_NUMBER_HEX,
  startHostileRpc,
  type HostileRpc,
} from '../support/hostile-rpc';

const ANVIL_CHAIN_ID = 31337;
const HEX32 = /^0x[0-9a-f]{64}$/;

let main: Anvil;
let other: Anvil;
let hostile: HostileRpc;

before(
  async () => {
    [main, other] = await Promise.all([startAnvil({ blockTime: 1 }), startAnvil({ chainId: 999, noMining: true })]);
    await other.mine(500);
    hostile = await startHostileRpc({ upstream: main.url, wrongChainUpstream: other.url });
  },
  { timeout: 20_000 },
);

after(async () => {
  await hostile?.close();
  await Promise.all([main?.stop(), other?.stop()]);
});

type Resp = { jsonrpc: string; id: unknown; result?: any; error?: { code: number; message: string } };

async function post(body: unknown, init: { contentType?: string; signal?: AbortSignal } = {}) {
  const res = await fetch(hostile.url, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal ?? AbortSignal.timeout(5_000),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function rpc(method: string, params: unknown[] = [], id: unknown = 1): Promise<Resp> {
  const { text } = await post({ jsonrpc: '2.0', id, method, params });
  return JSON.parse(text) as Resp;
}

function client(opts: { batch?: boolean; retryCount?: number; timeout?: number; url?: string; chainId?: number } = {}) {
  const chain = opts.chainId
    ? defineChain({
        id: opts.chainId,
        name: 'anvil',
        nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
        rpcUrls: { default: { http: [hostile.url] } },
      })
    : undefined;
  return createPublicClient({
    chain,
    cacheTime: 0,
    transport: http(opts.url ?? hostile.url, {
      batch: opts.batch ?? false,
      retryCount: opts.retryCount ?? 0,
      timeout: opts.timeout ?? 2_000,
    }),
  }) as PublicClient;
}

/** The rejection of `p`, failing the test if it resolves. */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    const value = await p;
    assert.fail(`expected a rejection, got ${String(value)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    return err;
  }
}

describe('wire format', { timeout: 10_000 }, () => {
  before(() => hostile.setMode('honest'));

  test('honest: single request is forwarded with its id', async () => {
    const res = await rpc('eth_chainId', [], 42);
    assert.deepEqual(res, { jsonrpc: '2.0', id: 42, result: '0x7a69' });
  });

  test('honest: a batch keeps ids (numbers and strings) and drops notifications', async () => {
    const { status, text } = await post([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 'b', method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', method: 'eth_chainId', params: [] },
    ]);
    assert.equal(status, 200);
    const body = JSON.parse(text) as Resp[];
    assert.deepEqual(
      body.map((r) => [r.id, r.result]),
      [
        [1, '0x7a69'],
        ['b', '0x7a69'],
      ],
    );
  });

  test('rejects what a JSON-RPC server rejects', async () => {
    const get = await fetch(hostile.url);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    await get.text();

    const plain = await post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }, { contentType: 'text/plain' });
    assert.equal(plain.status, 415);

    const bad = JSON.parse((await post('{"jsonrpc":')).text) as Resp;
    assert.deepEqual(bad, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });

    const empty = JSON.parse((await post('[]')).text) as Resp;
    assert.deepEqual(empty.error, { code: -32600, message: 'Invalid request' });

    const [notObject] = JSON.parse((await post('[7]')).text) as Resp[];
    assert.equal(notObject?.error?.code, -32600);
  });

  test('counts requests by method, batch elements included', async () => {
    hostile.resetRequests();
    await rpc('eth_chainId');
    await post([
      { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber' },
      { jsonrpc: '2.0', id: 2, method: 'eth_blockNumber' },
    ]);
    assert.deepEqual(hostile.requests, { eth_chainId: 1, eth_blockNumber: 2 });
    assert.equal(hostile.httpRequests, 2);
  });
});

describe('modes on the wire', { timeout: 10_000 }, () => {
  test('frozen-far-ahead: every block tag gives the same well-formed block 2^52-1', async () => {
    hostile.setMode('frozen-far-ahead');
    const blocks = await Promise.all(
      ['latest', 'finalized', '0x0', 'pending'].map(async (tag) => (await rpc('eth_getBlockByNumber', [tag, false])).result),
    );
    for (const b of blocks) {
      assert.equal(b.number, FROZEN_BLOCK_NUMBER_HEX);
      assert.equal(b.hash, blocks[0].hash);
      assert.match(b.hash, HEX32);
      assert.match(b.parentHash, HEX32);
      assert.notEqual(b.hash, b.parentHash);
      assert.equal(b.logsBloom.length, 2 + 512);
    }
    const ts = Number(blocks[0].timestamp);
    assert.ok(Math.abs(ts - Date.now() / 1000) < 60, `timestamp ${ts} is not near now`);
    assert.equal(Number(FROZEN_BLOCK_NUMBER_HEX), 4_503_599_627_370_495);
    assert.equal((await rpc('eth_blockNumber')).result, '0xfffffffffffff');
    assert.equal((await rpc('eth_getBlockByHash', [FROZEN_BLOCK_HASH, false])).result.number, FROZEN_BLOCK_NUMBER_HEX);
    // Everything else still reaches the node.
    assert.equal((await rpc('eth_chainId')).result, '0x7a69');
    const real = Number(await main.rpc<string>('eth_blockNumber'));
    assert.ok(real < 1_000_000, 'the real node is nowhere near the frozen head');
  });

  test('wrong-chain: chain id 999 and the heads of the other node', async () => {
    hostile.setMode('wrong-chain');
    assert.equal((await rpc('eth_chainId')).result, '0x3e7');
    assert.equal((await rpc('net_version')).result, '999');
    const head = Number((await rpc('eth_blockNumber')).result);
    assert.equal(head, await other.blockNumber());
    assert.ok(head >= 500);
    const block = (await rpc('eth_getBlockByNumber', ['0x1f4', false])).result;
    assert.equal(block.hash, (await other.rpc<{ hash: string }>('eth_getBlockByNumber', ['0x1f4', false])).hash);
    assert.ok(head > (await main.blockNumber()), 'the main node has far fewer blocks');
  });

  test('wrong-id and wrong-id-string change the response id only', async () => {
    hostile.setMode('wrong-id');
    const a = await rpc('eth_chainId', [], 7);
    assert.equal(a.id, 8);
    assert.equal(a.result, '0x7a69');
    assert.equal((await rpc('eth_chainId', [], 'req-1')).id, 'req-1-x');

    hostile.setMode('wrong-id-string');
    const b = await rpc('eth_chainId', [], 7);
    assert.equal(b.id, '7');
    assert.equal(b.result, '0x7a69');
  });

  test('swapped-ids: batch answers carry each other ids', async () => {
    hostile.setMode('swapped-ids');
    const body = JSON.parse(
      (
        await post([
          { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
          { jsonrpc: '2.0', id: 2, method: 'net_version' },
        ])
      ).text,
    ) as Resp[];
    assert.deepEqual(
      body.map((r) => [r.id, r.result]),
      [
        [2, '0x7a69'],
        [1, String(ANVIL_CHAIN_ID)],
      ],
    );
  });

  test('future-timestamp: +1 day on block timestamps, other fields untouched', async () => {
    hostile.setMode('honest');
    const honest = (await rpc('eth_getBlockByNumber', ['0x0', false])).result;
    hostile.setMode('future-timestamp');
    const shifted = (await rpc('eth_getBlockByNumber', ['0x0', false])).result;
    assert.equal(BigInt(shifted.timestamp) - BigInt(honest.timestamp), 86_400n);
    assert.deepEqual({ ...shifted, timestamp: honest.timestamp }, honest);
    assert.equal((await rpc('eth_chainId')).result, '0x7a69', 'non-block results pass through');
  });

  test('error: -32000 with a secret-looking key and a terminal escape', async () => {
    hostile.setMode('error');
    const res = await rpc('eth_blockNumber', [], 3);
    assert.equal(res.id, 3);
    assert.equal(res.error?.code, -32000);
    assert.equal(res.error?.message, ERROR_MESSAGE);
    assert.match(res.error!.message, /invalid api key sk_live_[A-Za-z0-9]+/);
    assert.ok(res.error!.message.includes('\u001b[31m'));
    const batch = JSON.parse(
      (
        await post([
          { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
          { jsonrpc: '2.0', id: 2, method: 'eth_chainId' },
        ])
      ).text,
    ) as Resp[];
    assert.deepEqual(
      batch.map((r) => r.error?.code),
      [-32000, -32000],
    );
  });

  test('http-500 and garbage', async () => {
    hostile.setMode('http-500');
    const five = await post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' });
    assert.equal(five.status, 500);
    assert.equal(five.text, 'Internal Server Error');

    hostile.setMode('garbage');
    const g = await post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' });
    assert.equal(g.status, 200);
    assert.equal(g.type, 'application/json');
    assert.throws(() => JSON.parse(g.text), SyntaxError);
  });

  test('hang: no answer at all', async () => {
    hostile.setMode('hang');
    const err = await rejection(post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }, { signal: AbortSignal.timeout(300) }));
    assert.equal(err.name, 'TimeoutError');
  });

  test('methods option limits the misbehaviour', async () => {
    hostile.setMode('error', { methods: ['eth_blockNumber'] });
    assert.equal((await rpc('eth_chainId')).result, '0x7a69');
    assert.equal((await rpc('eth_blockNumber')).error?.code, -32000);
    hostile.setMode('http-500', { methods: ['eth_blockNumber'] });
    assert.equal((await post({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' })).status, 200);
    assert.equal((await post({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber' })).status, 500);
  });

  test('close() ends a hanging request at once', async () => {
    const h = await startHostileRpc({ upstream: main.url, initialMode: 'hang' });
    const pending = fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }),
      signal: AbortSignal.timeout(10_000),
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await h.close();
    const err = await rejection(pending);
    assert.ok(Date.now() - t0 < 1_000, 'close() and the client both finish promptly');
    assert.notEqual(err.name, 'TimeoutError', 'the socket was destroyed, not timed out');
  });
});

describe('what viem makes of each mode', { timeout: 15_000 }, () => {
  test('honest: baseline', async () => {
    hostile.setMode('honest');
    const c = client();
    assert.equal(await c.getChainId(), ANVIL_CHAIN_ID);
    const [seen, real] = [await c.getBlockNumber(), BigInt(await main.blockNumber())];
    assert.ok(real - seen <= 1n && real >= seen, `viem saw ${seen}, anvil is at ${real} (mines every second)`);
  });

  test('frozen-far-ahead: accepted silently', async () => {
    hostile.setMode('frozen-far-ahead');
    const c = client();
    assert.equal(await c.getBlockNumber(), BigInt(FROZEN_BLOCK_NUMBER));
    const block = await c.getBlock();
    assert.equal(block.number, 4_503_599_627_370_495n);
    assert.equal(block.hash, FROZEN_BLOCK_HASH);
  });

  test('wrong-chain: accepted silently, even with a chain configured', async () => {
    hostile.setMode('wrong-chain');
    const c = client({ chainId: ANVIL_CHAIN_ID });
    assert.equal(await c.getChainId(), 999);
    assert.equal(await c.getBlockNumber(), BigInt(await other.blockNumber()));
    assert.equal((await c.getBlock({ blockNumber: 500n })).number, 500n);
  });

  test('wrong-id / wrong-id-string: viem does not check ids (single and batch)', async () => {
    for (const mode of ['wrong-id', 'wrong-id-string'] as const) {
      hostile.setMode(mode);
      for (const batch of [false, true]) {
        const c = client({ batch });
        assert.equal(await c.getChainId(), ANVIL_CHAIN_ID, `${mode} batch=${batch}`);
      }
    }
  });

  test('swapped-ids in a viem batch: results are silently cross-wired', async () => {
    hostile.setMode('swapped-ids');
    const c = client({ batch: true });
    const before = hostile.httpRequests;
    const [blockNumber, chainId] = await Promise.all([c.getBlockNumber(), c.getChainId()]);
    assert.equal(hostile.httpRequests - before, 1, 'both calls went out in one batch');
    assert.equal(blockNumber, BigInt(ANVIL_CHAIN_ID), 'getBlockNumber() got the chain id');
    assert.notEqual(chainId, ANVIL_CHAIN_ID, 'getChainId() got something else (the block number)');
    assert.ok(chainId <= (await main.blockNumber()));
  });

  test('future-timestamp: accepted silently', async () => {
    hostile.setMode('honest');
    const real = (await client().getBlock({ blockNumber: 0n })).timestamp;
    hostile.setMode('future-timestamp');
    const block = await client().getBlock({ blockNumber: 0n });
    assert.equal(block.timestamp, real + 86_400n);
    assert.ok(Number(block.timestamp) > Date.now() / 1000 + 3_600, 'a timestamp in the future');
  });

  test('error: InvalidInputRpcError carrying the raw provider text, not retried', async () => {
    hostile.setMode('error');
    hostile.resetRequests();
    const err = await rejection(client({ retryCount: 3 }).getBlockNumber());
    assert.ok(err instanceof InvalidInputRpcError, `got ${err?.constructor?.name}`);
    assert.equal(err.code, -32000);
    assert.equal(err.shortMessage, 'Missing or invalid parameters.\nDouble check you have provided the correct parameters.');
    assert.equal(err.details, ERROR_MESSAGE);
    assert.ok(err.message.includes('sk_live_'), 'the key is in error.message');
    assert.ok(err.message.includes('\u001b[31m'), 'so is the raw ESC byte');
    assert.ok(!err.shortMessage.includes('sk_live_'));
    assert.equal(hostile.httpRequests, 1, 'a -32000 is not retried');
  });

  test('error: error.message names the URL; a key in the path leaks, basic auth does not', async () => {
    hostile.setMode('error');
    const withPathKey = await rejection(client({ url: `${hostile.url}/v2/PATHKEY123` }).getChainId());
    assert.ok(withPathKey.message.includes('/v2/PATHKEY123'));
    const withAuth = await rejection(client({ url: `http://user:BASICSECRET@127.0.0.1:${hostile.port}/` }).getChainId());
    assert.ok(withAuth instanceof InvalidInputRpcError);
    assert.ok(!withAuth.message.includes('BASICSECRET'));
  });

  test('http-500: HttpRequestError with status 500, retried 3 times by default', async () => {
    hostile.setMode('http-500');
    hostile.resetRequests();
    const err = await rejection(client({ retryCount: 0 }).getBlockNumber());
    assert.ok(err instanceof HttpRequestError, `got ${err?.constructor?.name}`);
    assert.equal(err.status, 500);
    assert.equal(err.details, '"Internal Server Error"');
    assert.equal(hostile.httpRequests, 1);

    hostile.resetRequests();
    const retried = await rejection(createPublicClient({ cacheTime: 0, transport: http(hostile.url) }).getBlockNumber());
    assert.ok(retried instanceof HttpRequestError);
    assert.equal(hostile.httpRequests, 4, 'viem default: 1 try + 3 retries');
  });

  test('garbage: HttpRequestError without status ("not valid JSON"), also retried', async () => {
    hostile.setMode('garbage');
    const err = await rejection(client().getBlockNumber());
    assert.ok(err instanceof HttpRequestError, `got ${err?.constructor?.name}`);
    assert.equal(err.status, undefined);
    assert.match(err.details, /is not valid JSON/);

    hostile.resetRequests();
    await rejection(client({ retryCount: 2 }).getBlockNumber());
    assert.equal(hostile.httpRequests, 3);
  });

  test('hang: TimeoutError after the client timeout', async () => {
    hostile.setMode('hang');
    const t0 = Date.now();
    const err = await rejection(client({ timeout: 300 }).getBlockNumber());
    assert.ok(err instanceof TimeoutError, `got ${err?.constructor?.name}`);
    assert.equal(err.shortMessage, 'The request took too long to respond.');
    assert.ok(Date.now() - t0 < 2_000);
  });
});
