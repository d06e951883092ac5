/** The learnt thresholds where people and dashboards read them: /status network:<name> and /metrics. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrapeState } from '../../../src/app/observability';
import { learntLines } from '../../../src/discord/bot/render/learnt';
import { renderNetworkDetail } from '../../../src/discord/bot/render/status';
import { chainView, initialChainState, observeChain, type ChainState } from '../../../src/engine/detectors';
import { initialNetworkState, type NetworkState } from '../../../src/engine';
import { Metrics } from '../../../src/http/metrics';
import type { IncidentStore } from '../../../src/store/incidents';
import { T0, makeNetwork, okSample } from './builders';

const network = makeNetwork({ name: 'steady', endpoints: ['rpc-a'], thresholds: { stallMs: 10_000 } });

function polls(n: number): { state: ChainState; now: number } {
  let s = initialChainState();
  let now = T0;
  for (let i = 0; i < n; i++) {
    now = T0 + i * 1_000 + 100 + ((i * 37) % 10) * 10;
    const sample = {
      ...okSample('rpc-a', 100 + i, now, { network: 'steady', timestamp: Math.floor(T0 / 1000) + i }),
      txCount: 20 + (i % 5),
    };
    s = observeChain(s, [sample], network, now).state;
  }
  return { state: s, now };
}

test('/status network: says while learning that the configured stall applies, and once learnt what it was learnt from', () => {
  const early = polls(100);
  const lines = learntLines(chainView(early.state, network, early.now).learnt!, network);
  assert.deepEqual(lines, [
    "Halt alert after 10 s without a new block (configured; learning this chain's rhythm: 99 of 300 block advances)",
    'Slow-block alert above 2 s a block on average (a normal block here: 1 s, configured)',
    "Transactions: learning this chain's usual load",
  ]);
  const late = polls(3_100);
  const view = chainView(late.state, network, late.now);
  const [stall, , tx] = learntLines(view.learnt!, network);
  assert.equal(stall, 'Halt alert after 3 s without a new block, learnt from 3,099 block advances (configured 10 s)');
  assert.match(tx!, /^Transactions 2\d\.?\d? a block lately|^Transactions \d+ a block lately, usually \d+$/);
  const reply = renderNetworkDetail({ network, view, incident: null, silence: null }, [], late.now);
  assert.match(JSON.stringify(reply), /Halt alert after 3 s without a new block, learnt from 3,099 block advances/);
});

test('/metrics: the stall and block interval in force with their source, and transactions per block', async () => {
  const { state } = polls(3_100);
  const states: Record<string, NetworkState> = { steady: { ...initialNetworkState(), chain: state } };
  const store = {
    readStates: async () => new Map(Object.entries(states).map(([n, s]) => [n, { state: s, incident: null }])),
  } as unknown as IncidentStore;
  const metrics = new Metrics(scrapeState({ networks: [network], store, queues: [], clock: () => T0 + 3_100_000 }));
  const text = await metrics.registry.metrics();
  assert.match(text, /chainwatch_threshold_seconds\{network="steady",threshold="stall",source="learnt"\} 3\n/);
  assert.match(text, /chainwatch_threshold_seconds\{network="steady",threshold="block",source="learnt"\} 1\n/);
  assert.match(text, /chainwatch_transactions_per_block\{network="steady",stat="usual"\} 2\d(\.\d+)?\n/);
});
