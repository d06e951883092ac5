/**
 * The config file's shape, in zod. Every section is checked on its own (see load.ts) so that
 * one bad section does not hide the problems of the others.
 *
 * Messages never quote a value unless the issue carries a `plain` variant without it: load.ts
 * swaps in `plain` when the value came from the environment (it may be a secret).
 */
import { z } from 'zod';
import type { EndpointMetrics, Thresholds } from './network';
import { LOG_LEVELS } from './types';
import { count, DAY, didYouMean, duration, fail, num, quote, SECOND, strict } from './zod-helpers';
import { parseBytes } from '../util/bytes';
import { normaliseMinimum } from '../util/client-version';
import { DEFAULT_MEMORY_SETTINGS, fileKey } from './defaults';
import { presetNames, resolvePreset } from './presets';

/** Limits per field; typed on `Thresholds` so a field added there fails to compile until added here. */
const THRESHOLD_RULES: Record<keyof Thresholds, z.ZodType> = {
  pollIntervalMs: duration({ min: 100, max: 10 * 60 * SECOND }),
  // The poll job holds a worker slot while it waits; a minute means the endpoint is down anyway.
  requestTimeoutMs: duration({ min: 100, below: 60 * SECOND }),
  stallMs: duration({ min: SECOND, max: DAY }),
  endpointDownFailures: count(1, 1000),
  endpointLagBlocks: count(1, 1_000_000),
  endpointStuckMs: duration({ min: SECOND, max: DAY }),
  reorgMinDepth: count(1, 100_000),
  reorgMajorDepth: count(1, 100_000),
  // 1 or less would call every ordinary block slow.
  slowFactor: num({ above: 1, max: 1000, integer: false }),
  slowWindowMs: duration({ min: SECOND, max: DAY }),
  safeLagBlocks: num({ min: 1, max: 100_000_000, nullable: true }),
  // 0: open at once; 0 reopenWindow: never reopen.
  confirmMs: duration({ min: 0, max: DAY }),
  resolveAfterMs: duration({ min: SECOND, max: DAY }),
  reopenWindowMs: duration({ min: 0, max: 7 * DAY }),
  criticalAfterMs: duration({ min: SECOND, max: DAY }),
};

/** File keys ("stall") in, `Thresholds` fields ("stallMs") out; absent keys stay absent. */
export const ThresholdsSchema = strict(
  Object.fromEntries(Object.entries(THRESHOLD_RULES).map(([field, rule]) => [fileKey(field as keyof Thresholds), rule.optional()])),
).transform((input) => {
  const out: Partial<Record<keyof Thresholds, unknown>> = {};
  for (const field of Object.keys(THRESHOLD_RULES) as (keyof Thresholds)[]) {
    const v = input[fileKey(field)];
    if (v !== undefined) out[field] = v;
  }
  return out as Partial<Thresholds>;
});

function url(protocols: readonly string[], protocolMessage: string) {
  return z.string().superRefine((s, ctx) => {
    if (!URL.canParse(s)) ctx.addIssue({ code: 'custom', message: 'not a URL' });
    else if (!protocols.includes(new URL(s).protocol)) ctx.addIssue({ code: 'custom', message: protocolMessage });
  });
}

/** A share of the memory limit: 0.9 or "90%". */
const share = z.unknown().transform((v, ctx) => {
  const n = typeof v === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(v) ? Number(v.trim().slice(0, -1)) / 100 : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n >= 1)
    return fail(ctx, 'must be a share of the limit above 0 and below 1, e.g. 0.9 or "90%"');
  return n;
});

/** `endpoints[].metrics`: the node's Prometheus text, and how to judge its memory (src/telemetry). */
export const MetricsSchema = strict({
  url: url(['http:', 'https:'], 'protocol must be http(s)'),
  memoryLimit: z
    .unknown()
    .transform((v, ctx) => parseBytes(v) ?? fail(ctx, 'not a memory size: bytes, or e.g. "32GiB", "512MiB"'))
    .optional(),
  scrapeEvery: duration({ min: SECOND, max: 10 * 60 * SECOND }).optional(),
  process: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,39}$/, 'must be 1-40 letters, digits, ".", "_" or "-" (the name shown, e.g. op-reth)')
    .optional(),
  warnWithin: duration({ min: 60 * SECOND, max: 7 * DAY }).optional(),
  highWatermark: share.optional(),
  lowWatermark: share.optional(),
}).transform((m, ctx): EndpointMetrics => {
  const highWatermark = m.highWatermark ?? DEFAULT_MEMORY_SETTINGS.highWatermark;
  const lowWatermark = m.lowWatermark ?? Math.min(DEFAULT_MEMORY_SETTINGS.lowWatermark, highWatermark - 0.05);
  if (lowWatermark >= highWatermark) ctx.addIssue({ code: 'custom', path: ['lowWatermark'], message: 'must be below highWatermark' });
  return {
    url: m.url,
    ...(m.memoryLimit !== undefined ? { memoryLimitBytes: m.memoryLimit } : {}),
    scrapeEveryMs: m.scrapeEvery ?? 15 * SECOND,
    ...(m.process ? { process: m.process } : {}),
    warnWithinMs: m.warnWithin ?? DEFAULT_MEMORY_SETTINGS.warnWithinMs,
    highWatermark,
    lowWatermark,
  };
});

