import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HeadSample } from '../model';

/**
 * Prometheus metrics. Counters and histograms are fed as things happen (polls, deliveries,
 * X reads); gauges that describe Redis state (head age, open incidents, X spend) are read
 * when Prometheus scrapes, through `collect` callbacks given by the app.
 */
export interface ScrapeState {
  /** Per network: age of the newest block seen (s), and open incidents by status. */
  networks(): Promise<
    {
      network: string;
      headAgeSeconds: number | null;
      open: { status: string; kind: string } | null;
      signals?: Record<string, number>;
      /** Thresholds in force (learnt from the chain, or the configured ones) and the usual / recent transactions per block. */
      learnt?: {
        stallSeconds: number;
        stallLearnt: boolean;
        blockSeconds: number;
        blockLearnt: boolean;
        usualTx: number | null;
        recentTx: number | null;
      };
      /** The inclusion probe (networks with a `probe:`): submit → included, last and median; age of the one in flight. */
      probe?: { lastSeconds: number | null; medianSeconds: number | null; pendingSeconds: number | null };
    }[]
  >;
  xSpend?(): Promise<{ spentUsd: number; projectedUsd: number; budgetUsd: number }>;
  /** The heartbeat's last successful ping (ms), with a `heartbeat:` section. */
  heartbeat?(): Promise<{ lastSuccessAt: number | null }>;
  /** Whether chainwatch is blind now (its own connectivity gone: src/engine/blindness.ts). */
  blind?(): Promise<boolean>;
  queues(): Promise<{ queue: string; waiting: number; delayed: number; active: number; failed: number; oldestWaitingSeconds?: number }[]>;
}

/** A scrape's gauges share one read; a later scrape (Prometheus: every 15 s or so) reads again. */
const SCRAPE_READ_REUSE_MS = 1000;

