/**
 * The probe tick on real Redis and a real anvil (1 s blocks): a probe is sent and its inclusion
 * measured; a worker that dies half-way (after the ledger write, before or after the broadcast)
 * is continued by another with the same nonce and the very same transaction; two ticks at once
 * never both send; the daily gas bound stops the probe and says so once; the key is in no log line.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { Job } from 'bullmq';
import pino from 'pino';
import { createProbeProcessor, type ProbeAdapter, type ProbeJobResult } from '../../jobs/probe';
import { broadcastProbe, createProbeChain, readProbeFacts } from '../../src/chain/probe';
import type { Network } from '../../src/config/network';
import { secretKey } from '../../src/config/probe';
import type { NetworkState } from '../../src/engine';
import { keyspace } from '../../src/model';
import { PublishOutbox } from '../../src/queue/outbox';
import { IncidentStore } from '../../src/store/incidents';
import { PublicationStore } from '../../src/store/publications';
import { startAnvil, type Anvil } from '../support/anvil';
import { startSwallowingRpc } from '../support/swallowing-rpc';
import { testNetwork } from '../support/network';
import { testRedis, type TestRedis } from '../support/redis';

/** anvil's well-known dev keys (funded; tests only): one per test, so their nonces never meet. */
const DEV_KEYS = [
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
] as const;

let anvil: Anvil;
let r: TestRedis;
let store: IncidentStore;
const lines: string[] = [];
const log = pino(
  { level: 'debug' },
  new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).trim().split('\n'));
      if (lines.length > 5000) lines.splice(0, lines.length - 5000);
      done();
    },
  }),
);

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  r = testRedis();
  store = new IncidentStore(r.redis, keyspace(r.prefix));
});
after(async () => {
  // Every line any tick of this file logged: no key, whole or without its 0x.
  for (const key of DEV_KEYS) assert.ok(!lines.some((l) => l.toLowerCase().includes(key.slice(2))), 'a probe key is in the log');
  assert.ok(lines.length > 0, 'the ticks logged something');
  await store?.close();
  await r?.cleanup();
  await anvil?.stop();
});

function probed(name: string, key: `0x${string}`, maxDailyGasWei = '10000000000000000', url = anvil.url): Network {
  return testNetwork({
    name,
    endpoints: [{ label: 'anvil', url }],
    thresholds: { requestTimeoutMs: 2000 },
    probe: { keyEnv: 'PROBE_KEY', key: secretKey(key), everyMs: 10_000, deadlineMs: 15_000, maxDailyGasWei },
  });
}

let jobs = 0;
function processorFor(network: Network, adapter: Partial<ProbeAdapter> = {}, clock: () => number = Date.now) {
  const keys = keyspace(r.prefix);
  const p = createProbeProcessor({
    networks: new Map([[network.name, network]]),
    store,
    outbox: new PublishOutbox(new Map(), new PublicationStore(r.redis, keys)),
    log,
    redis: r.redis,
    keys,
    adapter,
    clock,
  });
  return async () => (await p({ name: 'probe', id: `probe-job-${++jobs}`, data: { network: network.name } } as Job)) as ProbeJobResult;
}

const chainOf = (network: Network) => createProbeChain(network, { timeoutMs: 2000 });
const ledgerOf = (network: Network) => r.redis.hgetall(keyspace(r.prefix).probe(network.name));
const messages = (network: Network) =>
  lines
    .map((l) => JSON.parse(l) as { msg: string; network?: string })
    .filter((l) => l.network === network.name)
    .map((l) => l.msg);

