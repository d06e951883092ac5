/**
 * Discord latency, end to end, with the real discord.js / @discordjs/rest clients talking to the
 * local fake Discord API (test/support/fake-discord) over loopback, on the real Redis.
 *
 * 1. discord_event_to_message_ms: chainwatch `--role worker` (publish workers, no poll
 *    scheduler). This script commits IncidentEvents itself through `IncidentStore.apply` (20
 *    halted networks opened through evaluateChain, then ack, 8 updates and resolve through
 *    applyAction, as the bot's ActionService does) and asks the outbox to publish after each
 *    commit, as chain-poll does. Measured: wall clock right after `store.apply` returns → the
 *    fake receiving the matching POST (root message for `opened`, thread message for the rest;
 *    matched by nonce). Resolution is 1 ms (the fake stamps requests with Date.now()).
 *    Compared with the bare BullMQ add → processor latency of an empty job on the same Redis.
 *
 *    Pacing: one event is committed at a time, round-robin over the networks, 45–75 ms apart
 *    (so one incident sees an event every ~1.2 s). Every event costs two Discord requests (the
 *    message, then the edit of the root embed; opening: root + thread), and @discordjs/rest
 *    holds to Discord's 50 requests/s global limit — the publisher's client rejects instead of
 *    waiting, which delays the job — so events closer than ~40 ms apart would measure that
 *    limit (a backlog), not latency. `--gap-ms MIN-MAX` changes the pacing.
 *
 * 2. discord_status_reply_ms: chainwatch `--role bot` with 50 networks (10 halted with an open,
 *    published incident, one silenced), `/status` sent 30 times one after another: from
 *    `fake.interact()` to the PATCH of `@original`, and to the deferral callback (Discord's
 *    deadline for that one is 3 s). The reply is checked against the embed limits.
 *
 * Prints one JSON object per figure on stdout, then a table on stderr. Stops by itself (hard
 * limit 150 s), deletes its Redis keys (random prefix, never FLUSHALL).
 * Run: npx tsx bench/discord.ts [--gap-ms 45-75]
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { APIEmbed } from 'discord-api-types/v10';
import pino from 'pino';
import { startChainwatch, type Running } from '../src/app/start';
import type { AppConfig } from '../src/config';
import type { Network } from '../src/config/network';
import { applyAction, type ModeratorAction } from '../src/engine/actions';
import { step, initialNetworkState, type NetworkState } from '../src/engine';
import { SilenceStore } from '../src/store/silences';
import type { ApplyResult } from '../src/store/incidents';
import { type Incident, keyspace, PUBLISH_QUEUE, type Sink } from '../src/model';
import type { Logger } from '../src/util/log';
import { EMBED_DESCRIPTION_MAX, EMBEDS_TOTAL_MAX, embedsLength, MESSAGE_EMBEDS_MAX } from '../src/discord/limits';
import { nonceFor } from '../src/discord/publisher';
import { PublishOutbox, type PublishJobData } from '../src/queue/outbox';
import { PublicationStore } from '../src/store/publications';
import { createRedis } from '../src/queue/connections';
import { okSample } from '../test/engine/detectors/builders';
import { startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../test/support/fake-discord';
import { testNetwork } from '../test/support/network';
import { deleteKeys, REDIS_URL } from '../test/support/pipeline';
import { fakeDiscordConfig, sleep, stats, type Stats } from './lib';

const HARD_LIMIT_MS = 150_000;
const EVENT_NETWORKS = 20;
const UPDATES_PER_INCIDENT = 8;
const STATUS_NETWORKS = 50;
const STATUS_ROUNDS = 30;
const BULLMQ_JOBS = 200;
const DEFER_DEADLINE_MS = 3000;

const gapArg = process.argv.indexOf('--gap-ms');
const [GAP_MIN, GAP_MAX] = (gapArg > 0 ? process.argv[gapArg + 1]! : '45-75').split('-').map(Number) as [number, number?];
const gapMin = GAP_MIN;
const gapMax = GAP_MAX ?? GAP_MIN;
if (!(gapMin >= 0 && gapMax >= gapMin)) throw new Error('--gap-ms wants MIN-MAX in ms, e.g. 45-75');

/** `npm run bench` passes its own prefix, so its cleanup covers this process's keys too. */
const prefix = process.env.CWBENCH_PREFIX ?? `cwbench-${randomBytes(6).toString('hex')}`;
const keys = keyspace(prefix);
const gap = () => sleep(gapMin + Math.random() * (gapMax - gapMin));

