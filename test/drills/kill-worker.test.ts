import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startAnvil, type Anvil } from '../support/anvil';
import type { HeldRequest as HeldDiscord } from '../support/fake-discord';
import type { HeldRequest as HeldX } from '../support/fake-x';
import { pidOfLocalPort, spawnRole, type RoleProcess } from './support/processes';
import {
  tearDownDrill,
  assertDiscordOnceInOrder,
  assertGapFree,
  assertXChain,
  drillEnv,
  moderatorUpdate,
  Observer,
  REDIS_URL,
  say,
  sleep,
  startFakes,
  waitForBot,
  writeConfig,
} from './support/rig';

/**
 * Drill: kill -9 a worker in the middle of a publish, once on each sink.
 * Three workers, a scheduler and a bot on one Redis. The fakes carry out the first X post and the
 * first Discord thread message but hold their answers; the worker that sent each (found by
 * its TCP port) is killed with SIGKILL while it waits, and a fresh worker takes its place.
 * The incident then runs on (critical, a moderator update through the bot, recovery,
 * resolution). Counted: one incident, one root and one message per event in the thread in
 * timeline order, one X root and a reply chain with every post once.
 */
const D = 'kill-worker';
const network = 'killnet';
const prefix = `cwdrill-${randomBytes(6).toString('hex')}`;
const X_MAX_POSTS = 10;
let anvil: Anvil;
let fakes: Awaited<ReturnType<typeof startFakes>>;
let observer: Observer;
const procs: RoleProcess[] = [];

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  fakes = await startFakes();
  observer = new Observer(REDIS_URL, prefix);
});

after(() => tearDownDrill({ procs, observer, fakes, anvil }));