export class Metrics {
  readonly registry = new Registry();
  readonly pollLatency = new Histogram({
    name: 'chainwatch_poll_latency_seconds',
    help: 'Latency of one head poll of one endpoint, by result (ok or the failure kind)',
    labelNames: ['network', 'endpoint', 'result'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly publishResults = new Counter({
    name: 'chainwatch_publish_jobs_total',
    help: 'Publish jobs by sink and result (completed, failed)',
    labelNames: ['sink', 'result'] as const,
    registers: [this.registry],
  });
  readonly socialPosts = new Counter({
    name: 'chainwatch_social_posts_total',
    help: 'Community posts classified, by outcome (outage, other, unattributed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Node telemetry (src/telemetry): scrapes by result, memory and limit, predicted time to OOM. */
  readonly nodeScrapes = new Counter({
    name: 'chainwatch_node_scrapes_total',
    help: 'Node metrics scrapes by result (ok or the failure kind)',
    labelNames: ['network', 'endpoint', 'result'] as const,
    registers: [this.registry],
  });
  readonly nodeMemory = new Gauge({
    name: 'chainwatch_node_memory_bytes',
    help: 'Node resident memory and its limit, as last scraped',
    labelNames: ['network', 'endpoint', 'kind'] as const,
    registers: [this.registry],
  });
  readonly nodeOom = new Gauge({
    name: 'chainwatch_node_oom_predicted_seconds',
    help: 'Predicted seconds until the node runs out of memory (absent when not rising)',
    labelNames: ['network', 'endpoint'] as const,
    registers: [this.registry],
  });

  constructor(state: ScrapeState) {
    collectDefaultMetrics({ register: this.registry, prefix: 'chainwatch_' });
    // One read of the network states and queues per scrape, shared by every gauge below: each
    // gauge's collect awaits it, so all of them show this scrape's figures (a gauge filled by
    // another's collect would be read before that finished, showing the previous scrape's).
    let current: { at: number; networks: ReturnType<ScrapeState['networks']>; queues: ReturnType<ScrapeState['queues']> } | null = null;
    const read = () => {
      const now = Date.now();
      if (!current || now - current.at > SCRAPE_READ_REUSE_MS) current = { at: now, networks: state.networks(), queues: state.queues() };
      return current;
    };
    const networksRead = () => read().networks;
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      fill: (g: Gauge<L>) => Promise<void>,
    ): Gauge<L> =>
      new Gauge<L>({
        name,
        help,
        labelNames,
        registers: [this.registry],
        async collect() {
          this.reset();
          await fill(this);
        },
      });
    gauge('chainwatch_head_age_seconds', 'Age of the newest block seen per network', ['network'], async (g) => {
      for (const n of await networksRead()) if (n.headAgeSeconds !== null) g.set({ network: n.network }, n.headAgeSeconds);
    });
    gauge(
      'chainwatch_incident_open',
      '1 while a network has an open incident, by status and kind',
      ['network', 'status', 'kind'],
      async (g) => {
        for (const n of await networksRead()) if (n.open) g.set({ network: n.network, status: n.open.status, kind: n.open.kind }, 1);
      },
    );
    gauge('chainwatch_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async (g) => {
      for (const q of await read().queues) {
        for (const st of ['waiting', 'delayed', 'active', 'failed'] as const) g.set({ queue: q.queue, state: st }, q[st]);
      }
    });
    gauge(
      'chainwatch_queue_oldest_waiting_seconds',
      'Age of the oldest waiting job per queue (0 when none waits)',
      ['queue'],
      async (g) => {
        for (const q of await read().queues) g.set({ queue: q.queue }, q.oldestWaitingSeconds ?? 0);
      },
    );
    gauge(
      'chainwatch_signals_active',
      'Signals holding now per network and kind (endpoint-level kinds count each endpoint)',
      ['network', 'kind'],
      async (g) => {
        for (const n of await networksRead())
          for (const [kind, count] of Object.entries(n.signals ?? {})) g.set({ network: n.network, kind }, count);
      },
    );
    new Gauge({
      name: 'chainwatch_probe_inclusion_seconds',
      help: 'Inclusion probe: submit to included of the last probe and the median of the recent ones (stat=last|median)',
      labelNames: ['network', 'stat'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { network, probe } of await networksRead()) {
          if (probe?.lastSeconds != null) this.set({ network, stat: 'last' }, probe.lastSeconds);
          if (probe?.medianSeconds != null) this.set({ network, stat: 'median' }, probe.medianSeconds);
        }
      },
    });
    new Gauge({
      name: 'chainwatch_probe_pending_seconds',
      help: 'Inclusion probe: age of the probe transaction in flight (0 when none)',
      labelNames: ['network'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { network, probe } of await networksRead()) if (probe) this.set({ network }, probe.pendingSeconds ?? 0);
      },
    });
    new Gauge({
      name: 'chainwatch_threshold_seconds',
      help: 'Thresholds in force: stall (halted after no new block for this long) and block (a normal block interval, slow_blocks compares against slowFactor x it); source=learnt|configured',
      labelNames: ['network', 'threshold', 'source'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { network, learnt } of await networksRead()) {
          if (!learnt) continue;
          this.set({ network, threshold: 'stall', source: learnt.stallLearnt ? 'learnt' : 'configured' }, learnt.stallSeconds);
          this.set({ network, threshold: 'block', source: learnt.blockLearnt ? 'learnt' : 'configured' }, learnt.blockSeconds);
        }
      },
    });
    new Gauge({
      name: 'chainwatch_transactions_per_block',
      help: 'User transactions per sampled block: the usual (learnt baseline) and over the recent window (stat=usual|recent; absent while learning)',
      labelNames: ['network', 'stat'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { network, learnt } of await networksRead()) {
          if (learnt?.usualTx != null) this.set({ network, stat: 'usual' }, learnt.usualTx);
          if (learnt?.recentTx != null) this.set({ network, stat: 'recent' }, learnt.recentTx);
        }
      },
    });
    if (state.blind) {
      const read = state.blind;
      new Gauge({
        name: 'chainwatch_blind',
        help: '1 while chainwatch is blind (its own connectivity, not the networks): no public incident is posted for what it cannot see',
        registers: [this.registry],
        async collect() {
          this.set((await read()) ? 1 : 0);
        },
      });
    }
    if (state.heartbeat) {
      const read = state.heartbeat;
      new Gauge({
        name: 'chainwatch_heartbeat_last_success_seconds',
        help: 'Unix time of the last heartbeat ping the service accepted (absent until one is)',
        registers: [this.registry],
        async collect() {
          const { lastSuccessAt } = await read();
          if (lastSuccessAt === null) this.reset();
          else this.set(lastSuccessAt / 1000);
        },
      });
    }
    if (state.xSpend) {
      const read = state.xSpend;
      new Gauge({
        name: 'chainwatch_x_spend_usd',
        help: 'X API spend this month, the projected month, and the monthly budget (USD)',
        labelNames: ['kind'] as const,
        registers: [this.registry],
        async collect() {
          const s = await read();
          this.set({ kind: 'spent' }, s.spentUsd);
          this.set({ kind: 'projected' }, s.projectedUsd);
          this.set({ kind: 'budget' }, s.budgetUsd);
        },
      });
    }
  }

  samples(samples: readonly HeadSample[]): void {
    for (const s of samples) {
      this.pollLatency.observe({ network: s.network, endpoint: s.endpoint, result: s.ok ? 'ok' : s.kind }, s.latencyMs / 1000);
    }
  }
}
