/** The inclusion probe's pure half: the prober's plan, its ledger, and `inclusion_delay` in the network's step. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretKey } from '../../src/config/probe';
import { initialNetworkState, step, type NetworkState } from '../../src/engine';
import {
  bumpFees,
  emptyLedger,
  includedAt,
  MAX_REPLACEMENTS,
  observeProbe,
  planProbe,
  probeDue,
  probeTickMs,
  probeView,
  RECENT_MAX,
  withIncluded,
  withSent,
  withSigned,
  type ProbeLedger,
  type ProbeReport,
} from '../../src/engine/probe';
import type { ProbeFacts, ProbeTx } from '../../src/model';
import { testNetwork } from '../support/network';

const T0 = Date.parse('2026-12-01T12:00:00Z');
const GWEI = 1_000_000_000n;
const settings = { everyMs: 60_000, deadlineMs: 30_000, maxDailyGasWei: (21_000n * 100n * GWEI).toString() };
const network = testNetwork({
  name: 'probed',
  explorerUrl: 'https://explorer.example',
  probe: { keyEnv: 'K', key: secretKey(`0x${'11'.repeat(32)}`), ...settings },
});
const ADDRESS = '0x00000000000000000000000000000000000000aa';

const facts = (over: Partial<ProbeFacts> = {}): ProbeFacts => ({
  latestNonce: 7,
  pendingNonce: 7,
  receipt: null,
  head: 100,
  baseFeeWei: (10n * GWEI).toString(),
  tipWei: GWEI.toString(),
  gas: '21000',
  ...over,
});
const tx = (n: number, maxGwei = 21n, tipGwei = 1n): ProbeTx => ({
  hash: `0x${n.toString(16).padStart(64, '0')}`,
  raw: '0x02',
  maxFeeWei: (maxGwei * GWEI).toString(),
  tipWei: (tipGwei * GWEI).toString(),
  gas: '21000',
});
/** A ledger with nonce 7 in flight, sent at T0 at head 100. */
const inFlight = (over: Partial<NonNullable<ProbeLedger['inFlight']>> = {}): ProbeLedger => ({
  ...emptyLedger(ADDRESS, T0),
  lastSentAt: T0,
  inFlight: { nonce: 7, txs: [tx(1)], sentAt: T0, sentHead: 100, replacedAt: null, ...over },
});

test('nothing in flight: the next probe goes out at the chain nonce, paying twice the base fee plus the tip', () => {
  const plan = planProbe(emptyLedger(ADDRESS, T0), facts(), settings, T0);
  assert.deepEqual(plan, { action: 'send', nonce: 7, fees: { maxFeeWei: (21n * GWEI).toString(), tipWei: GWEI.toString(), gas: '21000' } });
});

test('not due yet, or the key has transactions the ledger does not know: nothing is sent', () => {
  const recent = { ...emptyLedger(ADDRESS, T0), lastSentAt: T0 };
  assert.equal(probeDue(recent, settings, T0 + 59_999), false);
  assert.deepEqual(planProbe(recent, facts(), settings, T0 + 59_999), { action: 'skip', why: 'not_due' });
  assert.equal(planProbe(recent, facts(), settings, T0 + 60_000).action, 'send');
  assert.deepEqual(planProbe(emptyLedger(ADDRESS, T0), facts({ pendingNonce: 8 }), settings, T0), {
    action: 'skip',
    why: 'foreign_pending',
  });
});

test('the daily budget: the worst case of the next probe must fit in what is left today; a new UTC day starts from zero', () => {
  const worst = 21_000n * 21n * GWEI;
  const spent = { ...emptyLedger(ADDRESS, T0), spentWei: (BigInt(settings.maxDailyGasWei) - worst + 1n).toString() };
  assert.deepEqual(planProbe(spent, facts(), settings, T0), { action: 'skip', why: 'budget' });
  const justFits = { ...spent, spentWei: (BigInt(settings.maxDailyGasWei) - worst).toString() };
  assert.equal(planProbe(justFits, facts(), settings, T0).action, 'send');
  const tomorrow = Date.parse('2026-12-02T00:00:00Z');
  assert.equal(planProbe(spent, facts(), settings, tomorrow).action, 'send');
});

test('a receipt for any version of the nonce in flight is its inclusion; a nonce used elsewhere is forgotten', () => {
  const receipt = { hash: tx(1).hash, block: 101, blockTimestamp: null, costWei: '1' };
  assert.deepEqual(planProbe(inFlight(), facts({ receipt, latestNonce: 8, pendingNonce: 8 }), settings, T0 + 1000), {
    action: 'include',
    receipt,
  });
  assert.deepEqual(planProbe(inFlight(), facts({ latestNonce: 8, pendingNonce: 8 }), settings, T0 + 1000), { action: 'forget' });
});

