/**
 * Redis bytes per network at steady state: a soak whose simulated clock steps at the real poll
 * interval (1 s, a 1 s chain: the figure the 54 s steps of bench/soak.ts could not see). Two
 * networks of two endpoints each go through the real chain-poll processor (sampleHead, the
 * detectors and correlator in one transaction, the head history) for seven simulated hours,
 * the head history's six and one more; one of them halts for twenty minutes at 3 h, so an
 * incident with its timeline is among its keys. Every simulated hour: MEMORY USAGE of each
 * network's keys (everything under its hash tag), by key.
 *
 * Reference, in the same run: the head history as chainwatch kept it before (one sorted-set
 * member per head, `number:timestamp` scored by first sighting, 6 h and 25,000 points), written
 * here from the same polls (legacyRecordHeads below is that code).
 */
import type { Job } from 'bullmq';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createChainPollProcessor } from '../jobs/chain-poll';
import type { ChainClient } from '../src/chain/sample-head';
import { defaultThresholds } from '../src/config/defaults';
import { HISTORY_BOUNDS, keyspace, type HeadSample, type Sink } from '../src/model';
import { createRedis } from '../src/queue/connections';
import { PublishOutbox, type PublishJobData } from '../src/queue/outbox';
import type { ChainPollJobData } from '../src/queue/schedulers';
import { HistoryStore } from '../src/store/history';
import { IncidentStore } from '../src/store/incidents';
import { PublicationStore } from '../src/store/publications';
import { testNetwork } from '../test/support/network';
import { abort, figure, log, PREFIX, progress, QUICK, REDIS_URL, round, type Figure } from './lib';

const STEP_MS = 1000;
const HOURS = QUICK ? 1.25 : 7;
const ROUNDS = Math.round((HOURS * 3600_000) / STEP_MS);
const T0 = Date.parse('2026-01-01T00:00:00Z');
const HALT = { from: T0 + 3 * 3600_000, ms: 20 * 60_000 };
const NETWORKS = ['soak-a', 'soak-b'];
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const hex = (n: number) => `0x${n.toString(16)}`;

/** The head history before history-codec.ts (chainwatch 0.1), kept as the reference. */
async function legacyRecordHeads(redis: Redis, key: string, samples: readonly HeadSample[]): Promise<void> {
  let best: { n: number; ts: number; t: number } | null = null;
  for (const s of samples) if (s.ok && (!best || s.number > best.n)) best = { n: s.number, ts: s.timestamp, t: s.observedAt };
  if (!best) return;
  await redis
    .multi()
    .zadd(key, 'NX', best.t, `${best.n}:${best.ts}`)
    .zremrangebyscore(key, '-inf', best.t - 6 * 3600_000)
    .zremrangebyrank(key, 0, -25_001)
    .exec();
}

