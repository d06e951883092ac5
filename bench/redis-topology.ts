/**
 * Redis topologies (issue 14), side by side in one run:
 *
 *   polls     chain polls per second one worker process sustains with its queue kept full, on
 *             the single Redis at REDIS_URL and on a local Redis Cluster (3 primaries + 3
 *             replicas, started here): the real chain-poll processor (3 endpoints a network on
 *             a light local JSON-RPC responder, the compare-and-set commit, head history) at
 *             the default concurrency, 200 networks in turn (50 with --quick);
 *   wait      what `WAIT 1` costs a commit that changes an incident, on the Cluster: the same
 *             transitions with and without it (a poll that changes nothing public never waits);
 *   failover  the failover drill (test/drills/support/failover.ts: real processes, fakes of
 *             Discord and X, kill -9 of the primary mid-incident) on the Cluster and on a
 *             Sentinel set: seconds to the first poll committed again, events lost of those
 *             committed before the kill, duplicate posts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createChainPollProcessor } from '../jobs/chain-poll';
import { closeEndpointClients, createEndpointClient, reserveEndpointClients } from '../src/chain/client';
import type { RedisConfig } from '../src/config';
import { DEFAULT_WORKER_CONCURRENCY } from '../src/config/defaults';
import type { Network } from '../src/config/network';
import { incidentId, keyspace, QUEUES, type Incident, type Sink } from '../src/model';
import { createRedisClient, waitForRedis, describeRedis } from '../src/queue/connections';
import { deleteByPrefix } from '../src/queue/delete-prefix';
import { PublishOutbox, type PublishJobData } from '../src/queue/outbox';
import type { ChainPollJobData } from '../src/queue/schedulers';
import { HistoryStore } from '../src/store/history';
import { IncidentStore } from '../src/store/incidents';
import { PublicationStore } from '../src/store/publications';
import { replicaWait, setReplicaWait, type RedisClient } from '../src/store/redis-client';
import { runFailoverDrill, type FailoverFigures } from '../test/drills/support/failover';
import { testNetwork } from '../test/support/network';
import { startTopology, type TestTopology } from '../test/support/redis';
import { figure, log, onAbort, PREFIX, progress, QUICK, REDIS_URL, round, sleep, stats, type Figure } from './lib';

const NETWORKS = QUICK ? 50 : 200;
const ENDPOINTS = 3;
const WARMUP_MS = QUICK ? 2000 : 3000;
const MEASURE_MS = QUICK ? 4000 : 8000;
/**
 * Windows per topology, alternating single, Cluster, single, …: on a shared machine the load
 * of others moves a window by a factor of several (seen here: 38 to 292 polls/s on the same
 * Redis within minutes), so one window each would compare moments, not topologies.
 */
const ROUNDS = QUICK ? 1 : 3;
const TRANSITIONS = QUICK ? 40 : 200;

async function startResponder(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./rpc-responder.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('rpc responder did not start within 20 s')), 20_000);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-200);
      const m = /PORT (\d+)/.exec(out);
      if (m) (clearTimeout(timer), resolve(Number(m[1])));
    });
    child.once('exit', (code) => reject(new Error(`rpc responder exited (${code})`)));
  });
  return { child, port };
}

interface Throughput {
  pollsPerSec: number;
  pollMs: { median: number; p95: number };
  cpuCores: number;
  polls: number;
}

