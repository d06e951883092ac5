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
    { network: string; headAgeSeconds: number | null; open: { status: string; kind: string } | null; signals?: Record<string, number> }[]
  >;
  xSpend?(): Promise<{ spentUsd: number; projectedUsd: number; budgetUsd: number }>;
  queues(): Promise<{ queue: string; waiting: number; delayed: number; active: number; failed: number; oldestWaitingSeconds?: number }[]>;
}

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
    const headAge = new Gauge({
      name: 'chainwatch_head_age_seconds',
      help: 'Age of the newest block seen per network',
      labelNames: ['network'] as const,
      registers: [this.registry],
    });
    const open = new Gauge({
      name: 'chainwatch_incident_open',
      help: '1 while a network has an open incident, by status and kind',
      labelNames: ['network', 'status', 'kind'] as const,
      registers: [this.registry],
    });
    const queue = new Gauge({
      name: 'chainwatch_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
    });
    const queueAge = new Gauge({
      name: 'chainwatch_queue_oldest_waiting_seconds',
      help: 'Age of the oldest waiting job per queue (0 when none waits)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
    });
    const signals = new Gauge({
      name: 'chainwatch_signals_active',
      help: 'Signals holding now per network and kind (endpoint-level kinds count each endpoint)',
      labelNames: ['network', 'kind'] as const,
      registers: [this.registry],
    });
    new Gauge({
      name: 'chainwatch_networks_scrape',
      help: 'Reads network state from Redis for the gauges above (always 1)',
      registers: [this.registry],
      async collect() {
        this.set(1);
        headAge.reset();
        open.reset();
        signals.reset();
        for (const n of await state.networks()) {
          if (n.headAgeSeconds !== null) headAge.set({ network: n.network }, n.headAgeSeconds);
          if (n.open) open.set({ network: n.network, status: n.open.status, kind: n.open.kind }, 1);
          for (const [kind, count] of Object.entries(n.signals ?? {})) signals.set({ network: n.network, kind }, count);
        }
        queue.reset();
        queueAge.reset();
        for (const q of await state.queues()) {
          for (const s of ['waiting', 'delayed', 'active', 'failed'] as const) queue.set({ queue: q.queue, state: s }, q[s]);
          queueAge.set({ queue: q.queue }, q.oldestWaitingSeconds ?? 0);
        }
      },
    });
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