test('a probe is sent and its inclusion measured, in the ledger and in the network state', async () => {
  const network = probed('probe-ok', DEV_KEYS[0]);
  const tick = processorFor(network);
  const before = await readProbeFacts(chainOf(network), { hashes: [] });
  const first = await tick();
  assert.equal(first.action, 'include', JSON.stringify(first));
  assert.ok(first.inclusionMs! > 0 && first.inclusionMs! < 3000, `included in ${first.inclusionMs} ms at 1 s blocks`);
  const ledger = await ledgerOf(network);
  assert.equal(ledger.nonce, undefined, 'nothing in flight');
  assert.ok(BigInt(ledger.spentWei!) > 0n, 'its cost counted');
  const state = (await store.readState<NetworkState>(network.name))!.state;
  assert.equal(state.probe?.recentMs.length, 1);
  assert.equal(state.probe?.recentMs[0], first.inclusionMs);
  assert.equal((await tick()).action, 'not_due', 'the next one waits for `every`');
  assert.equal((await readProbeFacts(chainOf(network), { hashes: [] })).latestNonce, before.latestNonce + 1);
  assert.deepEqual(messages(network), ['probe sent', 'probe included']);
});

test('a worker that dies after the ledger write and before the broadcast: the next one sends that very transaction', async () => {
  const network = probed('probe-crash-before', DEV_KEYS[1]);
  const pc = chainOf(network);
  const start = await readProbeFacts(pc, { hashes: [] });
  const dying = processorFor(network, { broadcast: async () => Promise.reject(new Error('worker killed')) });
  await assert.rejects(dying(), /worker killed/);
  const ledger = await ledgerOf(network);
  assert.equal(Number(ledger.nonce), start.latestNonce);
  assert.equal(ledger.sentAt, undefined, 'signed, never sent');
  const signed = JSON.parse(ledger.txs!) as { hash: string }[];
  assert.equal((await readProbeFacts(pc, { hashes: [] })).pendingNonce, start.latestNonce, 'nothing reached the chain');
  // Another worker (a new processor: its own clients, nothing in memory).
  const next = await processorFor(network)();
  assert.equal(next.action, 'include', JSON.stringify(next));
  const end = await readProbeFacts(pc, { hashes: signed.map((t) => t.hash as `0x${string}`) });
  assert.equal(end.receipt?.hash, signed[0]!.hash, 'the transaction the first worker signed');
  assert.deepEqual(
    [end.latestNonce, end.pendingNonce],
    [start.latestNonce + 1, start.latestNonce + 1],
    'one nonce used, no gap, nothing else pending',
  );
});

test('a worker that dies right after the broadcast: the next one finds it, sends nothing new', async () => {
  const network = probed('probe-crash-after', DEV_KEYS[2]);
  const pc = chainOf(network);
  const start = await readProbeFacts(pc, { hashes: [] });
  const sends: string[] = [];
  const counting: Partial<ProbeAdapter> = { broadcast: async (c, raw) => (sends.push(raw), broadcastProbe(c, raw)) };
  const dying = processorFor(network, {
    broadcast: async (c, raw) => (sends.push(raw), await broadcastProbe(c, raw), Promise.reject(new Error('worker killed'))),
  });
  await assert.rejects(dying(), /worker killed/);
  const next = await processorFor(network, counting)();
  assert.ok(['include', 'keep'].includes(next.action), JSON.stringify(next));
  assert.ok(new Set(sends).size === 1, `every broadcast was the same transaction (${sends.length} sends)`);
  const end = await readProbeFacts(pc, { hashes: [] });
  assert.ok(end.pendingNonce === start.latestNonce + 1 && end.latestNonce <= start.latestNonce + 1, 'one nonce, no second probe');
});

test('two ticks at once: one works, the other finds the lock taken', async () => {
  const network = probed('probe-lock', DEV_KEYS[3]);
  const slowRead: Partial<ProbeAdapter> = {
    read: async (c, o) => (await new Promise((res) => setTimeout(res, 300)), readProbeFacts(c, o)),
  };
  const [a, b] = await Promise.all([processorFor(network, slowRead)(), processorFor(network, slowRead)()]);
  assert.deepEqual([a.action, b.action].sort(), ['busy', 'include']);
});

