import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../../src/devnet/anvil';
import { startAnvil, type Anvil } from '../support/anvil';
import { startComposeRedis, type ComposeRedis } from './support/compose-redis';
import { spawnRole, type RoleProcess } from './support/processes';
import {
  tearDownDrill,
  assertDiscordOnceInOrder,
  assertGapFree,
  assertXChain,
  drillEnv,
  Observer,
  say,
  sleep,
  startFakes,
  writeConfig,
} from './support/rig';

/**
 * Drill: Redis restarts in the middle of an incident, configured as docker-compose.yml
 * configures it (appendonly yes, appendfsync everysec, noeviction: the flags are read from the
 * file). A scheduler and two workers run against a private redis-server; while a worker waits
 * for Discord's answer to a thread message, Redis is shut down (SHUTDOWN, as `docker compose
 * stop` does) and started again on the same port and directory a few seconds later.
 * Counted: the timeline is gap-free from opened to resolved, and every event reached Discord
 * and X once, in order.
 */
const D = 'redis-restart';
const network = 'aofnet';
const prefix = `cwdrill-${randomBytes(6).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'cw-drill-redis-'));
let redis: ComposeRedis;
let anvil: Anvil;
let fakes: Awaited<ReturnType<typeof startFakes>>;
let observer: Observer;
const procs: RoleProcess[] = [];

before(async () => {
  redis = await startComposeRedis(dir, await freePort());
  anvil = await startAnvil({ blockTime: 1 });
  fakes = await startFakes();
  observer = new Observer(redis.url, prefix);
});

after(async () => {
  // The private Redis is thrown away whole: no keys to delete.
  await tearDownDrill({ procs, observer, fakes, anvil, keepKeys: true });
  redis?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'Redis SHUTDOWN and restart mid-incident with the compose AOF settings: no event lost, none posted twice',
  { timeout: 180_000 },
  async () => {
    const started = Date.now();
    assert.deepEqual(
      redis.flags,
      ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
      'docker-compose.yml configures AOF as the drill expects',
    );
    const config = writeConfig({
      redisUrl: redis.url,
      prefix,
      network: `{ name: ${network}, displayName: Aofnet, chainId: 31337, blockTime: 1s, endpoints: [{ label: rpc-a, url: "${anvil.url}" }], thresholds: { pollInterval: 500ms, requestTimeout: 1s, stall: 3s, criticalAfter: 8s, resolveAfter: 5s, safeLagBlocks: null } }`,
      discord: fakes.discord,
      x: { fake: fakes.x, maxPostsPerIncident: 6, minUpdateInterval: '1s' },
    });
    const env = drillEnv(fakes);
    const scheduler = spawnRole('scheduler', 'scheduler', config, { ...env, LOG_LEVEL: 'info' });
    const workers = [spawnRole('worker-1', 'worker', config, env), spawnRole('worker-2', 'worker', config, env)];
    procs.push(scheduler, ...workers);
    await scheduler.waitForOutput(/poll schedulers in place/, 30_000);
    while (!(await observer.store.readState(network))) await sleep(200);
    await sleep(1500);

    // The first thread message (the escalation to critical) is answered 4 s late: Redis goes
    // down while the worker that sent it waits, so it records the delivery across the restart.
    const held = fakes.discord.hold({ method: 'POST', path: /^\/channels\/(?!200\/)\d+\/messages$/ }, 4000);
    await anvil.halt();
    say(D, 'chain halted');
    const opened = await observer.waitForIncident(network, () => true, 20_000, 'the incident');
    await held;
    const before = await observer.store.getTimeline(opened.id);
    await redis.shutdown();
    const downAt = Date.now();
    say(D, `Redis shut down at seq ${before.length} (${before.map((e) => e.type).join(', ')}) while a Discord post was in flight`);
    await sleep(4000);
    redis = await startComposeRedis(dir, redis.port);
    say(D, `Redis restarted on the same port and directory after ${((Date.now() - downAt) / 1000).toFixed(1)} s`);
    assert.ok(
      existsSync(join(dir, 'appendonlydir')) && readdirSync(join(dir, 'appendonlydir')).some((f) => f.endsWith('.aof')),
      'the AOF is on disk',
    );
    const reloaded = await observer.store.getTimeline(opened.id);
    assert.deepEqual(
      reloaded.map((e) => e.seq),
      before.map((e) => e.seq),
      'every event written before the shutdown came back from the AOF',
    );

    // Halted a little longer after the restart, then the chain comes back.
    await sleep(3000);
    await anvil.resume(1);
    const { incident, pubs } = await observer.waitDelivered(opened.id, ['discord', 'x'], 120_000);

    const timeline = await observer.store.getTimeline(incident.id);
    assert.deepEqual(await observer.incidentIds(network), [incident.id], 'one incident');
    assertGapFree(timeline);
    for (const type of ['opened', 'severity_changed', 'recovered', 'resolved'] as const)
      assert.ok(
        timeline.some((e) => e.type === type),
        `the timeline has ${type}`,
      );
    const discord = assertDiscordOnceInOrder(fakes.discord, incident.id, timeline, pubs.discord!.ids.threadId!);
    const xs = assertXChain(fakes.x, incident.id, pubs.x!, 6);
    const reconnected = workers.filter((w) => /is unreachable; retrying/.test(w.stderr())).length;
    assert.equal(reconnected, 2, 'both workers saw Redis go away and came back');
    say(D, `timeline: ${timeline.length} events (${timeline.map((e) => e.type).join(', ')}), seqs 1..${timeline.length} with no gap`);
    say(
      D,
      `Discord: ${discord.roots} root + ${discord.threadMessages} thread messages, once each, in order; X: ${xs.posts} posts in one chain`,
    );

    const codes = await Promise.all(procs.map((p) => p.stop()));
    assert.deepEqual(
      codes,
      procs.map(() => 0),
      'every process exits 0 on SIGTERM',
    );
    say(D, `done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
);
