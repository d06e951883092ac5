/**
 * The inclusion probe through the whole pipeline (startChainwatch: scheduler, workers, publish)
 * on real Redis and a real anvil at 1 s blocks: probes land and their inclusion time reaches the
 * network state; then the only endpoint acknowledges raw transactions and drops them while
 * blocks keep coming → `inclusion_delay` opens an incident; transactions get in again → it
 * resolves. The figures the README quotes are printed from here.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { secretKey } from '../../src/config/probe';
import type { NetworkState } from '../../src/engine';
import { keyspace } from '../../src/model';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';
import { startSwallowingRpc, type SwallowingRpc } from '../support/swallowing-rpc';

/** anvil's dev account #5 (funded; tests only; no other test of the pipeline uses it). */
const DEV_KEY = '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba';
const DEADLINE_MS = 5000;
const CONFIRM_MS = 2000;

let anvil: Anvil;
let rpc: SwallowingRpc;
let pipe: TestPipeline;

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  rpc = await startSwallowingRpc(anvil.url);
  const network = testNetwork({
    name: 'probe-it',
    endpoints: [{ label: 'rpc-a', url: rpc.url }],
    thresholds: {
      pollIntervalMs: 250,
      requestTimeoutMs: 1000,
      stallMs: 10_000,
      confirmMs: CONFIRM_MS,
      resolveAfterMs: 2000,
      safeLagBlocks: null,
    },
    probe: {
      keyEnv: 'PROBE_KEY',
      key: secretKey(DEV_KEY),
      everyMs: 10_000,
      deadlineMs: DEADLINE_MS,
      maxDailyGasWei: (10n ** 17n).toString(),
    },
  });
  pipe = await startPipeline([network]);
});

after(async () => {
  await pipe?.stop();
  await rpc?.close();
  await anvil?.stop();
});

const probeState = async () => (await pipe.running.store.readState<NetworkState>('probe-it'))?.state.probe;

test('probes land and are timed; a chain that drops transactions while making blocks opens inclusion_delay, which resolves when they land again', async () => {
  await waitUntil(() => pipe.samples.filter((s) => s.ok).length >= 4, 10_000, 'first samples');
  // Included normally: the first probe goes out at the first tick.
  let included: number[] = [];
  const t0 = Date.now();
  while (included.length === 0 && Date.now() - t0 < 15_000) {
    included = (await probeState())?.recentMs ?? [];
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(included.length, 1, 'one probe included');
  assert.ok(included[0]! > 0 && included[0]! < 3000, `included ${included[0]} ms after submit at 1 s blocks`);
  assert.equal(pipe.capture.events.length, 0, 'a probe that lands opens nothing');
  const spentWei = (await pipe.running.redis.hget(keyspace(pipe.prefix).probe('probe-it'), 'spentWei'))!;
  assert.ok(BigInt(spentWei) >= 21_000n, 'its cost counted on the day');
  console.log(`# inclusion on anvil (1 s blocks): ${included[0]} ms submit → included; cost ${spentWei} wei (21,000 gas)`);

  // From now on the endpoint drops every raw transaction; blocks keep coming.
  rpc.swallow = true;
  const opened = await pipe.capture.waitFor((e) => e.type === 'opened', 40_000, 'opened');
  const state = await probeState();
  assert.ok(state?.pending, 'a probe in flight');
  assert.equal(opened.kind, 'inclusion_delay');
  assert.equal(opened.title, 'Transactions are not being included');
  assert.equal(opened.severity, 'major', 'it paid enough: the chain is not taking transactions');
  const sentAt = state.pending.sentAt;
  const toIncident = opened.at - sentAt;
  // Deadline, then the degraded kind's confirm, each met at a tick (every ~1.7 s).
  assert.ok(toIncident >= DEADLINE_MS + CONFIRM_MS, `opened ${toIncident} ms after the send`);
  assert.ok(toIncident < DEADLINE_MS + CONFIRM_MS + 4000, `opened ${toIncident} ms after the send`);
  assert.ok(rpc.swallowed >= 1);
  assert.ok((await anvil.blockNumber()) > 0);
  console.log(`# probe sent → incident opened: ${toIncident} ms (deadline ${DEADLINE_MS} ms + confirm ${CONFIRM_MS} ms)`);

  // Transactions get in again: the next tick rebroadcasts the same nonce and it lands.
  rpc.swallow = false;
  const resumedAt = Date.now();
  const recovered = await pipe.capture.waitFor((e) => e.type === 'recovered', 20_000, 'recovered');
  const resolved = await pipe.capture.waitFor((e) => e.type === 'resolved', 20_000, 'resolved');
  assert.equal(resolved.incidentId, opened.incidentId);
  const after = await probeState();
  // The late probe is the second inclusion (a third may already have followed: `every` counts from its first send).
  assert.ok(after!.recentMs.length >= 2, `${after!.recentMs.length} inclusions`);
  assert.ok(after!.recentMs[1]! >= DEADLINE_MS, `the late probe's time says how late it was (${after!.recentMs[1]} ms)`);
  console.log(
    `# swallowing stopped → probe included ${after!.recentMs[1]! - (resumedAt - sentAt)} ms, recovered ${recovered.at - resumedAt} ms, resolved ${resolved.at - resumedAt} ms`,
  );
  assert.deepEqual(
    pipe.capture.events.map((e) => e.seq),
    pipe.capture.events.map((_, i) => i + 1),
    'every event delivered once, in order',
  );
});