test('the daily gas bound stops the probe, logged once however many ticks', async () => {
  const network = probed('probe-budget', DEV_KEYS[3], '1000');
  const tick = processorFor(network);
  const start = await readProbeFacts(chainOf(network), { hashes: [] });
  for (let i = 0; i < 3; i++) assert.equal((await tick()).action, 'budget');
  assert.deepEqual(messages(network), ['probe stopped for today (UTC): the daily gas budget is spent']);
  const state = (await store.readState<NetworkState>(network.name))!.state;
  assert.equal(state.probe?.paused, 'budget');
  assert.equal((await readProbeFacts(chainOf(network), { hashes: [] })).pendingNonce, start.pendingNonce, 'nothing sent');
});

test('a probe the chain never takes: replaced at the same nonce once late; a restarted worker lands it when transactions get in again', async () => {
  // An endpoint that acknowledges raw transactions and drops them while blocks keep coming.
  const rpc = await startSwallowingRpc(anvil.url);
  try {
    const network = probed('probe-swallowed', DEV_KEYS[0], undefined, rpc.url);
    const pc = chainOf(network);
    const start = await readProbeFacts(pc, { hashes: [] });
    rpc.swallow = true;
    // The deadline (15 s) is passed on an injected clock rather than waited for.
    let skewMs = 0;
    const clock = () => Date.now() + skewMs;
    const sent = await processorFor(network, {}, clock)();
    assert.deepEqual([sent.action, sent.report], ['send', 'pending'], JSON.stringify(sent));
    skewMs = 16_000;
    const replaced = await processorFor(network, {}, clock)();
    assert.deepEqual([replaced.action, replaced.report], ['replace', 'pending'], JSON.stringify(replaced));
    const ledger = await ledgerOf(network);
    const txs = JSON.parse(ledger.txs!) as { hash: string; maxFeeWei: string }[];
    assert.equal(Number(ledger.nonce), start.latestNonce, 'the replacement keeps the nonce');
    assert.equal(txs.length, 2);
    assert.ok(BigInt(txs[1]!.maxFeeWei) > BigInt(txs[0]!.maxFeeWei), 'and pays more');
    assert.ok(rpc.swallowed >= 2, `${rpc.swallowed} broadcasts dropped`);
    assert.equal((await readProbeFacts(pc, { hashes: [] })).pendingNonce, start.latestNonce, 'none reached the pool');
    // The sequencer takes transactions again; a new worker (nothing in memory) carries on from the ledger.
    rpc.swallow = false;
    skewMs = 17_000;
    const landed = await processorFor(network, {}, clock)();
    assert.equal(landed.action, 'include', JSON.stringify(landed));
    const end = await readProbeFacts(pc, { hashes: txs.map((t) => t.hash as `0x${string}`) });
    assert.equal(end.receipt?.hash, txs[1]!.hash, 'the latest version was the one rebroadcast');
    assert.deepEqual([end.latestNonce, end.pendingNonce], [start.latestNonce + 1, start.latestNonce + 1], 'one nonce used, no gap');
  } finally {
    await rpc.close();
  }
});

test('an unreadable ledger: said once, and today counts as spent, so nothing is sent until 00:00 UTC', async () => {
  const network = probed('probe-garbled', DEV_KEYS[1]);
  await r.redis.hset(keyspace(r.prefix).probe(network.name), { address: 'not an address', nonce: '3' });
  const start = await readProbeFacts(chainOf(network), { hashes: [] });
  const tick = processorFor(network);
  for (let i = 0; i < 2; i++) assert.equal((await tick()).action, 'budget');
  assert.deepEqual(messages(network), [
    'probe ledger in Redis unreadable: started over, and today (UTC) counted as spent',
    'probe stopped for today (UTC): the daily gas budget is spent',
  ]);
  assert.equal((await ledgerOf(network)).spentWei, network.probe!.maxDailyGasWei);
  assert.equal((await readProbeFacts(chainOf(network), { hashes: [] })).pendingNonce, start.pendingNonce, 'nothing sent');
});
