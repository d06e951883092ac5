/**
 * The failover drill, written once for a Sentinel set and a Redis Cluster (one test file each
 * calls `failoverDrill`): a scheduler, two workers and a bot (`chainwatch start --role …`, each
 * its own process group) on the local topology, a real anvil chain and the fakes of Discord and
 * X. The chain halts; while a worker waits for Discord's answer to a thread message, the
 * primary that holds the network's keys is killed with SIGKILL (on the Cluster: the primary of
 * the network's slot). Counted: every event a worker had committed and logged before the kill
 * (its commit returned, which is after WAIT) is in the timeline afterwards; the timeline is
 * gap-free; every Discord and X post went out once; how long until a poll committed again, and
 * whether any worker had to be recreated (bullmq#3088). The bot then takes a moderator update.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { nonceFor } from '../../../src/discord/publisher';
import { Queue } from 'bullmq';
import { type Incident, keyspace, pollSchedulerId, type Publication, QUEUES, type Sink } from '../../../src/model';
import { IncidentStore } from '../../../src/store/incidents';
import { PublicationStore } from '../../../src/store/publications';
import type { RedisClient } from '../../../src/store/redis-client';
import { startAnvil, type Anvil } from '../../support/anvil';
import { startTopology, type TestTopology, type TopologyKind } from '../../support/redis';
import { spawnRole, type RoleProcess } from './processes';
import {
  assertDiscordOnceInOrder,
  assertGapFree,
  assertXChain,
  drillEnv,
  moderatorUpdate,
  say,
  sleep,
  startFakes,
  tearDownDrill,
  waitForBot,
  writeConfig,
} from './rig';

const X_MAX_POSTS = 8;
/** Polls must commit again within this after the kill (failover ~2-3 s with the harness' 1 s timeouts). */
export const RECOVERY_BOUND_MS = 30_000;

/** Incidents, timelines and publications read straight from the topology, through failovers. */
class TopologyObserver {
  readonly store: IncidentStore;
  readonly publications: PublicationStore;
  constructor(
    readonly redis: RedisClient,
    prefix: string,
  ) {
    this.store = new IncidentStore(redis, keyspace(prefix));
    this.publications = new PublicationStore(redis, keyspace(prefix));
  }

  /** The poll batch ids the network's state remembers (the newest 32): a new one is a committed poll. */
  async batches(network: string): Promise<string[]> {
    const raw = await this.redis.get(this.store.keys.networkState(network));
    return raw ? ((JSON.parse(raw) as { batches?: string[] }).batches ?? []) : [];
  }

