import { defaultThresholds, parseDuration } from '../config';
import type { Network, Thresholds } from '../config/network';
import type { NetworkLine } from './format';

const RESERVED = new Set(['type', 'name', 'displayName', 'chainId', 'blockTimeMs', 'endpoints', 'thresholds', 'learn']);

/**
 * A `type: network` line as a Network: thresholds default from the block time as in the
 * config file, and may be given either as in the config file (`stall: "10s"`) or by their
 * field names (`stallMs: 10000`), on the line itself or under `thresholds`.
 */
export function networkFromLine(line: NetworkLine): Network {
  const thresholds: Thresholds = { ...defaultThresholds(line.blockTimeMs) };
  const given: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(line).filter(([k]) => !RESERVED.has(k))),
    ...line.thresholds,
  };
  for (const [key, value] of Object.entries(given)) applyThreshold(thresholds, key, value, line.name);
  // As in the config file: a stall written on the line is the learnt stall's ceiling.
  const stallWritten = 'stall' in given || 'stallMs' in given;
  const learn = { ...(stallWritten ? { stallWritten } : {}), ...(line.learn ?? {}) } as Network['learn'];
  return {
    name: line.name,
    displayName: line.displayName ?? line.name,
    chainId: line.chainId ?? 0,
    blockTimeMs: line.blockTimeMs,
    endpoints: line.endpoints.map((label) => ({ label, url: `replay://${label}` })),
    thresholds,
    ...(learn && Object.keys(learn).length > 0 ? { learn } : {}),
  };
}

function applyThreshold(t: Thresholds, key: string, value: unknown, network: string): void {
  const field = (key in t ? key : `${key}Ms` in t ? `${key}Ms` : null) as keyof Thresholds | null;
  if (!field) throw new Error(`network ${network}: unknown threshold "${key}"`);
  if (value === null && field === 'safeLagBlocks') {
    t.safeLagBlocks = null;
    return;
  }
  const n = field.endsWith('Ms') ? parseDuration(value) : Number(value);
  if (n === undefined || !Number.isFinite(n) || n < 0)
    throw new Error(`network ${network}: ${key}: not a valid value (${JSON.stringify(value)})`);
  (t as unknown as Record<string, number>)[field] = n;
}