/** One worker, its queue topped up so it never waits for work; completions counted over the window. */
async function pollThroughput(cfg: RedisConfig, networks: readonly Network[]): Promise<Throughput> {
  const keys = keyspace(cfg.prefix);
  const main = createRedisClient(cfg, log, 'main');
  const producer = createRedisClient(cfg, log, 'producer');
  let worker: Worker<ChainPollJobData> | null = null;
  let queue: Queue<ChainPollJobData> | null = null;
  let topping = true;
  const unregister = onAbort(async () => {
    topping = false;
    await worker?.close(true);
  });
  try {
    await Promise.all([main, producer].map((r) => waitForRedis(r, log, describeRedis(cfg), 20_000)));
    const store = new IncidentStore(main, keys);
    const byName = new Map(networks.map((n) => [n.name, n]));
    const processor = createChainPollProcessor({
      networks: byName,
      store,
      outbox: new PublishOutbox(new Map<Sink, Queue<PublishJobData>>(), new PublicationStore(main, keys)),
      log,
      client: (ep, timeoutMs) => createEndpointClient(ep, { timeoutMs }),
      history: new HistoryStore(main as Redis, keys),
    });
    let measuring = false;
    const durations: number[] = [];
    let polls = 0;
    queue = new Queue<ChainPollJobData>(QUEUES.chainPoll, {
      connection: producer,
      prefix: keys.bullPrefix,
      defaultJobOptions: { removeOnComplete: { count: 200 }, removeOnFail: { count: 1000 } },
    });
    worker = new Worker<ChainPollJobData>(
      QUEUES.chainPoll,
      async (job: Job<ChainPollJobData>) => {
        const t0 = performance.now();
        const r = await processor(job);
        if (measuring) (polls++, durations.push(performance.now() - t0));
        return r;
      },
      { connection: main, prefix: keys.bullPrefix, concurrency: DEFAULT_WORKER_CONCURRENCY },
    );
    worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
    await worker.waitUntilReady();
    const q = queue;
    let batch = 0;
    const topUp = (async () => {
      while (topping) {
        if ((await q.getWaitingCount()) < networks.length) {
          batch++;
          await q.addBulk(networks.map((n) => ({ name: 'poll', data: { network: n.name }, opts: { jobId: `r${batch}-${n.name}` } })));
        }
        await sleep(50);
      }
    })();
    await sleep(WARMUP_MS);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    measuring = true;
    await sleep(MEASURE_MS);
    measuring = false;
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    topping = false;
    await topUp;
    const d = stats(durations, 1);
    return {
      pollsPerSec: round(polls / wall, 1),
      pollMs: { median: d.median, p95: d.p95 },
      cpuCores: round((cpu.user + cpu.system) / 1e6 / wall, 2),
      polls,
    };
  } finally {
    topping = false;
    unregister();
    await worker?.close(true).catch(() => {});
    await queue?.close().catch(() => {});
    await deleteByPrefix(main, cfg.prefix).catch(() => {});
    main.disconnect();
    producer.disconnect();
  }
}

/** The window with the median polls/s. */
function medianRound(windows: Throughput[]): Throughput {
  return [...windows].sort((a, b) => a.pollsPerSec - b.pollsPerSec)[Math.floor(windows.length / 2)]!;
}

/** A step that adds one event to the network's incident (as the correlator would on a transition). */
function transition(network: string, at: number) {
  return (state: { seq: number }) => {
    const seq = state.seq + 1;
    const incident: Incident = {
      id: incidentId(network, at),
      network,
      status: 'investigating',
      severity: 'major',
      kind: 'halted',
      title: 'Block production halted',
      startedAt: at,
      openedAt: at,
      updatedAt: at + seq,
      confirmedAt: at,
      recoveredAt: null,
      resolvedAt: null,
      ack: null,
      signals: { halted: 1 },
      summary: 'No new block',
      seq,
      reopened: 0,
      seen: ['halted'],
    };
    const event = {
      incidentId: incident.id,
      network,
      seq,
      at: at + seq,
      type: 'evidence' as const,
      status: incident.status,
      severity: incident.severity,
      kind: incident.kind,
      title: incident.title,
      text: `e${seq}`,
    };
    return { state: { seq }, events: [event], incident };
  };
}

