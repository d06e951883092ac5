import type { Network } from '../config/network';
import type { Metrics } from '../http/metrics';
import type { NodeState } from '../engine/node-memory';
import type { NodeSample } from '../model';

/** Feeds the node-telemetry gauges of /metrics from each scrape job. */
export function nodeMetrics(metrics: Metrics) {
  return (network: Network, samples: readonly NodeSample[], state: NodeState | undefined): void => {
    for (const s of samples) {
      const labels = { network: network.name, endpoint: s.endpoint };
      metrics.nodeScrapes.inc({ ...labels, result: s.ok ? 'ok' : s.kind });
      if (!s.ok) continue;
      metrics.nodeMemory.set({ ...labels, kind: 'resident' }, s.residentBytes);
      if (s.limitBytes !== null) metrics.nodeMemory.set({ ...labels, kind: 'limit' }, s.limitBytes);
      const oomInMs = state?.endpoints[s.endpoint]?.last?.oomInMs;
      if (oomInMs === null || oomInMs === undefined) metrics.nodeOom.remove(labels);
      else metrics.nodeOom.set(labels, oomInMs / 1000);
    }
  };
}
