import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startAnvil, type Anvil } from '../support/anvil';
import { startFaultProxy, type FaultProxy } from '../../src/devnet/fault-proxy';
import { closeEndpointClients, createEndpointClient } from '../../src/chain/client';
import { fetchAncestors } from '../../src/chain/ancestors';
import type { PublicClient } from 'viem';

type RawBlock = { number: string; hash: string; parentHash: string };

let anvil: Anvil;
let proxy: FaultProxy;
let client: PublicClient;

before(async () => {
  anvil = await startAnvil({ noMining: true });
  proxy = await startFaultProxy(anvil.url);
  client = createEndpointClient({ label: 'anvil', url: proxy.url }, { timeoutMs: 2_000 });
});

after(async () => {
  await closeEndpointClients();
  await proxy?.stop();
  await anvil?.stop();
});

const block = (tag: string) => anvil.rpc<RawBlock>('eth_getBlockByNumber', [tag, false]);

/** Hashes of blocks 0..height as this watcher saw them. */
async function hashesUpTo(height: number): Promise<Map<number, string>> {
  const hashes = new Map<number, string>();
  for (let n = 0; n <= height; n++) hashes.set(n, (await block(`0x${n.toString(16)}`)).hash);
  return hashes;
}

test('finds the fork point of a depth-3 reorg', async () => {
  await anvil.mine(10);
  const height = await anvil.blockNumber();
  const old = await hashesUpTo(height);

  await anvil.reorg(3);
  const head = await block('latest');
  assert.equal(Number(head.number), height, 'anvil_reorg re-mines to the same height');
  assert.notEqual(head.hash, old.get(height));

  const ancestors = await fetchAncestors(client, {
    fromHash: head.parentHash,
    downTo: 0,
    known: (n) => old.get(n),
  });
  const forkPoint = ancestors[ancestors.length - 1]!;
  assert.deepEqual(
    ancestors.map((b) => b.number),
    [height - 1, height - 2, height - 3],
  );
  assert.equal(forkPoint.hash, old.get(forkPoint.number), 'the walk ends on the common ancestor');
  // Replaced blocks: the head and every fetched block above the fork point.
  assert.equal(height - forkPoint.number, 3);
  for (const b of ancestors.slice(0, -1)) assert.notEqual(b.hash, old.get(b.number));
  // Newest first, linked by parentHash.
  for (let i = 1; i < ancestors.length; i++) assert.equal(ancestors[i - 1]!.parentHash, ancestors[i]!.hash);
});

test('stops at downTo and at limit', async () => {
  const head = await block('latest');
  const top = Number(head.number);
  const toFloor = await fetchAncestors(client, { fromHash: head.hash, downTo: top - 2, known: () => undefined });
  assert.deepEqual(
    toFloor.map((b) => b.number),
    [top, top - 1, top - 2],
  );
  const limited = await fetchAncestors(client, { fromHash: head.hash, downTo: 0, known: () => undefined, limit: 4 });
  assert.equal(limited.length, 4);
});

test('walks down to genesis without going past it', async () => {
  const head = await block('latest');
  const all = await fetchAncestors(client, { fromHash: head.hash, downTo: -1, known: () => undefined, limit: 1000 });
  assert.equal(all[all.length - 1]!.number, 0);
  assert.equal(all.length, Number(head.number) + 1);
});

test('returns what it has on errors, unknown hashes and malformed blocks; never throws', async () => {
  const head = await block('latest');
  const unknown = await fetchAncestors(client, { fromHash: `0x${'ab'.repeat(32)}`, downTo: 0, known: () => undefined });
  assert.deepEqual(unknown, []);

  proxy.setMode({ kind: 'malformed' });
  try {
    assert.deepEqual(await fetchAncestors(client, { fromHash: head.hash, downTo: 0, known: () => undefined }), []);
  } finally {
    proxy.setMode({ kind: 'pass' });
  }

  proxy.setMode({ kind: 'refuse' });
  try {
    assert.deepEqual(await fetchAncestors(client, { fromHash: head.hash, downTo: 0, known: () => undefined }), []);
  } finally {
    proxy.setMode({ kind: 'pass' });
  }

  // Fails partway: the first blocks come through, then the endpoint breaks.
  let calls = 0;
  const flaky = {
    request: (args: never) => (++calls <= 2 ? client.request(args) : Promise.reject(new Error('socket hang up'))),
  } as unknown as PublicClient;
  const partial = await fetchAncestors(flaky, { fromHash: head.hash, downTo: 0, known: () => undefined });
  assert.deepEqual(
    partial.map((b) => b.number),
    [Number(head.number), Number(head.number) - 1],
  );
});