/** `minClientVersion: "1.3.0"` (any client) or `{ reth: "1.3.0", geth: "1.14.0" }` -> by lowercase client name. */
export const MinClientVersionSchema = z
  .union([z.string(), z.record(z.string(), z.string())], { error: 'expected a version ("1.3.0") or a mapping of client name to version' })
  .transform((v, ctx) => {
    const entries = typeof v === 'string' ? [['*', v] as const] : Object.entries(v);
    const out: Record<string, string> = {};
    for (const [client, text] of entries) {
      const version = normaliseMinimum(text);
      if (version === undefined) fail(ctx, `not a version (${quote(text)}): write e.g. "1.3.0"`, 'not a version: write e.g. "1.3.0"');
      else out[client.toLowerCase()] = version;
    }
    return out;
  });

export const EndpointSchema = strict({
  label: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,39}$/, 'must be 1-40 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  url: url(['http:', 'https:', 'ws:', 'wss:'], 'protocol must be http(s) or ws(s)'),
  metrics: MetricsSchema.optional(),
  minClientVersion: MinClientVersionSchema.optional(),
});

export const NetworkSchema = strict({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lowercase letters, digits or "-", starting with a letter or digit'),
  chain: z
    .string()
    .superRefine((name, ctx) => {
      if (resolvePreset(name)) return;
      const message = `unknown viem chain ${quote(name)}`;
      ctx.addIssue({ code: 'custom', message: `${message}${didYouMean(name, presetNames())}`, params: { plain: 'unknown viem chain' } });
    })
    .optional(),
  displayName: z.string().min(1).max(80).optional(),
  chainId: count(1, Number.MAX_SAFE_INTEGER).optional(),
  blockTime: duration({ min: 1, max: 3_600_000 }).optional(),
  explorerUrl: url(['http:', 'https:'], 'protocol must be http(s)').optional(),
  // null: a key left with every entry commented out; same as absent.
  endpoints: z.array(EndpointSchema).min(1, 'must list at least one endpoint').nullish(),
  // Endpoints that must reach a head before it is the network's (default: a majority, at least 2 of 3 or more).
  quorum: count(1, 64).optional(),
  thresholds: ThresholdsSchema.nullish(),
  social: z.unknown().optional(),
  // Its own section file (src/config/probe.ts), parsed where the key is read.
  probe: z.unknown().optional(),
  // The official status page (src/config/status-page.ts), parsed where the key is read.
  statusPage: z.unknown().optional(),
  minClientVersion: MinClientVersionSchema.optional(),
});
export type NetworkInput = z.output<typeof NetworkSchema>;

// The `redis:` section lives in redis.ts (url, cluster or sentinel, passwords, TLS, WAIT).
export const LogSchema = strict({ level: z.enum(LOG_LEVELS).optional() });
export const DEFAULT_STATUS_TITLE = 'chainwatch status';
export const HttpSchema = strict({
  port: count(0, 65535).optional(),
  host: z.string().min(1).max(255).optional(),
  // A base URL only: a query or fragment would end up in the middle of every incident link.
  publicUrl: url(['http:', 'https:'], 'protocol must be http(s)')
    .refine((s) => !URL.canParse(s) || (!new URL(s).search && !new URL(s).hash), 'must be a base URL without ?query or #fragment')
    .optional(),
  statusPage: z.boolean({ error: (iss) => (iss.input === undefined ? undefined : 'must be true or false') }).optional(),
  title: z.string().min(1).max(80).optional(),
  // Bull Board's write actions (add, retry, pause, clean, …); read-only unless this is true.
  adminWrite: z.boolean({ error: (iss) => (iss.input === undefined ? undefined : 'must be true or false') }).optional(),
});
export const WorkerSchema = strict({ concurrency: count(1, 1024).optional() });
export const DefaultsSchema = strict({ thresholds: ThresholdsSchema.nullish() });

export const NetworksSchema = z
  .array(z.unknown(), { error: (iss) => (iss.input === undefined ? 'required: list at least one network' : undefined) })
  .min(1, 'must list at least one network');

/** Top level: only the keys are checked here; each section is parsed on its own. */
export const RootSchema = strict({
  redis: z.unknown().optional(),
  log: z.unknown().optional(),
  worker: z.unknown().optional(),
  defaults: z.unknown().optional(),
  networks: z.unknown().optional(),
  discord: z.unknown().optional(),
  x: z.unknown().optional(),
  http: z.unknown().optional(),
  heartbeat: z.unknown().optional(),
  connectivity: z.unknown().optional(),
});
