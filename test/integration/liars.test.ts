import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Network } from '../../src/config/network';
import type { IncidentEvent } from '../../src/model';
import { startAnvil, type Anvil } from '../support/anvil';
import { startHostileRpc, type HostileMode, type HostileRpc } from '../support/hostile-rpc';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';

/**
 * No single witness decides (DESIGN principle 6), on real anvil nodes: each network has two
 * honest endpoints and one liar behind a hostile JSON-RPC server: a head frozen at block
 * 2^52−1, another chain (id 999, 500 blocks ahead), JSON-RPC ids that do not match, blocks
 * dated a day ahead. None of it is a halt or a lagging honest provider: each liar is one minor
 * incident that names it, and the time until it is named is measured.
 */
const LIARS: { net: string; mode: HostileMode; kinds: string[] }[] = [
  { net: 'liar-frozen', mode: 'frozen-far-ahead', kinds: ['endpoint_divergent'] },
  { net: 'liar-chain', mode: 'wrong-chain', kinds: ['endpoint_wrong_chain'] },
  { net: 'liar-ids', mode: 'wrong-id', kinds: ['endpoint_down'] },
  { net: 'liar-future', mode: 'future-timestamp', kinds: ['endpoint_divergent'] },
];
let anvil: Anvil;
let other: Anvil;
const liars: HostileRpc[] = [];
let pipe: TestPipeline;
let startedAt = 0;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  other = await startAnvil({ blockTime: 1, chainId: 999 });
  await other.rpc('anvil_mine', ['0x1f4']); // 500 blocks ahead of the honest chain
  const networks: Network[] = [];
  for (const { net, mode } of LIARS) {
    const liar = await startHostileRpc({ upstream: anvil.url, wrongChainUpstream: other.url, initialMode: mode });
    liars.push(liar);
    networks.push(
      testNetwork({
        name: net,
        chainId: 31337,
        blockTimeMs: 1000,
        endpoints: [
          { label: 'honest-a', url: anvil.url },
          { label: 'honest-b', url: anvil.url },
          { label: 'liar', url: liar.url },
        ],
        thresholds: {
          pollIntervalMs: 500,
          requestTimeoutMs: 1000,
          stallMs: 4000,
          endpointStuckMs: 4000,
          endpointLagBlocks: 3,
          endpointDownFailures: 3,
          confirmMs: 1000,
          resolveAfterMs: 2000,
          safeLagBlocks: null,
        },
      }),
    );
  }
  startedAt = Date.now();
  pipe = await startPipeline(networks);
});

after(async () => {
  await pipe?.stop();
  for (const l of liars) await l.close();
  await other?.stop();
  await anvil?.stop();
});

test('each liar is one minor incident naming it; no halt, no honest endpoint blamed', { timeout: 60_000 }, async () => {
  const opened = new Map<string, IncidentEvent>();
  for (const { net, kinds } of LIARS) {
    const e = await pipe.capture.waitFor((ev) => ev.type === 'opened' && ev.network === net, 30_000, `${net}: an incident`);
    opened.set(net, e);
    assert.ok(kinds.includes(e.kind), `${net}: ${e.kind} (${e.title})`);
    assert.equal(e.severity, 'minor', `${net}: minor`);
    assert.match(e.title, /\bliar\b/, `${net}: the title names the liar`);
  }
  // Let every network run on well past the stall threshold and the lag bound.
  await new Promise((r) => setTimeout(r, 8000));
  const events = pipe.capture.events;
  assert.deepEqual(
    events.filter((e) => e.kind === 'halted' || e.kind === 'rpc_unreachable'),
    [],
    'never a halt or an unreachable network',
  );
  const blamed = events.filter((e) => /honest-[ab]/.test(`${e.title} ${e.text}`));
  assert.deepEqual(
    blamed.map((e) => `${e.network}: ${e.title}`),
    [],
    'the honest endpoints are never blamed',
  );
  for (const { net } of LIARS) {
    const incidents = new Set(events.filter((e) => e.network === net).map((e) => e.incidentId));
    assert.equal(incidents.size, 1, `${net}: one incident`);
  }
  // The liar stays out of the view: the best head is the honest chain's, not 2^52−1 or chain 999's.
  const ok = pipe.samples.filter((s) => s.ok && s.endpoint === 'honest-a');
  const honestHead = Math.max(...ok.map((s) => (s.ok ? s.number : 0)));
  assert.ok(honestHead < 10_000, `the honest head is anvil's (${honestHead})`);
  const times = [...opened].map(([net, e]) => `${net} ${((e.at - startedAt) / 1000).toFixed(1)} s`);
  console.log(`# liar named after: ${times.join(', ')} (from pipeline start; polls every 500 ms)`);
});

test('a JSON-RPC answer with another id is an error naming the mismatch, never a head', async () => {
  await waitUntil(
    () => pipe.samples.some((s) => !s.ok && s.endpoint === 'liar' && /id/i.test(s.detail ?? s.message)),
    10_000,
    'a failed sample from the id liar',
  );
  const sample = pipe.samples.find((s) => !s.ok && s.endpoint === 'liar' && /id/i.test(s.detail ?? s.message))!;
  assert.ok(!sample.ok);
});