/** Warnings of chainwatch are counted (rate limits, failed jobs), not printed. */
const warnings = { rateLimited: 0, jobFailed: 0, other: [] as string[] };
const log: Logger = pino(
  { level: 'warn' },
  {
    write(line: string) {
      const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      if (msg.includes('rate limited')) warnings.rateLimited++;
      else if (msg === 'job failed') warnings.jobFailed++;
      else if (warnings.other.length < 5) warnings.other.push(line.trim());
    },
  },
);

// ---------------------------------------------------------------------------------------------

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Opens a halted-network incident the way the seed in test/bot/support.ts does: two endpoints
 * polled every 5 s of simulated time, the head stuck for the last minute, each poll through
 * evaluateChain in one store.apply. Stops at the step that opens the incident.
 */
async function openHalted(
  running: Running,
  network: Network,
  onCommit?: (r: ApplyResult<NetworkState>) => Promise<void>,
  opts: { halted?: boolean; until?: 'opened' | 'end' } = {},
): Promise<Incident | null> {
  const halted = opts.halted ?? true;
  const now = Date.now();
  const from = now - 120_000;
  const haltAt = now - 60_000;
  for (let t = from; t <= now; t += 5000) {
    const seen = halted ? Math.min(t, haltAt) : t;
    const n = 1000 + Math.floor((seen - from) / 1000);
    const samples = ['rpc-a', 'rpc-b'].map((ep) => okSample(ep, n, t, { network: network.name, timestamp: Math.floor(seen / 1000) }));
    const result = await running.store.apply<NetworkState>(network.name, `bench-seed-${t}`, initialNetworkState, (state) =>
      step(state, { type: 'poll', samples: samples }, network, t),
    );
    await onCommit?.(result);
    if ((opts.until ?? 'opened') === 'opened' && result.events.some((e) => e.type === 'opened')) return result.incident;
  }
  return (await running.store.readState<NetworkState>(network.name))?.incident ?? null;
}

// ---------------------------------------------------------------------------------------------
// Reference: BullMQ add → processor for an empty job, same Redis, same prefix.

