import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startAnvil, type Anvil } from '../support/anvil';
import { spawnRole, type RoleProcess } from './support/processes';
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
 * Drill: Discord and X answer 429 and 5xx for two minutes while an incident runs its whole
 * course (critical, a moderator update through the bot, recovery, resolution, a relapse that
 * reopens it, recovery and resolution again). Every 15 s the answer switches: 429 with the
 * platform's headers and body (Discord: retry_after, X-RateLimit-*, scope; X:
 * x-rate-limit-reset), then 500, 429, 503 … Discord fails on every /channels route (posting,
 * editing, threads; interactions still answer, so moderators can act), X on every route.
 * Counted: the events queued and arrived once each, in order, once the APIs came back; X told
 * the story in at most the policy's posts (stale status flips coalesced away); how many
 * requests each API got during the outage.
 * Then a partial outage: only the edits of the incident's card fail (5xx) for longer than
 * Discord remembers a nonce (scaled from minutes to 10 s); each thread message is still posted
 * once (before the fix, every retry of the event posted it again once the nonce was forgotten).
 */
const D = 'api-outage';
const network = 'outnet';
const prefix = `cwdrill-${randomBytes(6).toString('hex')}`;
const OUTAGE_MS = 120_000;
const PHASE_MS = 15_000;
const X_MAX_POSTS = 6;
/** Discord remembers a nonce for "the past few minutes"; scaled down so that an outage outlasting it takes seconds. */
const NONCE_WINDOW_MS = 10_000;
const EDIT_OUTAGE_MS = 25_000;
let anvil: Anvil;
let fakes: Awaited<ReturnType<typeof startFakes>>;
let observer: Observer;
const procs: RoleProcess[] = [];

before(async () => {
  anvil = await startAnvil({ blockTime: 1 });
  fakes = await startFakes({ nonceWindowMs: NONCE_WINDOW_MS });
  observer = new Observer(REDIS_URL, prefix);
});

after(() => tearDownDrill({ procs, observer, fakes, anvil }));

