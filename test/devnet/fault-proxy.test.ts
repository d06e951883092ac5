import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startAnvil, type Anvil } from '../support/anvil';
import { MAX_REQUEST_BYTES, startFaultProxy, type FaultProxy } from '../../src/devnet/fault-proxy';

let anvil: Anvil;
let proxy: FaultProxy;

before(async () => {
  anvil = await startAnvil();
  await anvil.mine(5);
  proxy = await startFaultProxy(anvil.url);
});

after(async () => {
  await proxy?.stop();
  await anvil?.stop();
});

const call = (id: number, method: string, params: unknown[] = []) => ({ jsonrpc: '2.0', id, method, params });

async function post(body: unknown): Promise<{ status: number; type: string; text: string; json: any }> {
  const res = await fetch(proxy.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}

test('pass forwards to the node and counts requests', async () => {
  proxy.setMode({ kind: 'pass' });
  const before = proxy.requests;
  const res = await post(call(7, 'eth_blockNumber'));
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { jsonrpc: '2.0', id: 7, result: '0x5' });
  assert.equal(proxy.requests, before + 1);
});

test('modes switch at runtime on the same proxy', async () => {
  proxy.setMode({ kind: 'rpc_error', code: -32000, message: 'header not found' });
  assert.deepEqual(proxy.mode, { kind: 'rpc_error', code: -32000, message: 'header not found' });
  const failed = await post(call(1, 'eth_blockNumber'));
  assert.deepEqual(failed.json, { jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'header not found' } });
  proxy.setMode({ kind: 'pass' });
  const ok = await post(call(2, 'eth_blockNumber'));
  assert.equal(ok.json.result, '0x5');
});

test('batch arrays: passed, errored per id, and partly intercepted', async () => {
  const batch = [call(1, 'eth_blockNumber'), call(2, 'eth_chainId'), call(3, 'eth_getBlockByNumber', ['latest', false])];
  proxy.setMode({ kind: 'pass' });
  const passed = await post(batch);
  assert.deepEqual(
    passed.json.map((r: any) => r.id),
    [1, 2, 3],
  );
  assert.equal(passed.json[1].result, '0x7a69');

  proxy.setMode({ kind: 'rpc_error', code: 429, message: 'slow down' });
  const errored = await post(batch);
  assert.deepEqual(
    errored.json.map((r: any) => [r.id, r.error.code]),
    [
      [1, 429],
      [2, 429],
      [3, 429],
    ],
  );

  // Only the block query is intercepted; the rest still comes from the node.
  proxy.setMode({ kind: 'malformed' });
  const mixed = await post(batch);
  assert.equal(mixed.json[0].result, '0x5');
  assert.equal(mixed.json[1].result, '0x7a69');
  assert.deepEqual(mixed.json[2], { jsonrpc: '2.0', id: 3, result: { number: '0xzz', hash: '0x12' } });
  proxy.setMode({ kind: 'pass' });
});

test('http answers with the given status and body', async () => {
  proxy.setMode({ kind: 'http', status: 429, body: '{"error":"too many requests"}' });
  const limited = await post(call(1, 'eth_blockNumber'));
  assert.equal(limited.status, 429);
  assert.equal(limited.type, 'application/json');
  assert.deepEqual(limited.json, { error: 'too many requests' });
  proxy.setMode({ kind: 'http', status: 500 });
  const failed = await post(call(1, 'eth_blockNumber'));
  assert.equal(failed.status, 500);
  assert.equal(failed.text, 'Internal Server Error');
  proxy.setMode({ kind: 'pass' });
});

test('garbage is a 200 that is not JSON', async () => {
  proxy.setMode({ kind: 'garbage' });
  const res = await post(call(1, 'eth_blockNumber'));
  assert.equal(res.status, 200);
  assert.equal(res.json, undefined);
  assert.match(res.text, /<html>/);
  proxy.setMode({ kind: 'pass' });
});

test('refuse drops the connection without an HTTP response', async () => {
  proxy.setMode({ kind: 'refuse' });
  await assert.rejects(post(call(1, 'eth_blockNumber')), /fetch failed/);
  proxy.setMode({ kind: 'pass' });
  assert.equal((await post(call(1, 'eth_blockNumber'))).status, 200);
});

test('slow delays, then passes', async () => {
  proxy.setMode({ kind: 'slow', delayMs: 300 });
  const started = performance.now();
  const res = await post(call(1, 'eth_blockNumber'));
  assert.ok(performance.now() - started >= 290);
  assert.equal(res.json.result, '0x5');
  proxy.setMode({ kind: 'pass' });
});

test('freeze replays the last head per tag while the node advances', async () => {
  proxy.setMode({ kind: 'pass' });
  const latest = call(1, 'eth_getBlockByNumber', ['latest', false]);
  const seen = await post(latest);
  proxy.setMode({ kind: 'freeze' });
  await anvil.mine(3);
  const frozen = await post(latest);
  assert.deepEqual(frozen.json.result, seen.json.result);
  // Queries by number are not frozen: the endpoint still serves what it has.
  const byNumber = await post(call(2, 'eth_blockNumber'));
  assert.equal(Number(byNumber.json.result), Number(seen.json.result.number) + 3);
  proxy.setMode({ kind: 'pass' });
  const live = await post(latest);
  assert.equal(Number(live.json.result.number), Number(seen.json.result.number) + 3);
});

test('bodies over 1 MB get 413, declared or streamed', async () => {
  proxy.setMode({ kind: 'pass' });
  const big = JSON.stringify({ ...call(1, 'eth_blockNumber'), pad: 'x'.repeat(MAX_REQUEST_BYTES) });
  assert.equal((await post(big)).status, 413);

  // Chunked, without a content-length: the cap applies while reading.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(proxy.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent <= MAX_REQUEST_BYTES; sent += chunk.length) req.write(chunk);
    req.end();
  });
  assert.equal(status, 413);
  // The proxy still serves afterwards.
  assert.equal((await post(call(1, 'eth_chainId'))).json.result, '0x7a69');
});

test('stop does not wait for a request stuck in slow mode', async () => {
  const own = await startFaultProxy(anvil.url);
  own.setMode({ kind: 'slow', delayMs: 60_000 });
  const pending = fetch(own.url, { method: 'POST', body: JSON.stringify(call(1, 'eth_chainId')) }).catch((e) => e);
  await new Promise((r) => setTimeout(r, 100));
  const started = performance.now();
  await own.stop();
  assert.ok(performance.now() - started < 1_000);
  assert.ok((await pending) instanceof Error);
});
