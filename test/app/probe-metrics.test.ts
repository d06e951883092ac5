/** /metrics gauges of the inclusion probe, read from the network state as a scrape reads them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrapeState } from '../../src/app/observability';
import { secretKey } from '../../src/config/probe';
import { initialNetworkState, type NetworkState } from '../../src/engine';
import { Metrics } from '../../src/http/metrics';
import type { IncidentStore } from '../../src/store/incidents';
import { testNetwork } from '../support/network';

const NOW = Date.UTC(2026, 11, 1, 12);
const probe = { keyEnv: 'K', key: secretKey(`0x${'11'.repeat(32)}`), everyMs: 300_000, deadlineMs: 30_000, maxDailyGasWei: '1' };

function metricsOf(states: Record<string, NetworkState>, networks = [testNetwork({ name: 'base', probe }), testNetwork({ name: 'op' })]) {
  const store = {
    readStates: async () => new Map(Object.entries(states).map(([n, state]) => [n, { state, incident: null }])),
  } as unknown as IncidentStore;
  return new Metrics(scrapeState({ networks, store, queues: [], clock: () => NOW }));
}

test('last and median submit → included seconds, and the age of the probe in flight', async () => {
  const state: NetworkState = {
    ...initialNetworkState(),
    probe: {
      pending: { nonce: 9, hash: '0xab', sentAt: NOW - 45_000, sentHead: 10, pricedOut: false, baseFeeGwei: 1, maxFeeGwei: 3, held: null },
      last: { hash: '0xaa', block: 9, sentAt: NOW - 400_000, includedAt: NOW - 398_500 },
      recentMs: [1000, 2000, 1500],
      paused: null,
    },
  };
  const text = await metricsOf({ base: state }).registry.metrics();
  assert.match(text, /chainwatch_probe_inclusion_seconds\{network="base",stat="last"\} 1\.5\n/);
  assert.match(text, /chainwatch_probe_inclusion_seconds\{network="base",stat="median"\} 1\.5\n/);
  assert.match(text, /chainwatch_probe_pending_seconds\{network="base"\} 45\n/);
  assert.doesNotMatch(text, /chainwatch_probe_\w+\{network="op"/, 'a network without a probe has no probe series');
});

test('before any probe landed: no inclusion series, nothing in flight', async () => {
  const text = await metricsOf({}).registry.metrics();
  assert.doesNotMatch(text, /chainwatch_probe_inclusion_seconds\{/);
  assert.match(text, /chainwatch_probe_pending_seconds\{network="base"\} 0\n/);
});