test('in flight and not late: waits; rebroadcasts the same transaction when the pool lost it or it was never sent', () => {
  const inPool = facts({ pendingNonce: 8 });
  assert.deepEqual(planProbe(inFlight(), inPool, settings, T0 + 29_999), {
    action: 'keep',
    rebroadcast: false,
    pricedOut: false,
    held: null,
  });
  assert.deepEqual(planProbe(inFlight(), facts(), settings, T0 + 1000), {
    action: 'keep',
    rebroadcast: true,
    pricedOut: false,
    held: null,
  });
  assert.equal((planProbe(inFlight({ sentAt: null }), inPool, settings, T0) as { rebroadcast: boolean }).rebroadcast, true);
});

test('late: replaced at the same nonce with both fees up by more than 10%, at least a fresh probe’s, once per deadline', () => {
  const plan = planProbe(inFlight(), facts({ pendingNonce: 8 }), settings, T0 + 30_000);
  assert.equal(plan.action, 'replace');
  const fees = (plan as Extract<typeof plan, { action: 'replace' }>).fees;
  assert.ok(BigInt(fees.tipWei) * 10n > BigInt(tx(1).tipWei) * 11n, 'tip up more than 10%');
  assert.ok(BigInt(fees.maxFeeWei) * 10n > BigInt(tx(1).maxFeeWei) * 11n, 'max fee up more than 10%');
  // A base fee that ran away: the replacement chases it.
  const chased = bumpFees(tx(1), facts({ baseFeeWei: (1000n * GWEI).toString() }));
  assert.ok(BigInt(chased.maxFeeWei) >= 2000n * GWEI);
  const replaced = inFlight({ txs: [tx(1), tx(2, 30n, 2n)], replacedAt: T0 + 30_000 });
  assert.equal(planProbe(replaced, facts({ pendingNonce: 8 }), settings, T0 + 59_999).action, 'keep');
  assert.equal(planProbe(replaced, facts({ pendingNonce: 8 }), settings, T0 + 60_000).action, 'replace');
});

test('late and the replacement is unaffordable, or it was replaced enough: held, and priced out when the base fee is above its cap', () => {
  const high = facts({ baseFeeWei: (1000n * GWEI).toString() });
  assert.deepEqual(planProbe(inFlight(), high, settings, T0 + 31_000), {
    action: 'keep',
    rebroadcast: true,
    pricedOut: true,
    held: 'budget',
  });
  const many = inFlight({ txs: Array.from({ length: MAX_REPLACEMENTS + 1 }, (_, i) => tx(i + 1)), replacedAt: T0 });
  assert.equal((planProbe(many, facts({ pendingNonce: 8 }), settings, T0 + 31_000) as { held: string }).held, 'replacements');
});

test('ledger transitions: signed, sent once, replaced (lastSentAt kept), included (spend counted per UTC day)', () => {
  let l = withSigned(emptyLedger(ADDRESS, T0), 7, tx(1), T0);
  assert.deepEqual([l.inFlight?.sentAt, l.lastSentAt, l.inFlight?.txs.length], [null, T0, 1]);
  l = withSent(l, 100, T0 + 5);
  assert.deepEqual([l.inFlight?.sentAt, l.inFlight?.sentHead], [T0 + 5, 100]);
  assert.equal(withSent(l, 120, T0 + 99).inFlight?.sentAt, T0 + 5, 'a rebroadcast keeps the first send time');
  l = withSigned(l, 7, tx(2), T0 + 40_000);
  assert.deepEqual([l.inFlight?.txs.length, l.lastSentAt, l.inFlight?.replacedAt, l.inFlight?.sentAt], [2, T0, T0 + 40_000, T0 + 5]);
  l = withIncluded(l, { hash: tx(2).hash, block: 140, blockTimestamp: null, costWei: '500' }, T0 + 41_000);
  assert.deepEqual([l.inFlight, l.spentWei, l.day], [null, '500', '2026-12-01']);
  const next = withIncluded(
    withSent(withSigned(l, 8, tx(3), T0), 1, T0),
    { hash: tx(3).hash, block: 1, blockTimestamp: null, costWei: '7' },
    Date.parse('2026-12-02T00:00:01Z'),
  );
  assert.deepEqual([next.spentWei, next.day], ['7', '2026-12-02']);
});

test('inclusion time: the sighting while watching; later, the block timestamp when it lies between send and sighting', () => {
  assert.equal(includedAt(T0, T0 + 1500, null, true), T0 + 1500);
  assert.equal(includedAt(T0, T0 + 20_000, (T0 + 4000) / 1000, false), T0 + 4000);
  assert.equal(includedAt(T0, T0 + 20_000, (T0 - 4000) / 1000, false), T0 + 20_000, 'a block stamped before the send: clock skew');
  assert.equal(includedAt(T0, T0 + 20_000, null, false), T0 + 20_000);
});

test('the scheduler ticks a few times per deadline, between 1 s and 30 s', () => {
  assert.equal(probeTickMs(settings), 10_000);
  assert.equal(probeTickMs({ ...settings, deadlineMs: 1500 }), 1000);
  assert.equal(probeTickMs({ ...settings, everyMs: 10 * 60_000, deadlineMs: 3_600_000 }), 30_000);
});

const pending = (over: Partial<Extract<ProbeReport, { kind: 'pending' }>> = {}): ProbeReport => ({
  kind: 'pending',
  nonce: 7,
  hash: tx(1).hash,
  sentAt: T0,
  sentHead: 100,
  pricedOut: false,
  baseFeeGwei: 10,
  maxFeeGwei: 21,
  held: null,
  ...over,
});

