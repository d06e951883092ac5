import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startFaultProxy, type FaultProxy } from '../../src/devnet/fault-proxy';
import type { NetworkState } from '../../src/engine';
import { startAnvil, type Anvil } from '../support/anvil';
import { spawnRole, type RoleProcess } from './support/processes';
import {
  tearDownDrill,
  assertDiscordOnceInOrder,
  assertGapFree,
  drillEnv,
  Observer,
  REDIS_URL,
  say,
  sleep,
  startFakes,
  writeConfig,
} from './support/rig';

/**
 * Drill: one of three RPC endpoints flaps, dead (connections dropped) and alive in turns of
 * 2-3 s, for 60 s, while a scheduler and two workers poll it every 500 ms; then it stays up.
 * Counted: incidents opened (one, for that endpoint), status flips in its timeline (recovery
 * hysteresis keeps them away while it flaps), network-level signals (none: the other two
 * endpoints see the chain advance), messages on Discord.
 */
const D = 'flapping-endpoint';
const network = 'flapnet';
const prefix = `cwdrill-${randomBytes(6).toString('hex')}`;
const FLAP_MS = 60_000;
let anvil: Anvil;
let proxies: FaultProxy[] = [];
let fakes: Awaited<ReturnType<typeof startFakes>>;
let observer: Observer;
const procs: RoleProcess[] = [];

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  proxies = await Promise.all([0, 1, 2].map(() => startFaultProxy(anvil.url)));
  fakes = await startFakes();
  observer = new Observer(REDIS_URL, prefix);
});

after(async () => {
  await tearDownDrill({ procs, observer, fakes });
  await Promise.all(proxies.map((p) => p.stop()));
  await anvil?.stop();
});

test('an endpoint dead and alive every 2-3 s for a minute: one incident, no flapping thread, no halt', { timeout: 200_000 }, async () => {
  const started = Date.now();
  const [a, b, c] = proxies as [FaultProxy, FaultProxy, FaultProxy];
  const config = writeConfig({
    redisUrl: REDIS_URL,
    prefix,
    network: `{ name: ${network}, displayName: Flapnet, chainId: 31337, blockTime: 1s, endpoints: [{ label: rpc-a, url: "${a.url}" }, { label: rpc-b, url: "${b.url}" }, { label: rpc-c, url: "${c.url}" }], thresholds: { pollInterval: 500ms, requestTimeout: 1s, stall: 5s, resolveAfter: 10s, safeLagBlocks: null } }`,
    discord: fakes.discord,
  });
  const env = drillEnv({ discord: fakes.discord });
  const scheduler = spawnRole('scheduler', 'scheduler', config, { ...env, LOG_LEVEL: 'info' });
  procs.push(scheduler, spawnRole('worker-1', 'worker', config, env), spawnRole('worker-2', 'worker', config, env));
  await scheduler.waitForOutput(/poll schedulers in place/, 30_000);
  while (!(await observer.store.readState(network))) await sleep(200);
  await sleep(2000);

  // Meanwhile, watch the evidence itself come and go in the correlator's state.
  let watching = true;
  let evidenceFlips = 0;
  const watcher = (async () => {
    let held = false;
    while (watching) {
      const s = await observer.store.readState<NetworkState>(network);
      const now = Boolean(s?.state.corr.conditions['endpoint_down:rpc-c']);
      if (now !== held) evidenceFlips++;
      held = now;
      await sleep(100);
    }
  })();
  const flapStart = Date.now();
  let deadTurns = 0;
  while (Date.now() - flapStart < FLAP_MS) {
    const dead = c.mode.kind === 'pass';
    c.setMode(dead ? { kind: 'refuse' } : { kind: 'pass' });
    if (dead) deadTurns++;
    await sleep(2000 + Math.random() * 1000);
  }
  c.setMode({ kind: 'pass' });
  const flapEnd = Date.now();
  watching = false;
  await watcher;
  assert.ok(evidenceFlips >= 10, `the endpoint_down evidence came and went (${evidenceFlips} changes)`);
  const duringFlap = await observer.current(network);
  assert.ok(duringFlap, 'the flapping endpoint opened an incident');
  say(
    D,
    `rpc-c dead ${deadTurns} times in ${((flapEnd - flapStart) / 1000).toFixed(0)} s (${c.requests} requests to it); the endpoint_down evidence appeared or cleared ${evidenceFlips} times; incident ${duringFlap.id} at seq ${duringFlap.seq}, ${duringFlap.status}`,
  );

  const resolved = await observer.waitForIncident(network, (i) => i.status === 'resolved', 60_000, 'the resolution once rpc-c stays up');
  const { pubs } = await observer.waitDelivered(resolved.id, ['discord'], 30_000);
  const timeline = await observer.store.getTimeline(resolved.id);
  const ids = await observer.incidentIds(network);
  assert.deepEqual(ids, [resolved.id], 'one incident for the whole minute of flapping');
  assertGapFree(timeline);
  assert.equal(resolved.kind, 'endpoint_down', 'an endpoint problem, not a network outage');
  assert.equal(resolved.severity, 'minor');
  const kinds = new Set(timeline.map((e) => e.kind));
  const signalKinds = Object.keys(resolved.signals ?? {});
  for (const k of ['halted', 'rpc_unreachable']) {
    assert.ok(!kinds.has(k as never) && !signalKinds.includes(k), `no ${k}`);
  }
  const flapEvents = timeline.filter((e) => e.at <= flapEnd && ['recovered', 'relapsed', 'reopened', 'resolved'].includes(e.type));
  assert.ok(flapEvents.length <= 2, `at most one recover/relapse pair while it flapped, got ${flapEvents.map((e) => e.type).join(', ')}`);
  assert.ok(timeline.length <= 6, `a short timeline: ${timeline.map((e) => e.type).join(', ')}`);
  const discord = assertDiscordOnceInOrder(fakes.discord, resolved.id, timeline, pubs.discord!.ids.threadId!);
  say(
    D,
    `timeline: ${timeline.length} events (${timeline.map((e) => `${e.type}${e.at <= flapEnd ? '' : ' (after)'}`).join(', ')}); ${flapEvents.length} status flips while flapping`,
  );
  say(
    D,
    `incidents: ${ids.length} (${resolved.kind}, ${resolved.severity}); no halted or rpc_unreachable; Discord: ${discord.roots} root + ${discord.threadMessages} thread messages`,
  );

  const codes = await Promise.all(procs.map((p) => p.stop()));
  assert.deepEqual(
    codes,
    procs.map(() => 0),
    'every process exits 0 on SIGTERM',
  );
  say(D, `done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
});