/** Commit latency of transitions with the client's WAIT and with it off, interleaved on one Cluster client. */
async function waitCost(client: RedisClient, prefix: string): Promise<{ withWait: number[]; without: number[] }> {
  const store = new IncidentStore(client, keyspace(prefix));
  const wait = replicaWait(client);
  const withWait: number[] = [];
  const without: number[] = [];
  const at = Date.UTC(2026, 11, 1);
  try {
    for (let i = 0; i < TRANSITIONS * 2; i++) {
      const on = i % 2 === 0;
      setReplicaWait(client, on ? wait : undefined);
      const t0 = performance.now();
      await store.apply('wait-cost', `t${i}`, () => ({ seq: 0 }), transition('wait-cost', at));
      (on ? withWait : without).push(performance.now() - t0);
    }
  } finally {
    setReplicaWait(client, wait);
  }
  return { withWait, without };
}

function failoverFigures(f: FailoverFigures): Figure[] {
  return [
    figure(
      `failover_first_poll_s_${f.kind}`,
      round(f.firstPollAfterMs / 1000, 2),
      's',
      { name: `${f.kind}_promotion_s`, value: round(f.failoverMs / 1000, 2), unit: 's' },
      {
        ...f,
        note: `kill -9 of the ${f.kind} primary mid-incident → first poll committed; lost ${f.lost} of ${f.committedBeforeKill} committed events, duplicate posts ${f.discordDuplicates + f.xDuplicates}, workers recreated ${f.workersRecreated}`,
      },
    ),
  ];
}

export async function redisTopologyFigures(): Promise<Figure[]> {
  const out: Figure[] = [];
  const { child, port } = await startResponder();
  const killResponder = () => child.kill('SIGKILL');
  process.once('exit', killResponder);
  let cluster: TestTopology | null = null;
  try {
    const networks = Array.from({ length: NETWORKS }, (_, i) =>
      testNetwork({
        name: `topo-${i + 1}`,
        endpoints: Array.from({ length: ENDPOINTS }, (_, e) => ({
          label: `rpc-${e + 1}`,
          url: `http://127.0.0.1:${port}/n${i + 1}/rpc-${e + 1}`,
        })),
        thresholds: { pollIntervalMs: 1000, requestTimeoutMs: 2000, safeLagBlocks: null },
      }),
    );
    reserveEndpointClients(NETWORKS * ENDPOINTS);
    cluster = await startTopology('cluster');
    const rounds: { single: Throughput; cluster: Throughput }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const single = await pollThroughput({ url: REDIS_URL, prefix: `${PREFIX}-topo-single` }, networks);
      const onCluster = await pollThroughput(cluster.redisConfig(`${PREFIX}-topo-cluster`), networks);
      progress(
        `redis round ${r + 1}/${ROUNDS}: single ${single.pollsPerSec} polls/s (poll ${single.pollMs.median} ms, ${single.cpuCores} cores), cluster ${onCluster.pollsPerSec} polls/s (${onCluster.pollMs.median} ms, ${onCluster.cpuCores} cores)`,
      );
      rounds.push({ single, cluster: onCluster });
    }
    const single = medianRound(rounds.map((r) => r.single));
    const onCluster = medianRound(rounds.map((r) => r.cluster));
    out.push(
      figure(
        'redis_cluster_polls_per_s',
        onCluster.pollsPerSec,
        'polls/s',
        { name: 'redis_single_polls_per_s', value: single.pollsPerSec, unit: 'polls/s' },
        {
          networks: NETWORKS,
          endpointsPerNetwork: ENDPOINTS,
          workerConcurrency: DEFAULT_WORKER_CONCURRENCY,
          single,
          cluster: onCluster,
          rounds,
          note: `median of ${ROUNDS} alternating windows each; one worker, queue kept full, ${NETWORKS} networks × ${ENDPOINTS} endpoints: Cluster ${onCluster.pollsPerSec}/s (poll median ${onCluster.pollMs.median} ms), single ${single.pollsPerSec}/s (${single.pollMs.median} ms)`,
        },
      ),
    );

    const client = cluster.connect();
    try {
      const { withWait, without } = await waitCost(client, `${PREFIX}-topo-wait`);
      const w = stats(withWait, 2);
      const n = stats(without, 2);
      out.push(
        figure(
          'redis_transition_commit_with_wait_ms',
          w.median,
          'ms',
          { name: 'redis_transition_commit_without_wait_ms', value: n.median, unit: 'ms' },
          {
            transitions: TRANSITIONS,
            withWait: w,
            without: n,
            note: `Cluster, one replica per primary: WAIT adds ${round(w.median - n.median, 2)} ms (median) to a commit that changes an incident; polls that change nothing do not wait`,
          },
        ),
      );
      await deleteByPrefix(client, `${PREFIX}-topo-wait`);
    } finally {
      client.disconnect();
    }
    await cluster.stop();
    cluster = null;

    for (const kind of QUICK ? (['cluster'] as const) : (['cluster', 'sentinel'] as const)) {
      progress(`redis: failover drill on ${kind}`);
      try {
        out.push(...failoverFigures(await runFailoverDrill(kind)));
      } catch (err) {
        // A failed drill is a figure too (and must not cost the throughput and WAIT figures above).
        const message = (err as Error).message;
        progress(`redis: failover drill on ${kind} FAILED: ${message}`);
        out.push(
          figure(
            `failover_${kind}_failed`,
            NaN,
            '',
            { name: 'none', value: NaN, unit: '' },
            { error: message, note: `the drill failed: ${message}` },
          ),
        );
      }
    }
    return out;
  } finally {
    await cluster?.stop();
    await closeEndpointClients();
    child.kill('SIGKILL');
    process.off('exit', killResponder);
  }
}

