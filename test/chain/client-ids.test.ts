/**
 * JSON-RPC ids, checked by our clients (viem 2.57 does not: test/fakes/hostile-rpc.test.ts).
 * Over HTTP against the hostile JSON-RPC server in front of a real anvil; over WebSocket against
 * a local `ws` server that answers with another id. A mismatched id is a `malformed` poll, and
 * honest answers still pass.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { closeEndpointClients, createEndpointClient } from '../../src/chain/client';
import { idsMatch } from '../../src/chain/rpc-ids';
import { sampleHead } from '../../src/chain/sample-head';
import type { HeadFailure } from '../../src/model';
import { startAnvil, type Anvil } from '../support/anvil';
import { startHostileRpc, type HostileMode, type HostileRpc } from '../support/hostile-rpc';

const MISMATCH = 'JSON-RPC response id does not match the request';
let anvil: Anvil;
let hostile: HostileRpc;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  hostile = await startHostileRpc({ upstream: anvil.url });
});
after(async () => {
  await closeEndpointClients();
  await hostile?.close();
  await anvil?.stop();
});

const poll = (url: string, label: string) =>
  sampleHead(createEndpointClient({ label, url }, { timeoutMs: 2000 }), { network: 'anvil', endpoint: label, withSafe: true });

test('idsMatch: same id and type; null only on an error; a batch answers each id once', () => {
  const req = { jsonrpc: '2.0', id: 7, method: 'eth_chainId' };
  assert.equal(idsMatch(req, { id: 7, result: '0x1' }), true);
  assert.equal(idsMatch(req, { id: 8, result: '0x1' }), false);
  assert.equal(idsMatch(req, { id: '7', result: '0x1' }), false);
  assert.equal(idsMatch(req, { result: '0x1' }), false);
  assert.equal(idsMatch(req, { id: null, error: { code: -32700, message: 'Parse error' } }), true);
  assert.equal(idsMatch(req, { id: null, result: '0x1' }), false);
  assert.equal(idsMatch(req, [{ id: 7, result: '0x1' }]), false);
  const batch = [
    { id: 1, method: 'a' },
    { id: 2, method: 'b' },
  ];
  assert.equal(
    idsMatch(batch, [
      { id: 2, result: 1 },
      { id: 1, result: 2 },
    ]),
    true,
  );
  assert.equal(
    idsMatch(batch, [
      { id: 2, result: 1 },
      { id: 3, result: 2 },
    ]),
    false,
  );
  assert.equal(
    idsMatch(batch, [
      { id: 1, result: 1 },
      { id: 1, result: 2 },
    ]),
    false,
  );
});

test('HTTP: honest answers pass; wrong-id, wrong-id-string and swapped-ids are malformed polls', async () => {
  hostile.setMode('honest');
  const honest = await poll(hostile.url, 'honest');
  assert.equal(honest.ok, true, JSON.stringify(honest));
  for (const mode of ['wrong-id', 'wrong-id-string', 'swapped-ids'] as HostileMode[]) {
    hostile.setMode(mode);
    hostile.resetRequests();
    const s = await poll(hostile.url, mode);
    assert.equal(s.ok, false, `${mode}: ${JSON.stringify(s)}`);
    assert.equal((s as HeadFailure).kind, 'malformed', mode);
    assert.equal((s as HeadFailure).message, MISMATCH, mode);
    assert.ok((hostile.requests.eth_getBlockByNumber ?? 0) >= 1, `${mode}: the request reached the server`);
  }
  hostile.setMode('honest');
  assert.equal((await poll(hostile.url, 'honest-again')).ok, true, 'honest again: passes again');
});

test('WebSocket: an answer with another id (id + 1, or the id as a string) is malformed; the right id passes', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let lie: (id: number) => unknown = (id) => id;
  wss.on('connection', (socket) =>
    socket.on('message', async (data) => {
      const req = JSON.parse(String(data)) as { id: number; method: string; params: unknown[] };
      const upstream = (await fetch(anvil.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: String(data),
      }).then((r) => r.json())) as object;
      socket.send(JSON.stringify({ ...upstream, id: lie(req.id) }));
    }),
  );
  try {
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
    assert.equal((await poll(url, 'ws-honest')).ok, true);
    for (const [name, wrong] of [
      ['id + 1', (id: number) => id + 1],
      ['string id', (id: number) => String(id)],
    ] as const) {
      lie = wrong;
      const s = await poll(url, `ws-${name}`);
      assert.equal(s.ok, false, `${name}: ${JSON.stringify(s)}`);
      assert.equal((s as HeadFailure).kind, 'malformed', name);
      assert.equal((s as HeadFailure).message, MISMATCH, name);
    }
    lie = (id) => id;
    const again = await poll(url, 'ws-honest-again');
    assert.equal(again.ok, true, JSON.stringify(again));
  } finally {
    await closeEndpointClients();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
});