  async waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = 'nothing yet';
    for (;;) {
      try {
        const v = await probe();
        if (v) return v;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last error: ${last})`);
      await sleep(100);
    }
  }

  async delivered(
    incidentId: string,
    sinks: Sink[],
    timeoutMs: number,
  ): Promise<{ incident: Incident; pubs: Record<string, Publication> }> {
    return this.waitFor(`delivery of ${incidentId} to ${sinks.join(', ')}`, timeoutMs, async () => {
      const incident = await this.store.getIncident(incidentId);
      if (!incident || (incident.status !== 'resolved' && incident.status !== 'dismissed')) return null;
      const pubs: Record<string, Publication> = {};
      for (const s of sinks) pubs[s] = await this.publications.read(s, incidentId);
      return sinks.every((s) => pubs[s]!.cursor >= incident.seq) ? { incident, pubs } : null;
    });
  }
}

/** A network name whose keys sit on the primary that holds BullMQ's `{prefix}` slot. */
async function sharingTheQueues(topology: TestTopology, prefix: string): Promise<string> {
  const keys = keyspace(prefix);
  const queues = (await topology.cluster!.primaryForKey(`${keys.bullPrefix}:chain-poll:wait`)).port;
  for (let i = 0; i < 100; i++) {
    const name = `fo-cluster-${i}`;
    if ((await topology.cluster!.primaryForKey(keys.networkState(name))).port === queues) return name;
  }
  throw new Error('no network name on the queues’ primary in 100 tries');
}

/** The events a worker logged as committed (commitStep logs each after the commit returned). */
function committedEvents(procs: readonly RoleProcess[], incidentId: string): string[] {
  const out: string[] = [];
  for (const p of procs) {
    for (const line of p.stderr().split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const l = JSON.parse(line) as { incident?: string; event?: string };
        if (l.incident === incidentId && l.event) out.push(l.event);
      } catch {
        // a partial line at the end of the buffer
      }
    }
  }
  return out;
}

/** Posts beyond the first of each: Discord messages of the incident sharing a nonce, X texts posted again. */
function duplicatePosts(
  fakes: Awaited<ReturnType<typeof startFakes>>,
  incidentId: string,
  threadId: string,
): { discord: number; x: number } {
  const roots = fakes.discord.messagesIn('200').filter((m) => m.nonce === nonceFor(incidentId, 'root'));
  const mine = [...roots, ...fakes.discord.messagesIn(threadId)];
  const texts = fakes.x.timeline().map((p) => p.text);
  return { discord: mine.length - new Set(mine.map((m) => String(m.nonce))).size, x: texts.length - new Set(texts).size };
}

/** `p`, or an error naming what never happened (a drill must fail, never hang). */
async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the chain-poll queue holds (counts, the network's Job Scheduler, active jobs), `afterMs` from now. */
async function pollQueueSnapshot(redis: RedisClient, prefix: string, network: string, afterMs: number): Promise<string> {
  await sleep(afterMs);
  const q = new Queue(QUEUES.chainPoll, { connection: redis, prefix: keyspace(prefix).bullPrefix });
  try {
    const [counts, schedulers, active] = await Promise.all([
      q.getJobCounts(),
      q.getJobSchedulers(),
      q.getJobs(['active', 'delayed', 'wait', 'prioritized']),
    ]);
    const scheduler = schedulers.find((s) => s.key === pollSchedulerId(network));
    const jobs = active.map((j) => `${j.id}@${j.processedOn ?? '-'}`).join(' ');
    return JSON.stringify({
      counts,
      scheduler: scheduler ? { next: scheduler.next, iterations: scheduler.iterationCount } : null,
      jobs,
      now: Date.now(),
    });
  } catch (err) {
    return `unreadable: ${(err as Error).message}`;
  } finally {
    await q.close().catch(() => undefined);
  }
}

function countOf(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

export interface FailoverFigures {
  kind: TopologyKind;
  failoverMs: number;
  /** From the kill to the first poll batch committed on the network again, as read from Redis. */
  firstPollAfterMs: number;
  committedBeforeKill: number;
  /** Commits before the kill whose WAIT timed out short of the replica (logged by the workers). */
  shortBeforeKill: number;
  lost: number;
  discordDuplicates: number;
  xDuplicates: number;
  xPosts: number;
  workersRecreated: number;
  reconnectLines: number;
}

/** Registers nothing itself: the drill file's test calls this and asserts on the figures. */
export async function runFailoverDrill(kind: Exclude<TopologyKind, 'single'>): Promise<FailoverFigures> {
  const D = `failover-${kind}`;
  const prefix = `cwdrill-${randomBytes(6).toString('hex')}`;
  let network = `fo-${kind}`;
  const procs: RoleProcess[] = [];
  let topology: TestTopology | undefined;
  let anvil: Anvil | undefined;
  let fakes: Awaited<ReturnType<typeof startFakes>> | undefined;
  let client: RedisClient | undefined;
  try {
    topology = await startTopology(kind);
    // On the Cluster, the killed primary holds both the network's keys and BullMQ's queues.
    if (topology.cluster) network = await sharingTheQueues(topology, prefix);
    anvil = await startAnvil({ blockTime: 1 });
    fakes = await startFakes();
    client = topology.connect();
    const observer = new TopologyObserver(client, prefix);
    const path = writeConfig({
      redisUrl: 'redis://placeholder',
      prefix,
      network: `{ name: ${network}, displayName: Failover, chainId: 31337, blockTime: 1s, endpoints: [{ label: rpc-a, url: "${anvil.url}" }], thresholds: { pollInterval: 500ms, requestTimeout: 1s, stall: 3s, criticalAfter: 8s, resolveAfter: 5s, safeLagBlocks: null } }`,
      discord: fakes.discord,
      x: { fake: fakes.x, maxPostsPerIncident: X_MAX_POSTS, minUpdateInterval: '1s' },
    });
    // The shared writer knows only `url`: the first line becomes this topology's section.
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.match(lines[0]!, /^redis: /);
    lines[0] = `redis: ${topology.redisYaml(prefix)}`;
    writeFileSync(path, lines.join('\n'));

    const env = drillEnv(fakes, { LOG_LEVEL: 'info' });
    const scheduler = spawnRole('scheduler', 'scheduler', path, env);
    const workers = [spawnRole('worker-1', 'worker', path, env), spawnRole('worker-2', 'worker', path, env)];
    const bot = spawnRole('bot', 'bot', path, env);
    procs.push(scheduler, ...workers, bot);
    await scheduler.waitForOutput(/poll schedulers in place/, 60_000);
    await observer.waitFor('first poll committed', 30_000, async () => (await observer.batches(network)).length > 0);
    await waitForBot(fakes.discord, 30_000);
    await sleep(1000);

    // The first thread message is answered 4 s late; the primary dies while its worker waits.
    const held = fakes.discord.hold({ method: 'POST', path: /^\/channels\/(?!200\/)\d+\/messages$/ }, 4000);
    await anvil.halt();
    say(D, 'chain halted');
    const opened = await observer.waitFor('the incident', 30_000, async () => (await observer.store.readState(network))?.incident);
    await withTimeout(held, 60_000, 'a Discord thread message of the incident (held 4 s) was never sent');
    const committed = committedEvents(workers, opened.id);
    // A commit whose WAIT fell short says so (once); none should have before the kill.
    const shortBeforeKill = workers.reduce((n, w) => n + (w.stderr().match(/replicas after WAIT/g) ?? []).length, 0);
    const batchesBefore = await observer.batches(network);
    const keyOwner =
      kind === 'cluster'
        ? (await topology.cluster!.primaryForKey(keyspace(prefix).networkState(network))).port
        : (await topology.sentinel!.primary()).port;
    const queueOnIt =
      kind === 'cluster'
        ? (await topology.cluster!.primaryForKey(`${keyspace(prefix).bullPrefix}:chain-poll:wait`)).port === keyOwner
        : true;
    if (kind === 'cluster') await topology.cluster!.kill(keyOwner);
    else await topology.sentinel!.killPrimary();
    const killedAt = performance.now();
    say(
      D,
      `killed the primary on ${keyOwner} ${kind === 'cluster' ? `(BullMQ's slot ${queueOnIt ? 'there too' : 'on another primary'})` : ''} with ${committed.length} events committed: ${committed.join(', ')}`,
    );

    const [failover, , firstPoll] = await Promise.all([
      kind === 'cluster' ? topology.cluster!.waitForFailover(keyOwner, 30_000) : topology.sentinel!.waitForFailover(30_000),
      // Diagnosis for a drill that fails: what the poll queue held when polls had not resumed.
      pollQueueSnapshot(client, prefix, network, 8000).then(async (snap) => {
        const resumed = (await observer.batches(network).catch(() => batchesBefore)).some((b) => !batchesBefore.includes(b));
        if (!resumed) say(D, `no poll 8 s after the kill: ${snap}`);
      }),
      observer.waitFor('a poll committed after the kill', RECOVERY_BOUND_MS, async () => {
        const now = await observer.batches(network);
        return now.some((b) => !batchesBefore.includes(b)) ? Math.round(performance.now() - killedAt) : null;
      }),
    ]);
    say(D, `failover in ${failover.ms} ms (to ${failover.promoted.port}); first poll committed ${firstPoll} ms after the kill`);

    await sleep(2000);
    await moderatorUpdate(fakes.discord, opened.id, 'Redis failed over; still watching', 30_000);
    await anvil.resume(1);
    const { incident, pubs } = await observer.delivered(opened.id, ['discord', 'x'], 120_000);
    const timeline = await observer.store.getTimeline(incident.id);
    assertGapFree(timeline);
    const stored = countOf(timeline.map((e) => e.type));
    let lost = 0;
    for (const [type, n] of countOf(committed)) lost += Math.max(0, n - (stored.get(type) ?? 0));
    const dups = duplicatePosts(fakes, incident.id, pubs.discord!.ids.threadId!);
    const discord = assertDiscordOnceInOrder(fakes.discord, incident.id, timeline, pubs.discord!.ids.threadId!);
    const xs = assertXChain(fakes.x, incident.id, pubs.x!, X_MAX_POSTS);
    assert.ok(
      timeline.some((e) => e.type === 'update' && e.text === 'Redis failed over; still watching'),
      'the bot took the moderator update',
    );
    const stderr = workers.map((w) => w.stderr()).join('\n');
    const figures: FailoverFigures = {
      kind,
      failoverMs: failover.ms,
      firstPollAfterMs: firstPoll,
      committedBeforeKill: committed.length,
      shortBeforeKill,
      lost,
      discordDuplicates: dups.discord,
      xDuplicates: dups.x,
      xPosts: xs.posts,
      workersRecreated: (stderr.match(/worker for [\w-]+ stuck: /g) ?? []).length,
      reconnectLines: (stderr.match(/is unreachable; retrying|Redis Cluster node .* failed|is reachable again/g) ?? []).length,
    };
    say(
      D,
      `timeline ${timeline.map((e) => e.type).join(', ')}; Discord 1 root + ${discord.threadMessages} thread messages; X ${xs.posts} posts; ${JSON.stringify(figures)}`,
    );
    const codes = await Promise.all(procs.map((p) => p.stop()));
    assert.deepEqual(
      codes,
      procs.map(() => 0),
      'every process exits 0 on SIGTERM',
    );
    return figures;
  } catch (err) {
    // Diagnosis: what the poll queue held when the drill failed.
    if (client) say(D, `failed; the poll queue: ${await pollQueueSnapshot(client, prefix, network, 0)}`);
    throw err;
  } finally {
    // DRILL_DUMP=file keeps every process' stderr (JSON log lines), passed or failed.
    if (process.env.DRILL_DUMP) writeFileSync(process.env.DRILL_DUMP, procs.map((p) => `== ${p.name}\n${p.stderr()}`).join('\n'));
    await tearDownDrill({ procs, ...(fakes ? { fakes } : {}), ...(anvil ? { anvil } : {}) });
    client?.disconnect();
    await topology?.stop();
  }
}