/** The BENCHMARKS.md section for these figures (bench/run.ts calls it). */
export function redisTopologyMarkdown(figures: readonly Figure[]): string[] {
  const polls = figures.find((f) => f.name === 'redis_cluster_polls_per_s') as (Figure & Record<string, any>) | undefined;
  const wait = figures.find((f) => f.name === 'redis_transition_commit_with_wait_ms');
  const failovers = figures.filter((f) => f.name.startsWith('failover_first_poll_s_')) as (Figure & Partial<FailoverFigures>)[];
  if (!polls && !wait && failovers.length === 0) return [];
  const out = ['### Redis Cluster and Sentinel', ''];
  if (polls)
    out.push(
      `Chain polls per second one worker process sustains (default concurrency ${polls.workerConcurrency}) with its queue kept full, the median of alternating windows (single, Cluster, single, …): ${polls.networks} networks × ${polls.endpointsPerNetwork} endpoints polled in turn against a light local JSON-RPC responder, the real chain-poll processor and its compare-and-set commit, on the single Redis at REDIS_URL and on a local Redis Cluster of 3 primaries and 3 replicas (loopback, started by the bench), in the same run. Single: ${polls.single.pollsPerSec} polls/s (one poll median ${polls.single.pollMs.median} ms, ${polls.single.cpuCores} cores); Cluster: ${polls.cluster.pollsPerSec} polls/s (${polls.cluster.pollMs.median} ms, ${polls.cluster.cpuCores} cores). At one poll a second per network that is the number of networks one worker holds.`,
      '',
    );
  if (wait)
    out.push(
      `WAIT: ${wait.note}. Median commit ${wait.value} ms with WAIT, ${wait.reference.value} ms without, over ${wait.transitions} transitions each, interleaved on one Cluster client.`,
      '',
    );
  for (const f of failovers)
    out.push(
      `Failover on the ${f.kind}: the failover drill (test/drills/support/failover.ts: a scheduler, two workers and a bot as real processes, the fakes of Discord and X, a halted anvil chain) kills the primary holding the network's keys${f.kind === 'cluster' ? ' and the BullMQ queues' : ''} with SIGKILL while a worker waits for Discord's answer. Promotion after ${f.reference.value} s; the first poll committed again ${f.value} s after the kill; ${f.lost} of ${f.committedBeforeKill} events committed before the kill lost; duplicate posts: Discord ${f.discordDuplicates}, X ${f.xDuplicates}; workers recreated by the watchdog: ${f.workersRecreated}.`,
      '',
    );
  return out;
}
