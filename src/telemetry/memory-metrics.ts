/**
 * Which numbers of a node's Prometheus text are its memory and its memory limit. Pure: text in,
 * numbers out, parsed with parse-prometheus-text-format.
 */
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

/**
 * Resident memory, first found wins. RSS is what the kernel's OOM killer and a cgroup limit
 * count, so the process gauges come before allocator statistics:
 * - `reth_process_resident_memory_bytes`: Reth and op-reth (metrics-process, under the `reth_` prefix);
 * - `process_resident_memory_bytes`: the Prometheus client convention (Go and Rust clients, Nethermind, Erigon);
 * - `reth_jemalloc_resident`: Reth's jemalloc statistics, for builds without the process collector;
 * - `system_memory_used`: Geth's `system/memory/used` (Go runtime memory in use), when Geth exposes
 *   no process gauge.
 */
export const RESIDENT_METRICS = [
  'reth_process_resident_memory_bytes',
  'process_resident_memory_bytes',
  'reth_jemalloc_resident',
  'system_memory_used',
] as const;

/**
 * The limit, when not configured: a container's memory limit (cAdvisor-style, 0 = none), the
 * machine's memory (node_exporter), the process's address-space limit (-1 or absurdly large = none).
 */
export const LIMIT_METRICS = [
  'container_spec_memory_limit_bytes',
  'node_memory_MemTotal_bytes',
  'process_virtual_memory_max_bytes',
] as const;

/** Above this a "limit" means unlimited (RLIM_INFINITY, cgroup's page-rounded max). 2^60 bytes = 1 EiB. */
const UNLIMITED = 2 ** 60;

const WANTED: ReadonlySet<string> = new Set([...RESIDENT_METRICS, ...LIMIT_METRICS]);

export type MemoryReading =
  | { ok: true; residentBytes: number; residentMetric: string; limitBytes: number | null; limitSource: string | null }
  | { ok: false; message: string };

/**
 * Only the lines of the metrics above go to the parser: a node exposes hundreds of KB of
 * metrics, and text that is not Prometheus at all (an HTML error page) then parses to nothing.
 */
function relevantLines(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const name = /^(?:#\s*(?:TYPE|HELP)\s+)?([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)?.[1];
    if (name && WANTED.has(name)) out.push(line);
  }
  // The parser drops a last sample that has no newline after it.
  return out.map((l) => `${l}\n`).join('');
}

/** Largest finite value across a family's series (a labelled family may have several). */
function valueOf(families: readonly PromFamily[], name: string): number | null {
  const family = families.find((f) => f.name === name);
  let best: number | null = null;
  for (const s of family?.metrics ?? []) {
    const v = Number(s.value);
    if (s.value !== undefined && Number.isFinite(v) && (best === null || v > best)) best = v;
  }
  return best;
}

export function readMemory(text: string, configuredLimitBytes?: number): MemoryReading {
  let families: PromFamily[];
  try {
    families = parsePrometheusTextFormat(relevantLines(text));
  } catch (err) {
    return { ok: false, message: `not Prometheus text (${(err as Error).message.slice(0, 80)})` };
  }
  const residentMetric = RESIDENT_METRICS.find((name) => (valueOf(families, name) ?? 0) > 0);
  if (!residentMetric) return { ok: false, message: `no resident memory metric (read ${RESIDENT_METRICS.join(', ')})` };
  const residentBytes = valueOf(families, residentMetric)!;
  if (configuredLimitBytes !== undefined)
    return { ok: true, residentBytes, residentMetric, limitBytes: configuredLimitBytes, limitSource: 'config' };
  for (const name of LIMIT_METRICS) {
    const v = valueOf(families, name);
    if (v !== null && v > 0 && v < UNLIMITED) return { ok: true, residentBytes, residentMetric, limitBytes: v, limitSource: name };
  }
  return { ok: true, residentBytes, residentMetric, limitBytes: null, limitSource: null };
}