test(
  'kill -9 of the worker mid-publish (X root, then a Discord thread message): every event arrives once, in order',
  { timeout: 240_000 },
  async () => {
    const started = Date.now();
    const config = writeConfig({
      redisUrl: REDIS_URL,
      prefix,
      network: `{ name: ${network}, displayName: Killnet, chainId: 31337, blockTime: 1s, endpoints: [{ label: rpc-a, url: "${anvil.url}" }], thresholds: { pollInterval: 500ms, requestTimeout: 1s, stall: 3s, criticalAfter: 8s, resolveAfter: 5s, safeLagBlocks: null } }`,
      discord: fakes.discord,
      x: { fake: fakes.x, maxPostsPerIncident: X_MAX_POSTS, minUpdateInterval: '1s' },
    });
    const env = drillEnv(fakes);
    const workers: RoleProcess[] = [];
    let spawned = 0;
    const worker = () => {
      // At info: the drill waits for "starting chainwatch"; DRILL_DUMP=<file> gets their output at the end.
      const w = spawnRole(`worker-${++spawned}`, 'worker', config, { ...env, LOG_LEVEL: 'info' });
      procs.push(w);
      workers.push(w);
      return w;
    };
    const scheduler = spawnRole('scheduler', 'scheduler', config, { ...env, LOG_LEVEL: 'info' });
    const bot = spawnRole('bot', 'bot', config, env);
    procs.push(scheduler, bot);
    // Three: each kill takes one, and one always survives, so the retry's delay is the dead
    // worker's delivery lock, not how long a replacement takes to start on a loaded machine.
    worker();
    worker();
    worker();
    await scheduler.waitForOutput(/poll schedulers in place/, 30_000);
    await waitForBot(fakes.discord, 30_000);
    // Both workers polling: the network has state.
    while (!(await observer.store.readState(network))) await sleep(200);
    await sleep(2000);

    // Arm both holds; the worker that sent each is known the moment it arrives.
    const sender = (port: number | undefined) =>
      port === undefined
        ? null
        : pidOfLocalPort(
            port,
            workers.map((w) => w.pid),
          );
    const xHeld = fakes.x.hold({ method: 'POST', path: '/2/tweets' }, 150_000).then((h: HeldX) => ({ h, pid: sender(h.remotePort) }));
    const dHeld = fakes.discord
      .hold({ method: 'POST', path: /^\/channels\/(?!200\/)\d+\/messages$/ }, 150_000)
      .then((h: HeldDiscord) => ({ h, pid: sender(h.remotePort) }));
    await anvil.halt();
    say(D, 'chain halted');

    const kills: string[] = [];
    const killedAt: Record<string, number> = {};
    const killSender = async (sink: string, held: { h: { path: string; release(): void }; pid: number | null }) => {
      const victim = workers.find((w) => w.pid === held.pid);
      assert.ok(victim, `found the worker that sent ${held.h.path} (pid ${held.pid})`);
      if (victim.child.exitCode === null && victim.child.signalCode === null) {
        await victim.kill9();
        killedAt[sink] = Date.now();
        kills.push(`${victim.name} (pid ${victim.pid}) during ${sink} ${held.h.path}`);
        say(D, `killed ${victim.name} with SIGKILL while its ${sink} request was in flight`);
        worker(); // a fresh worker takes its place, as a restart policy would
      } else {
        kills.push(`${sink} ${held.h.path} was sent by ${victim.name}, already killed`);
      }
    };
    const x = await withTimeout(xHeld, 30_000, 'the X root post at the fake');
    await killSender('X', x);
    const d = await withTimeout(
      dHeld,
      100_000,
      'the first Discord thread message at the fake (the delivery lock of a killed worker lasts its 10 s TTL)',
    );
    await killSender('Discord', d);

    const incident = await observer.waitForIncident(network, (i) => i.severity === 'critical', 30_000, 'critical');
    await moderatorUpdate(fakes.discord, incident.id, 'Sequencer restarted; watching block production.');
    say(D, 'moderator update sent through the bot');
    await anvil.resume(1);
    say(D, 'chain resumed; waiting for every event to reach Discord and X');
    const { pubs } = await observer.waitDelivered(incident.id, ['discord', 'x'], 180_000);
    x.h.release();
    d.h.release();

    const timeline = await observer.store.getTimeline(incident.id);
    assert.deepEqual(await observer.incidentIds(network), [incident.id], 'one incident');
    assertGapFree(timeline);
    for (const type of ['opened', 'severity_changed', 'update', 'recovered', 'resolved'] as const) {
      assert.ok(
        timeline.some((e) => e.type === type),
        `the timeline has ${type}`,
      );
    }
    const discord = assertDiscordOnceInOrder(fakes.discord, incident.id, timeline, pubs.discord!.ids.threadId!);
    const xs = assertXChain(fakes.x, incident.id, pubs.x!, X_MAX_POSTS);
    const creates = fakes.discord.requests.filter(
      (r) => r.method === 'POST' && /\/messages$/.test(r.path) && !r.path.startsWith('/webhooks'),
    );
    say(D, `killed: ${kills.join('; ')}`);
    // Kill -> the next delivery request a live worker makes for that sink (the retry): within
    // the dead worker's delivery lock (PUBLISH_LOCK_MS, 10 s) plus a poll, not BullMQ's minute.
    const nextAfter = (at: number | undefined, requests: { at: number; method: string; path: string }[], match: RegExp) =>
      at === undefined ? null : (requests.find((r) => r.at > at && match.test(`${r.method} ${r.path}`))?.at ?? Infinity) - at;
    const xRetryMs = nextAfter(killedAt.X, fakes.x.requests, /^(POST \/2\/tweets|GET \/2\/users\/\d+\/tweets)$/);
    const dRetryMs = nextAfter(killedAt.Discord, fakes.discord.requests, /^POST \/channels\/(?!200\/)\d+\/messages$/);
    say(D, `kill -> next delivery request: X ${xRetryMs} ms, Discord ${dRetryMs} ms`);
    if (process.env.DRILL_DUMP) {
      const killed = Object.entries(killedAt).map(([sink, at]) => `${sink} killed at ${new Date(at).toISOString()}`);
      writeFileSync(
        process.env.DRILL_DUMP,
        [killed.join('\n'), ...workers.map((w) => `== ${w.name}\n${w.stdout()}\n${w.stderr()}`)].join('\n'),
      );
    }
    for (const [sink, ms] of [
      ['X', xRetryMs],
      ['Discord', dRetryMs],
    ] as const) {
      if (ms !== null) assert.ok(ms <= 15_000, `${sink}: the retry came ${ms} ms after the kill (bound 15 s)`);
    }
    say(D, `timeline: ${timeline.length} events (${timeline.map((e) => e.type).join(', ')})`);
    say(
      D,
      `Discord: ${discord.roots} root + ${discord.threadMessages} thread messages for ${timeline.length - 1} later events, in order; ${creates.length} message POSTs answered (retries returned the first message by nonce)`,
    );
    const tweets = fakes.x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets').length;
    const lookups = fakes.x.requests.filter((r) => r.method === 'GET' && /^\/2\/users\/\d+\/tweets$/.test(r.path)).length;
    say(
      D,
      `X: ${xs.posts} posts, one chain (${xs.texts.map((t) => t.slice(0, 24)).join(' | ')}); ${tweets} POST /2/tweets, ${lookups} look-up of the account's own posts`,
    );

    // The survivors shut down cleanly, once each has started (a replacement may still be
    // loading on a busy machine, before it has a SIGTERM handler at all).
    const live = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    await Promise.all(workers.filter((w) => live.includes(w)).map((w) => w.waitForOutput(/"msg":"starting chainwatch"/, 90_000)));
    await sleep(1000);
    const codes = await Promise.all(live.map((p) => p.stop()));
    assert.deepEqual(
      codes,
      live.map(() => 0),
      'every surviving process exits 0 on SIGTERM',
    );
    say(D, `done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
);

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