test('inclusion_delay: a probe older than its deadline while blocks came; major when it paid enough, minor when priced out', () => {
  assert.deepEqual(observeProbe(undefined, pending(), network, { number: 140 }, T0 + 29_999).signals, []);
  const [late] = observeProbe(undefined, pending(), network, { number: 140 }, T0 + 30_000).signals;
  assert.equal(late?.kind, 'inclusion_delay');
  assert.equal(late?.severity, 'major');
  assert.equal(late?.source, 'probe');
  assert.equal(late?.summary, 'A probe transaction sent 30 s ago is not included while 40 blocks were produced (deadline 30 s)');
  assert.deepEqual(late?.evidence, [`https://explorer.example/tx/${tx(1).hash}`]);
  const [priced] = observeProbe(
    undefined,
    pending({ pricedOut: true, baseFeeGwei: 1000, held: 'budget' }),
    network,
    { number: 140 },
    T0 + 40_000,
  ).signals;
  assert.equal(priced?.severity, 'minor');
  assert.match(
    priced!.summary,
    /the base fee \(1,000 gwei\) is above what the probe may pay \(21 gwei\); the daily gas budget allows no higher fee$/,
  );
});

test('no inclusion_delay when the chain stopped (that is halted) or its head is unknown', () => {
  assert.deepEqual(observeProbe(undefined, pending(), network, { number: 101 }, T0 + 60_000).signals, [], 'one block: not enough');
  assert.deepEqual(observeProbe(undefined, pending(), network, null, T0 + 60_000).signals, []);
  assert.deepEqual(observeProbe(undefined, pending({ sentHead: null }), network, { number: 200 }, T0 + 60_000).signals, []);
});

test('inclusions are remembered (bounded, each once) and shown as last and median', () => {
  let state = observeProbe(undefined, pending(), network, { number: 100 }, T0).state;
  for (let i = 0; i < RECENT_MAX + 5; i++) {
    const report: ProbeReport = {
      kind: 'included',
      nonce: i,
      hash: tx(i).hash,
      sentAt: T0,
      includedAt: T0 + 1000 + i * 100,
      block: 100 + i,
    };
    state = observeProbe(state, report, network, { number: 100 }, T0).state;
    state = observeProbe(state, report, network, { number: 100 }, T0).state;
  }
  assert.equal(state?.recentMs.length, RECENT_MAX);
  assert.equal(state?.pending, null);
  const view = probeView(state, settings, T0 + 5000);
  assert.equal(view.lastMs, 1000 + (RECENT_MAX + 4) * 100);
  assert.equal(view.medianMs, (1000 + 5 * 100 + 1000 + 24 * 100) / 2);
  assert.equal(view.samples, RECENT_MAX);
  const late = probeView(observeProbe(state, pending(), network, { number: 100 }, T0).state, settings, T0 + 31_000);
  assert.deepEqual([late.pendingForMs, late.late], [31_000, true]);
});

function withHead(state: NetworkState, number: number): NetworkState {
  return { ...state, chain: { ...state.chain, best: { number, hash: '0xab', timestamp: T0 / 1000, observedAt: T0, endpoint: 'rpc-a' } } };
}

test('through the step: inclusion_delay opens an incident after confirm and recovers once a probe is included', () => {
  let state = withHead(initialNetworkState(), 140);
  let r = step(state, { type: 'probe', report: pending() }, network, T0 + 31_000);
  assert.deepEqual(Object.keys(r.state.corr.conditions), ['inclusion_delay']);
  assert.equal(r.events.length, 0, 'a degraded kind waits for confirm');
  r = step(r.state, { type: 'probe', report: pending() }, network, T0 + 61_000);
  const opened = r.events.find((e) => e.type === 'opened');
  assert.equal(opened?.kind, 'inclusion_delay');
  assert.equal(opened?.title, 'Transactions are not being included');
  assert.equal(r.incident?.status, 'investigating');
  state = r.state;
  r = step(
    state,
    { type: 'probe', report: { kind: 'included', nonce: 7, hash: tx(1).hash, sentAt: T0, includedAt: T0 + 62_000, block: 150 } },
    network,
    T0 + 62_500,
  );
  assert.deepEqual(r.state.corr.conditions, {}, 'cleared by the inclusion');
  r = step(r.state, { type: 'probe', report: { kind: 'idle', paused: null } }, network, T0 + 80_000);
  assert.equal(r.events.at(-1)?.type, 'recovered');
});

test('a network whose probe left the config drops the probe state and its condition at the next poll', () => {
  const late = step(withHead(initialNetworkState(), 140), { type: 'probe', report: pending() }, network, T0 + 31_000).state;
  assert.ok(late.probe && late.corr.conditions.inclusion_delay);
  const { probe: _, ...without } = network;
  const r = step(late, { type: 'poll', samples: [] }, without, T0 + 32_000);
  assert.equal(r.state.probe, undefined);
  assert.equal(r.state.corr.conditions.inclusion_delay, undefined);
});
