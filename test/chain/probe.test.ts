/** The probe's viem adapter against a real anvil: facts, signing, broadcasting through every endpoint, refusals, receipts. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { broadcastProbe, createProbeChain, ProbeRpcError, readProbeFacts, signProbe, watchForReceipt } from '../../src/chain/probe';
import { secretKey } from '../../src/config/probe';
import type { Network } from '../../src/config/network';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';

/** anvil's first dev account: funded, and well known (tests only). */
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const DEV_ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const GWEI = 1_000_000_000n;

let anvil: Anvil;
before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
});
after(async () => {
  await anvil?.stop();
});

const probed = (endpoints: Network['endpoints'], key: `0x${string}` = DEV_KEY, chainId = 31337): Network =>
  testNetwork({
    name: 'probe-chain',
    chainId,
    endpoints,
    probe: { keyEnv: 'K', key: secretKey(key), everyMs: 60_000, deadlineMs: 30_000, maxDailyGasWei: '1' },
  });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

test('reads, signs, broadcasts through every endpoint and finds the receipt; a resend is the same transaction', async () => {
  // The first endpoint refuses connections: reads fall back to the next, the broadcast still gets through.
  const pc = createProbeChain(
    probed([
      { label: 'dead', url: 'http://127.0.0.1:1' },
      { label: 'anvil', url: anvil.url },
    ]),
    { timeoutMs: 2000 },
  );
  assert.equal(pc.address, DEV_ADDRESS);
  assert.deepEqual(
    pc.clients.map((c) => c.label),
    ['dead', 'anvil'],
  );
  const facts = await readProbeFacts(pc, { hashes: [] });
  assert.equal(facts.latestNonce, facts.pendingNonce);
  assert.equal(facts.gas, '21000');
  assert.ok(facts.head >= 0 && facts.baseFeeWei !== null && BigInt(facts.tipWei) > 0n);
  const fees = { maxFeeWei: (2n * BigInt(facts.baseFeeWei!) + BigInt(facts.tipWei)).toString(), tipWei: facts.tipWei, gas: facts.gas };
  const tx = await signProbe(pc, { nonce: facts.latestNonce, fees });
  assert.match(tx.hash, /^0x[0-9a-f]{64}$/);
  const sent = await broadcastProbe(pc, tx.raw as `0x${string}`);
  assert.equal(sent.sent, true);
  assert.deepEqual(
    sent.outcomes.map((o) => [o.endpoint, o.outcome]),
    [
      ['dead', 'failed'],
      ['anvil', 'accepted'],
    ],
  );
  assert.ok(!JSON.stringify(sent).includes('127.0.0.1'), 'no URL in what the adapter returns');
  const again = await broadcastProbe(pc, tx.raw as `0x${string}`);
  assert.ok(['accepted', 'known'].includes(again.outcomes[1]!.outcome), `resend: ${JSON.stringify(again.outcomes[1])}`);
  assert.equal((await readProbeFacts(pc, { hashes: [] })).pendingNonce, facts.latestNonce + 1, 'one transaction in the pool, not two');
  const seen = await watchForReceipt(pc, { hashes: [tx.hash as `0x${string}`], timeoutMs: 5000, pollMs: 100 }, Date.now, sleep);
  assert.ok(seen, 'included within 5 s at 1 s blocks');
  const after = await readProbeFacts(pc, { hashes: [tx.hash as `0x${string}`] });
  assert.equal(after.latestNonce, facts.latestNonce + 1);
  assert.equal(after.receipt?.hash, tx.hash);
  assert.ok(after.receipt!.blockTimestamp! > 1_600_000_000, 'dated by its block');
  assert.ok(BigInt(after.receipt!.costWei) >= 21_000n && BigInt(after.receipt!.costWei) <= 21_000n * BigInt(fees.maxFeeWei));
  // Once included, the same transaction again is refused as a used nonce.
  const late = await broadcastProbe(pc, tx.raw as `0x${string}`);
  assert.equal(late.sent, false);
  assert.equal(late.outcomes[1]!.outcome, 'nonce_used');
});

