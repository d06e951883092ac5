/**
 * Node telemetry per network: each scrape into its endpoint's memory trend, and the
 * `memory_pressure` signals that hold now. Pure, like the chain detectors: state, samples and
 * `now` in, the next state and the signals out.
 */
import type { Endpoint, EndpointMetrics, Network } from '../config/network';
import type { NodeSample, Signal } from '../model';
import { formatBytes } from '../util/bytes';
import {
  clearAlarm,
  initialMemoryTrend,
  memorySeverity,
  formatOomIn,
  observeMemory,
  TREND_WINDOW_MS,
  type MemoryAssessment,
  type MemoryTrendState,
} from './memory-trend';

export interface NodeEndpointState extends MemoryTrendState {
  lastScrapeAt: number | null;
  lastOkAt: number | null;
  /** Failed scrapes in a row. */
  failures: number;
  lastError: string | null;
  residentMetric: string | null;
  limitSource: string | null;
  /** The latest assessment, for the signal, /status and /metrics. */
  last: MemoryAssessment | null;
}

/** One record per endpoint with `metrics` in the config: bounded by the config. */
export interface NodeState {
  endpoints: Record<string, NodeEndpointState>;
}

export function initialNodeState(): NodeState {
  return { endpoints: {} };
}

function initialEndpoint(): NodeEndpointState {
  return {
    ...initialMemoryTrend(),
    lastScrapeAt: null,
    lastOkAt: null,
    failures: 0,
    lastError: null,
    residentMetric: null,
    limitSource: null,
    last: null,
  };
}

function metricsEndpoints(network: Network): (Endpoint & { metrics: EndpointMetrics })[] {
  return network.endpoints.filter((e): e is Endpoint & { metrics: EndpointMetrics } => e.metrics !== undefined);
}

/**
 * An alarm whose node has not answered for this long is dropped: the node is gone (an OOM
 * crash), and the chain detectors speak for it now.
 */
function staleAfterMs(m: EndpointMetrics): number {
  return Math.max(5 * 60_000, 5 * m.scrapeEveryMs);
}

/** Endpoints whose `scrapeEvery` has come round (the scheduler ticks at the network's shortest). */
export function dueEndpoints(state: NodeState | undefined, network: Network, now: number): (Endpoint & { metrics: EndpointMetrics })[] {
  return metricsEndpoints(network).filter((ep) => {
    const last = state?.endpoints[ep.label]?.lastScrapeAt;
    const slack = Math.min(ep.metrics.scrapeEveryMs / 2, 1000);
    return last === null || last === undefined || now - last >= ep.metrics.scrapeEveryMs - slack;
  });
}

export function observeNode(
  prev: NodeState,
  samples: readonly NodeSample[],
  network: Network,
  now: number,
): { state: NodeState; signals: Signal[] } {
  const endpoints: Record<string, NodeEndpointState> = {};
  const signals: Signal[] = [];
  for (const ep of metricsEndpoints(network)) {
    let s = prev.endpoints[ep.label] ?? initialEndpoint();
    for (const sample of samples) if (sample.endpoint === ep.label) s = applySample(s, sample, ep.metrics);
    // Points older than the window go even when no scrape arrives.
    s = { ...s, points: s.points.filter((p) => p[0] > now - TREND_WINDOW_MS) };
    if (s.active && (s.lastOkAt === null || now - s.lastOkAt > staleAfterMs(ep.metrics))) {
      s = clearAlarm(s, now);
    }
    endpoints[ep.label] = s;
    if (s.active && s.last) signals.push(memorySignal(network, ep, s, s.last, now));
  }
  return { state: { endpoints }, signals };
}

function applySample(s: NodeEndpointState, sample: NodeSample, m: EndpointMetrics): NodeEndpointState {
  if (!sample.ok) {
    return { ...s, lastScrapeAt: sample.observedAt, failures: s.failures + 1, lastError: sample.message };
  }
  // EndpointMetrics carries the MemorySettings fields (highWatermark, lowWatermark, warnWithinMs).
  const { state, assessment } = observeMemory(s, { t: sample.observedAt, bytes: sample.residentBytes, limitBytes: sample.limitBytes }, m);
  return {
    ...s,
    ...state,
    lastScrapeAt: sample.observedAt,
    lastOkAt: sample.observedAt,
    failures: 0,
    lastError: sample.limitBytes === null ? 'no memory limit: set metrics.memoryLimit, or expose a limit metric' : null,
    residentMetric: sample.residentMetric,
    limitSource: sample.limitSource,
    last: assessment,
  };
}

const signed = (bytesPerHour: number) => `${bytesPerHour >= 0 ? '+' : '-'}${formatBytes(Math.abs(bytesPerHour))}/h`;

/** "op-reth on rpc-a: 91% of 32 GiB, +1.4 GiB/h, out of memory in about 40 min". */
function memorySummary(processName: string, endpoint: string, a: MemoryAssessment): string {
  return `${processName} on ${endpoint}: ${memoryFigures(a)}`;
}

/** "91% of 32 GiB, +1.4 GiB/h, out of memory in about 40 min" (or "…, no longer rising"). */
export function memoryFigures(a: MemoryAssessment): string {
  const pct = Math.min(Math.round(a.ratio * 100), a.ratio < 1 ? 99 : Infinity);
  const head = `${pct}% of ${formatBytes(a.limitBytes)}`;
  if (a.oomInMs === null) return `${head}, ${a.recentSlopePerHour > 0 ? signed(a.recentSlopePerHour) : 'not rising'}`;
  return `${head}, ${signed(a.slopePerHour)}, out of memory in ${formatOomIn(a.oomInMs)}`;
}

function memorySignal(
  network: Network,
  ep: Endpoint & { metrics: EndpointMetrics },
  s: NodeEndpointState,
  a: MemoryAssessment,
  now: number,
): Signal {
  const silentFor = s.lastOkAt === null ? null : now - s.lastOkAt;
  const silent =
    silentFor !== null && silentFor > 2 * ep.metrics.scrapeEveryMs ? `; metrics not answering for ${Math.round(silentFor / 1000)} s` : '';
  return {
    network: network.name,
    kind: 'memory_pressure',
    severity: memorySeverity(a),
    at: now,
    source: 'node',
    endpoint: ep.label,
    summary: `${memorySummary(ep.metrics.process ?? 'node', ep.label, a)}${silent}.`,
    details: {
      usedBytes: Math.round(a.usedBytes),
      limitBytes: Math.round(a.limitBytes),
      usedRatio: Number(a.ratio.toFixed(4)),
      slopeBytesPerHour: Math.round(a.slopePerHour),
      oomInSeconds: a.oomInMs === null ? null : Math.round(a.oomInMs / 1000),
      process: ep.metrics.process ?? null,
      residentMetric: s.residentMetric,
      limitSource: s.limitSource,
    },
  };
}