test(
  'Discord and X answer 429 and 5xx for two minutes: events queue, then arrive once and in order; X coalesces',
  { timeout: 290_000 },
  async () => {
    const started = Date.now();
    const config = writeConfig({
      redisUrl: REDIS_URL,
      prefix,
      network: `{ name: ${network}, displayName: Outnet, chainId: 31337, blockTime: 1s, endpoints: [{ label: rpc-a, url: "${anvil.url}" }], thresholds: { pollInterval: 500ms, requestTimeout: 1s, stall: 3s, criticalAfter: 10s, resolveAfter: 8s, safeLagBlocks: null } }`,
      discord: fakes.discord,
      // The default update interval (20 min): status flips wait for it, and are coalesced away
      // once a later change makes them stale.
      x: { fake: fakes.x, maxPostsPerIncident: X_MAX_POSTS, minUpdateInterval: '20m' },
    });
    const env = drillEnv(fakes);
    const scheduler = spawnRole('scheduler', 'scheduler', config, { ...env, LOG_LEVEL: 'info' });
    procs.push(
      scheduler,
      spawnRole('worker-1', 'worker', config, env),
      spawnRole('worker-2', 'worker', config, env),
      spawnRole('bot', 'bot', config, env),
    );
    await scheduler.waitForOutput(/poll schedulers in place/, 30_000);
    await waitForBot(fakes.discord, 30_000);
    while (!(await observer.store.readState(network))) await sleep(200);
    await sleep(1500);

    // The incident goes public on both before the APIs fail.
    await anvil.halt();
    const opened = await observer.waitForIncident(network, () => true, 20_000, 'the incident');
    await waitCursor(observer, opened.id, 1, 20_000);
    say(D, `incident ${opened.id} public on Discord and X; the APIs now fail for ${OUTAGE_MS / 1000} s`);

    const outageStart = Date.now();
    const phase = () => Math.floor((Date.now() - outageStart) / PHASE_MS);
    const discordBefore = fakes.discord.requests.length;
    const xBefore = fakes.x.requests.length;
    fakes.discord.setFaults((_method, path) => {
      if (!path.startsWith('/channels/')) return undefined;
      const p = phase();
      if (p % 2 === 0) return { status: 429, retryAfterSec: 5, scope: p % 4 === 0 ? 'user' : 'shared' };
      return { status: p % 4 === 1 ? 500 : 503 };
    });
    fakes.x.setFaults(() => {
      const p = phase();
      return p % 2 === 0 ? { status: 429, resetInSec: 15 } : { status: p % 4 === 1 ? 500 : 503 };
    });
    const at = (ms: number) => sleep(Math.max(0, outageStart + ms - Date.now()));

    // The whole incident happens while nothing can be delivered.
    const critical = await observer.waitForIncident(network, (i) => i.severity === 'critical', 30_000, 'critical');
    await at(15_000);
    await moderatorUpdate(fakes.discord, critical.id, 'Sequencer restarting; blocks should resume within minutes.');
    say(D, 'moderator update sent through the bot during the outage');
    await at(25_000);
    await anvil.resume(1);
    await observer.waitForIncident(network, (i) => i.status === 'resolved', 40_000, 'the first resolution');
    await at(50_000);
    await anvil.halt();
    await observer.waitForIncident(network, (i) => i.reopened === 1, 20_000, 'the relapse reopening it');
    say(D, 'resolved, then reopened by a relapse, during the outage');
    await at(70_000);
    await anvil.resume(1);
    await observer.waitForIncident(network, (i) => i.status === 'resolved' && i.reopened === 1, 40_000, 'the second resolution');
    const queued = (await observer.current(network))!.seq;
    const cursorsDuring = {
      discord: (await observer.publications.read('discord', opened.id)).cursor,
      x: (await observer.publications.read('x', opened.id)).cursor,
    };
    assert.deepEqual(cursorsDuring, { discord: 1, x: 1 }, 'nothing got through during the outage');
    await at(OUTAGE_MS);
    fakes.discord.setFaults(null);
    fakes.x.setFaults(null);
    const back = Date.now();
    const discordDuring = fakes.discord.requests
      .slice(discordBefore)
      .filter((r) => r.at >= outageStart && r.at < back && r.path.startsWith('/channels/'));
    const xDuring = fakes.x.requests.slice(xBefore).filter((r) => r.at >= outageStart && r.at < back);
    say(D, `APIs back after ${((back - outageStart) / 1000).toFixed(0)} s; ${queued} events, ${queued - 1} queued`);

    const { incident, pubs } = await observer.waitDelivered(opened.id, ['discord', 'x'], 150_000);
    const caughtUpS = (Date.now() - back) / 1000;
    const timeline = await observer.store.getTimeline(incident.id);
    assert.deepEqual(await observer.incidentIds(network), [incident.id], 'one incident (the relapse reopened it)');
    assertGapFree(timeline);
    const types = timeline.map((e) => e.type);
    for (const type of ['severity_changed', 'update', 'recovered', 'resolved', 'reopened'] as const)
      assert.ok(types.includes(type), `the timeline has ${type}`);
    const discord = assertDiscordOnceInOrder(fakes.discord, incident.id, timeline, pubs.discord!.ids.threadId!);
    const xs = assertXChain(fakes.x, incident.id, pubs.x!, X_MAX_POSTS);
    const skipped = Object.entries(pubs.x!.ids)
      .filter(([k]) => k.startsWith('skipped_'))
      .map(([k, v]) => `${k.slice(8)}:${v}`);
    assert.ok(
      skipped.some((s) => s.endsWith(':superseded')),
      'stale status flips were coalesced away',
    );
    const failedOnDiscord = Object.keys(pubs.discord!.ids).filter((k) => k.startsWith('failed_'));
    assert.deepEqual(failedOnDiscord, [], 'no event given up on Discord');
    // Well under Discord's invalid-request limit (10,000 per 10 minutes of 401/403/429).
    assert.ok(discordDuring.length < 600, `${discordDuring.length} requests to Discord during the outage`);
    assert.ok(caughtUpS < 90, `caught up ${caughtUpS.toFixed(0)} s after the APIs came back`);

    const tally = (rs: { status: number }[]) =>
      Object.entries(rs.reduce<Record<number, number>>((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {}))
        .map(([s, n]) => `${n}×${s}`)
        .join(' ');
    say(D, `timeline: ${timeline.length} events (${types.join(', ')})`);
    say(
      D,
      `during the ${OUTAGE_MS / 1000} s outage: Discord got ${discordDuring.length} requests (${tally(discordDuring)}), X got ${xDuring.length} (${tally(xDuring)})`,
    );
    say(D, `caught up ${caughtUpS.toFixed(1)} s after the APIs came back`);
    say(D, `Discord: ${discord.roots} root + ${discord.threadMessages} thread messages, once each, in timeline order`);
    say(D, `X: ${xs.posts} posts (max ${X_MAX_POSTS}) for ${timeline.length} events, one chain; skipped ${skipped.join(', ')}`);

    say(D, `done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
);

test(
  'only the card edits fail (5xx), for longer than Discord remembers a nonce: each thread message is still posted once',
  { timeout: 150_000 },
  async () => {
    const started = Date.now();
    const before = (await observer.current(network))!;
    assert.equal(before.status, 'resolved', 'the first test left the incident resolved');
    const threadId = (await observer.publications.read('discord', before.id)).ids.threadId!;
    // Only PATCH of the root message in the alerts channel fails; posts in the thread go through.
    const editFails = Date.now();
    fakes.discord.setFaults((method, path) =>
      method === 'PATCH' && /^\/channels\/200\/messages\/\d+$/.test(path) ? { status: Date.now() % 2 ? 500 : 503 } : undefined,
    );
    await anvil.halt();
    await observer.waitForIncident(network, (i) => i.reopened === 2, 20_000, 'the second relapse');
    say(
      D,
      `relapsed again; card edits fail with 5xx for ${EDIT_OUTAGE_MS / 1000} s, over twice the ${NONCE_WINDOW_MS / 1000} s nonce window`,
    );
    await sleep(Math.max(0, editFails + EDIT_OUTAGE_MS - Date.now()));
    fakes.discord.setFaults(null);
    await anvil.resume(1);
    const { incident, pubs } = await observer.waitDelivered(before.id, ['discord', 'x'], 120_000);
    const timeline = await observer.store.getTimeline(incident.id);
    assertGapFree(timeline);
    const discord = assertDiscordOnceInOrder(fakes.discord, incident.id, timeline, threadId);
    const edits = fakes.discord.requests.filter(
      (r) => r.method === 'PATCH' && r.at >= editFails && r.path.startsWith('/channels/200/messages/'),
    );
    const xs = assertXChain(fakes.x, incident.id, pubs.x!, X_MAX_POSTS);
    say(
      D,
      `timeline now ${timeline.length} events; Discord: ${discord.threadMessages} thread messages, once each, in order, after ${edits.filter((r) => r.status >= 500).length} failed card edits; X: still ${xs.posts} posts (cap reached, resolution told)`,
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

async function waitCursor(observer: Observer, incidentId: string, seq: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [d, x] = await Promise.all([observer.publications.read('discord', incidentId), observer.publications.read('x', incidentId)]);
    if (d.cursor >= seq && x.cursor >= seq) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for seq ${seq} on Discord (${d.cursor}) and X (${x.cursor})`);
    await sleep(200);
  }
}