test('refusals are told apart: underpriced, insufficient funds; and nothing is signed for another chain', async () => {
  const pc = createProbeChain(probed([{ label: 'anvil', url: anvil.url }]), { timeoutMs: 2000 });
  const facts = await readProbeFacts(pc, { hashes: [] });
  const cheap = await signProbe(pc, { nonce: facts.pendingNonce, fees: { maxFeeWei: '1', tipWei: '1', gas: '21000' } });
  assert.equal((await broadcastProbe(pc, cheap.raw as `0x${string}`)).outcomes[0]!.outcome, 'underpriced');
  const poor = createProbeChain(probed([{ label: 'anvil', url: anvil.url }], `0x${'42'.repeat(32)}`), { timeoutMs: 2000 });
  const unpaid = await signProbe(poor, { nonce: 0, fees: { maxFeeWei: (100n * GWEI).toString(), tipWei: GWEI.toString(), gas: '21000' } });
  const refused = await broadcastProbe(poor, unpaid.raw as `0x${string}`);
  assert.deepEqual([refused.sent, refused.outcomes[0]!.outcome], [false, 'funds']);
  const wrong = createProbeChain(probed([{ label: 'anvil', url: anvil.url }], DEV_KEY, 1), { timeoutMs: 2000 });
  await assert.rejects(signProbe(wrong, { nonce: 0, fees: { maxFeeWei: '1', tipWei: '1', gas: '21000' } }), (err: unknown) => {
    assert.ok(err instanceof ProbeRpcError);
    assert.equal(err.message, 'signing failed at anvil: the endpoint serves another chain id');
    return true;
  });
});

test('a read no endpoint answers is one error naming the first endpoint by label, never its URL', async () => {
  const pc = createProbeChain(probed([{ label: 'dead', url: 'http://127.0.0.1:1/?key=SECRET' }]), { timeoutMs: 1000 });
  await assert.rejects(readProbeFacts(pc, { hashes: [] }), (err: unknown) => {
    assert.ok(err instanceof ProbeRpcError);
    assert.match(err.message, /^reading nonces and fees failed at dead: connection failed/);
    assert.ok(!JSON.stringify({ m: err.message, p: err.problem }).includes('SECRET'));
    return true;
  });
});

test('a receipt counts from any endpoint: one provider that never sees the probe does not make it look late', async () => {
  // Another node of the same chain id that knows nothing of this probe: the first to answer reads.
  const blind = await startAnvil({ blockTime: 1 });
  try {
    const one = createProbeChain(probed([{ label: 'anvil', url: anvil.url }]), { timeoutMs: 2000 });
    const facts = await readProbeFacts(one, { hashes: [] });
    const fees = { maxFeeWei: (2n * BigInt(facts.baseFeeWei!) + BigInt(facts.tipWei)).toString(), tipWei: facts.tipWei, gas: facts.gas };
    const tx = await signProbe(one, { nonce: facts.pendingNonce, fees });
    assert.equal((await broadcastProbe(one, tx.raw as `0x${string}`)).sent, true);
    const both = createProbeChain(
      probed([
        { label: 'blind', url: blind.url },
        { label: 'anvil', url: anvil.url },
      ]),
      { timeoutMs: 2000 },
    );
    const seen = await watchForReceipt(both, { hashes: [tx.hash as `0x${string}`], timeoutMs: 5000, pollMs: 100 }, Date.now, sleep);
    assert.equal(seen?.receipt.hash, tx.hash, 'watched: found at the second endpoint');
    const read = await readProbeFacts(both, { hashes: [tx.hash as `0x${string}`] });
    assert.equal(read.receipt?.hash, tx.hash, 'read: found at the second endpoint');
  } finally {
    await blind.stop();
  }
});