async function bullmqEmptyJob(): Promise<Stats> {
  const redis = createRedis(REDIS_URL, log);
  const connection = { connection: redis, prefix: keys.bullPrefix };
  const queue = new Queue('bench-empty', { ...connection, defaultJobOptions: { removeOnComplete: true, removeOnFail: true } });
  const addedAt = new Map<string, number>();
  const lat: number[] = [];
  const worker = new Worker(
    'bench-empty',
    async (job) => {
      lat.push(performance.now() - addedAt.get(job.id!)!);
    },
    { ...connection, concurrency: 1 },
  );
  try {
    await worker.waitUntilReady();
    const warmup = 20;
    for (let i = 0; i < BULLMQ_JOBS + warmup; i++) {
      const id = `empty-${i}`;
      const before = lat.length;
      addedAt.set(id, performance.now());
      await queue.add('empty', {}, { jobId: id });
      await waitFor(() => lat.length > before, 5000, `empty job ${i}`);
      await sleep(5 + Math.random() * 10); // an idle worker, as the publish workers are between events
    }
    return stats(lat.slice(warmup), 2);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

// ---------------------------------------------------------------------------------------------
// Figure 1: IncidentEvent committed → Discord POST.

interface Committed {
  incidentId: string;
  seq: number;
  type: string;
  at: number;
  nonce: string;
}

async function eventToMessage(): Promise<Record<string, unknown>> {
  const fake = await startFakeDiscord();
  const networks = Array.from({ length: EVENT_NETWORKS }, (_, i) =>
    testNetwork({ name: `ev-${String(i + 1).padStart(2, '0')}`, displayName: `Event Net ${i + 1}` }),
  );
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 4 },
    networks,
    discord: fakeDiscordConfig(fake),
  };
  let running: Running | null = null;
  let queue: Queue<PublishJobData> | null = null;
  try {
    running = await startChainwatch(config, { role: 'worker', log });
    const r = running;
    // The outbox as chain-poll and the bot use it: same queue name, prefix and job options as
    // start.ts (its defaults are not exported; keep these in step).
    queue = new Queue<PublishJobData>(PUBLISH_QUEUE.discord, {
      connection: r.redis,
      prefix: keys.bullPrefix,
      defaultJobOptions: {
        removeOnComplete: { count: 200 },
        removeOnFail: { count: 1000, age: 7 * 24 * 3600 },
        attempts: 900,
        backoff: { type: 'capped' },
      },
    });
    const outbox = new PublishOutbox(new Map<Sink, Queue<PublishJobData>>([['discord', queue]]), new PublicationStore(r.redis, keys));

    const reference = await bullmqEmptyJob();

    const committed: Committed[] = [];
    const onCommit = async (result: ApplyResult<NetworkState>) => {
      const at = Date.now();
      for (const e of result.events) {
        committed.push({
          incidentId: e.incidentId,
          seq: e.seq,
          type: e.type,
          at,
          nonce: nonceFor(e.incidentId, e.type === 'opened' ? 'root' : `e${e.seq}`),
        });
      }
      if (result.incident) await outbox.notify(result.incident);
    };
    const act = async (incidentId: string, network: string, action: ModeratorAction, k: number) => {
      const result = await r.store.apply<NetworkState>(network, `act-bench-${incidentId}-${k}`, initialNetworkState, (state) => {
        const out = applyAction(state.corr, incidentId, action, Date.now());
        if (!out.ok) throw new Error(`${action.type} on ${incidentId} refused: ${out.reason}`);
        return { state: { ...state, corr: out.state }, events: out.events, incident: out.state.incident };
      });
      await onCommit(result);
    };

    const firstRequest = fake.requests.length;
    const started = Date.now();
    const incidents: { id: string; network: string }[] = [];
    for (const network of networks) {
      const incident = await openHalted(r, network, onCommit);
      if (!incident) throw new Error(`${network.name}: no incident opened`);
      if (incident.status === 'suspected') throw new Error(`${network.name}: opened as suspected; it would not be posted`);
      incidents.push({ id: incident.id, network: network.name });
      await gap();
    }
    const actions: ModeratorAction[] = [
      { type: 'ack', by: 'mod-bench' },
      ...Array.from({ length: UPDATES_PER_INCIDENT }, (_, i): ModeratorAction => ({
        type: 'update',
        by: 'mod-bench',
        text: `Update ${i + 1}: the sequencer operator is restarting the node with more memory; blocks are expected within minutes. Next update in 10 min.`,
      })),
      { type: 'resolve', by: 'mod-bench', reason: 'blocks are produced again' },
    ];
    for (const [k, action] of actions.entries()) {
      for (const inc of incidents) {
        await act(inc.id, inc.network, action, k);
        await gap();
      }
    }
    const driveMs = Date.now() - started;

    // Every event's POST, by nonce (the first 2xx one; a repeat would be a duplicate delivery).
    const posts = () => {
      const byNonce = new Map<string, RecordedRequest[]>();
      for (const q of fake.requests) {
        const nonce = q.method === 'POST' ? (q.body as { nonce?: unknown } | undefined)?.nonce : undefined;
        if (typeof nonce === 'string' && q.status < 300) byNonce.set(nonce, [...(byNonce.get(nonce) ?? []), q]);
      }
      return byNonce;
    };
    await waitFor(
      () => {
        const p = posts();
        return committed.every((c) => p.has(c.nonce));
      },
      30_000,
      'every event to reach the fake Discord',
    ).catch((err: Error) => console.error(`bench/discord: ${err.message}`));
    const byNonce = posts();
    const lat: number[] = [];
    const rootLat: number[] = [];
    const threadLat: number[] = [];
    let unmatched = 0;
    let wrongChannel = 0;
    for (const c of committed) {
      const q = byNonce.get(c.nonce)?.[0];
      if (!q) {
        unmatched++;
        continue;
      }
      const isRoot = c.type === 'opened';
      if (isRoot ? q.path !== '/channels/200/messages' : q.path === '/channels/200/messages') wrongChannel++;
      const ms = q.at - c.at;
      lat.push(ms);
      (isRoot ? rootLat : threadLat).push(ms);
    }
    const duplicates = [...byNonce.values()].filter((qs) => qs.length > 1).length;
    const window = fake.requests.slice(firstRequest).filter((q) => q.at >= started && q.at <= started + driveMs);
    const s = stats(lat);
    return {
      name: 'discord_event_to_message_ms',
      value: s.median,
      unit: 'ms',
      median: s.median,
      p95: s.p95,
      max: s.max,
      count: s.count,
      events: committed.length,
      unmatched,
      wrongChannel,
      duplicatePosts: duplicates,
      root: stats(rootLat),
      thread: stats(threadLat),
      networks: EVENT_NETWORKS,
      gapMs: [gapMin, gapMax],
      driveMs,
      discordRequestsPerSec: Math.round(window.length / (driveMs / 1000)),
      rateLimited: warnings.rateLimited,
      jobFailed: warnings.jobFailed,
      compare: { name: 'bullmq_empty_job_ms', median: reference.median, p95: reference.p95, max: reference.max, count: reference.count },
    };
  } finally {
    await queue?.close().catch(() => {});
    await running?.stop().catch((err: Error) => console.error(`bench/discord: stopping the worker: ${err.message}`));
    await fake.stop().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Figure 2: /status with 50 networks.

async function statusReply(): Promise<Record<string, unknown>> {
  const fake = await startFakeDiscord();
  const networks = Array.from({ length: STATUS_NETWORKS }, (_, i) =>
    testNetwork({ name: `st-${String(i + 1).padStart(2, '0')}`, displayName: `Status Rollup ${String(i + 1).padStart(2, '0')} Mainnet` }),
  );
  const halted = new Set(networks.filter((_, i) => i % 5 === 0).map((n) => n.name));
  const silenced = networks[1]!;
  const config: AppConfig = {
    redis: { url: REDIS_URL, prefix },
    log: { level: 'warn' },
    worker: { concurrency: 2 },
    networks,
    discord: fakeDiscordConfig(fake),
  };
  let running: Running | null = null;
  try {
    running = await startChainwatch(config, { role: 'bot', log });
    const r = running;
    const publications = new PublicationStore(r.redis, keys);
    await Promise.all(
      networks.map(async (network, i) => {
        const incident = await openHalted(r, network, undefined, { halted: halted.has(network.name), until: 'end' });
        if (incident && halted.has(network.name)) {
          // Published, as the worker would have: the overview links the thread.
          const threadId = String(1_300_000_000_000_000_000n + BigInt(i));
          await publications.record('discord', incident.id, incident.seq, { channelId: '200', rootMessageId: threadId, threadId }, false);
        }
      }),
    );
    const now = Date.now();
    await new SilenceStore(r.redis, keys).set(silenced.name, {
      until: now + 2 * 3600_000,
      reason: 'planned upgrade',
      by: 'mod-bench',
      createdAt: now,
    });
    await waitFor(() => fake.sessions.length > 0, 10_000, 'the bot to identify');

    const member = { userId: '5001', username: 'alice' };
    const reply: number[] = [];
    const defer: number[] = [];
    let last: { embeds?: APIEmbed[] } | undefined;
    let refused = 0;
    for (let i = 0; i < STATUS_ROUNDS; i++) {
      const t0 = Date.now();
      const after = fake.requests.length;
      const { id, token } = await fake.interact({ kind: 'command', name: 'status', member });
      const cb = await fake.waitForRequest({ method: 'POST', path: new RegExp(`^/interactions/${id}/${token}/callback$`) }, 5000, after);
      const edit = await fake.waitForRequest(
        { method: 'PATCH', path: new RegExp(`^/webhooks/${fake.applicationId}/${token}/messages/@original$`) },
        5000,
        after,
      );
      defer.push(cb.at - t0);
      reply.push(edit.at - t0);
      if (cb.status >= 300 || edit.status >= 300) refused++;
      last = edit.body as { embeds?: APIEmbed[] };
    }

    const embeds = last?.embeds ?? [];
    const text = embeds.map((e) => e.description ?? '').join('\n');
    const more = /… and (\d+) more/.exec(text);
    const listed = text.split('\n').filter((l) => l.includes('**Status Rollup')).length;
    const s = stats(reply);
    const d = stats(defer);
    return {
      name: 'discord_status_reply_ms',
      value: s.median,
      unit: 'ms',
      median: s.median,
      p95: s.p95,
      max: s.max,
      count: s.count,
      first: reply[0],
      defer: d,
      deferDeadlineMs: DEFER_DEADLINE_MS,
      networks: STATUS_NETWORKS,
      openIncidents: halted.size,
      silenced: 1,
      reply: {
        refused,
        embeds: embeds.length,
        embedChars: embedsLength(embeds),
        longestDescription: Math.max(0, ...embeds.map((e) => e.description?.length ?? 0)),
        withinLimits:
          embeds.length <= MESSAGE_EMBEDS_MAX &&
          embedsLength(embeds) <= EMBEDS_TOTAL_MAX &&
          embeds.every((e) => (e.description?.length ?? 0) <= EMBED_DESCRIPTION_MAX),
        networksListed: listed,
        incidentLines: text.split('\n').filter((l) => l.includes('](https://discord.com/channels/')).length,
        maintenanceShown: text.includes('maintenance until'),
        truncated: more !== null,
        summarisedAsMore: more ? Number(more[1]) : 0,
      },
      compare: { name: 'discord_defer_deadline_ms', value: DEFER_DEADLINE_MS, deferP95: d.p95, deferMax: d.max },
    };
  } finally {
    await running?.stop().catch((err: Error) => console.error(`bench/discord: stopping the bot: ${err.message}`));
    await fake.stop().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function table(figures: Record<string, any>[]): string {
  const rows: [string, Partial<Stats> & { note?: string }][] = [];
  const [ev, st] = figures;
  if (ev) {
    rows.push([
      'discord_event_to_message_ms',
      { ...ev, note: `${ev.events} events, ${ev.unmatched} unmatched, ${ev.discordRequestsPerSec} req/s, ${ev.rateLimited} rate limited` },
    ]);
    rows.push(['  root message (opened)', ev.root]);
    rows.push(['  thread message (ack/update/resolve)', ev.thread]);
    rows.push(['  bullmq_empty_job_ms (reference)', ev.compare]);
  }
  if (st) {
    rows.push([
      'discord_status_reply_ms (@original)',
      {
        ...st,
        note: `${st.networks} networks, ${st.reply.embeds} embeds, ${st.reply.embedChars}/6000 chars${st.reply.truncated ? `, ${st.reply.summarisedAsMore} summarised as "more"` : ', not truncated'}`,
      },
    ]);
    rows.push(['  /status deferral callback', { ...st.defer, note: `deadline ${st.deferDeadlineMs} ms` }]);
  }
  const w = Math.max(...rows.map(([n]) => n.length));
  const num = (v: number | undefined) => String(v ?? '').padStart(8);
  const head = `${'figure'.padEnd(w)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'max'.padStart(8)} ${'n'.padStart(6)}`;
  return [
    head,
    ...rows.map(
      ([n, s]) => `${n.padEnd(w)} ${num(s.median)} ${num(s.p95)} ${num(s.max)} ${String(s.count ?? '').padStart(6)}  ${s.note ?? ''}`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench/discord: still running after ${HARD_LIMIT_MS / 1000} s; giving up`);
    void deleteKeys(prefix).finally(() => process.exit(1));
  }, HARD_LIMIT_MS);
  watchdog.unref();
  const figures: Record<string, unknown>[] = [];
  try {
    for (const run of [eventToMessage, statusReply]) {
      const figure = await run();
      console.log(JSON.stringify(figure));
      figures.push(figure);
    }
    console.error(`\n${table(figures)}`);
    for (const w of warnings.other) console.error(`chainwatch warning: ${w}`);
  } finally {
    clearTimeout(watchdog);
    await deleteKeys(prefix);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench/discord failed:', err);
    process.exit(1);
  },
);