/** MEMORY USAGE of every key under one network's hash tag, by what follows the tag. */
async function networkBytes(redis: Redis, prefix: string, network: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}:${network}}*`, 'COUNT', 500);
    cursor = next;
    for (const k of keys) {
      const name = k.slice(`{${prefix}:${network}}`.length).replace(/:[^:]*-\d{8}T\d{6}Z$/, ':<id>');
      out[name] = (out[name] ?? 0) + Number(await redis.memory('USAGE', k, 'SAMPLES', '0'));
    }
  } while (cursor !== '0');
  return out;
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** Block number at `t` on a 1 s chain that halts for HALT.ms from HALT.from (soak-a only). */
function headAt(network: string, t: number): number {
  const n = Math.floor((t - T0) / 1000);
  if (network !== 'soak-a' || t < HALT.from) return n;
  return t < HALT.from + HALT.ms ? Math.floor((HALT.from - T0) / 1000) : n - HALT.ms / 1000;
}

function timestampOf(network: string, n: number): number {
  const haltBlock = Math.floor((HALT.from - T0) / 1000);
  return T0 / 1000 + n + (network === 'soak-a' && n > haltBlock ? HALT.ms / 1000 : 0);
}

export async function historySoak(): Promise<Figure[]> {
  const prefix = `${PREFIX}-hist`;
  const keys = keyspace(prefix);
  const redis = createRedis(REDIS_URL, log);
  const store = new IncidentStore(redis, keys);
  const publications = new PublicationStore(redis, keys);
  // Publish jobs queue up unread (no worker): they live under the queue's tag, not a network's.
  const queue = new Queue<PublishJobData>('publish-console', { connection: redis, prefix: keys.bullPrefix });
  try {
    const networks = NETWORKS.map((name) =>
      testNetwork({
        name,
        displayName: name,
        blockTimeMs: STEP_MS,
        endpoints: ['a', 'b'].map((e) => ({ label: `rpc-${e}`, url: `http://soak.invalid/${name}/${e}` })),
        thresholds: { ...defaultThresholds(STEP_MS), pollIntervalMs: STEP_MS },
      }),
    );
    let now = T0;
    const clients = new Map(
      networks.map((net) => [
        net.name,
        {
          request: async ({ method, params }: { method: string; params?: unknown[] }) => {
            if (method === 'eth_chainId') return hex(net.chainId);
            const head = headAt(net.name, now);
            const tag = params?.[0];
            const n =
              tag === 'safe'
                ? head - 10
                : tag === 'finalized'
                  ? head - 20
                  : typeof tag === 'string' && tag.startsWith('0x')
                    ? Number.parseInt(tag, 16)
                    : head;
            return { number: hex(n), hash: hash(n), parentHash: hash(n - 1), timestamp: hex(timestampOf(net.name, n)), transactions: [] };
          },
        } as unknown as ChainClient,
      ]),
    );
    const history = new HistoryStore(redis, keys);
    let legacy: Promise<void> = Promise.resolve();
    const poll = createChainPollProcessor({
      networks: new Map(networks.map((n) => [n.name, n])),
      store,
      outbox: new PublishOutbox(new Map<Sink, Queue<PublishJobData>>([['console', queue]]), publications),
      log,
      client: (endpoint) => clients.get(new URL(endpoint.url).pathname.split('/')[1]!)!,
      clock: () => now,
      history,
      onSamples: (net, samples) => void (legacy = legacyRecordHeads(redis, keys.historyHeads(`${net.name}-legacy`), samples)),
    });
    const hourly: { hour: number; perNetwork: Record<string, Record<string, number>>; legacyBytes: number[] }[] = [];
    const t0 = performance.now();
    for (let r = 1; r <= ROUNDS; r++) {
      if (abort.signalled) throw new Error('aborted');
      now = T0 + r * STEP_MS;
      await Promise.all(networks.map((n) => poll({ id: `hist-${n.name}-${r}`, data: { network: n.name } } as Job<ChainPollJobData>)));
      await legacy;
      if ((r * STEP_MS) % 3600_000 === 0 || r === ROUNDS) {
        const perNetwork = Object.fromEntries(await Promise.all(NETWORKS.map(async (n) => [n, await networkBytes(redis, prefix, n)])));
        const legacyBytes = await Promise.all(
          NETWORKS.map(async (n) => Number(await redis.memory('USAGE', keys.historyHeads(`${n}-legacy`), 'SAMPLES', '0'))),
        );
        hourly.push({ hour: round((r * STEP_MS) / 3600_000, 2), perNetwork, legacyBytes });
        const a = perNetwork[NETWORKS[0]!]!;
        progress(
          `history soak ${hourly.at(-1)!.hour} h (${Math.round((performance.now() - t0) / 1000)} s): ${NETWORKS[0]} ${Math.round(sum(a) / 1024)} KiB (history ${Math.round((a[':history:minutes'] ?? 0) / 1024)} KiB), old format ${Math.round(legacyBytes[0]! / 1024)} KiB`,
        );
      }
    }
    const end = hourly.at(-1)!;
    const at6 = hourly.find((h) => h.hour === 6) ?? end;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const perNet = (h: (typeof hourly)[number]) => mean(NETWORKS.map((n) => sum(h.perNetwork[n]!)));
    const hist = (h: (typeof hourly)[number]) => mean(NETWORKS.map((n) => h.perNetwork[n]![':history:minutes'] ?? 0));
    const kib = (b: number) => round(b / 1024, 1);
    const common = {
      hours: HOURS,
      stepMs: STEP_MS,
      networks: NETWORKS.length,
      endpointsPerNetwork: 2,
      wallS: round((performance.now() - t0) / 1000, 1),
      series: hourly,
    };
    return [
      figure(
        'redis_kib_per_network',
        kib(perNet(end)),
        'KiB',
        { name: 'head_history_old_format_kib', value: kib(mean(at6.legacyBytes)), unit: 'KiB' },
        {
          ...common,
          at6h: kib(perNet(at6)),
          note: `every key of a network after ${HOURS} simulated hours of 1 s heads polled every 1 s (${kib(perNet(at6))} KiB at ${at6.hour} h); next to the old head history alone (a sorted set of every head) at ${at6.hour} h`,
        },
      ),
      figure(
        'head_history_kib_per_network',
        kib(hist(end)),
        'KiB',
        { name: 'head_history_old_format_kib', value: kib(mean(at6.legacyBytes)), unit: 'KiB' },
        {
          ...common,
          rawMinutes: HISTORY_BOUNDS.rawMs / 60_000,
          note: `the head history alone (points as seen for ${HISTORY_BOUNDS.rawMs / 60_000} min, three intervals a minute for 6 h) after ${HOURS} h`,
        },
      ),
    ];
  } finally {
    await queue.close().catch(() => {});
    await store.close().catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
  }
}
