/**
 * The config file's shape, in zod. Every section is checked on its own (see load.ts) so that
 * one bad section does not hide the problems of the others.
 *
 * Messages never quote a value unless the issue carries a `plain` variant without it: load.ts
 * swaps in `plain` when the value came from the environment (it may be a secret).
 */
import { z } from 'zod';
import type { DiscordConfig } from './discord';
import type { XConfig } from './x';
import type { EndpointMetrics, Network, Thresholds } from './network';
import { parseBytes } from '../telemetry/bytes';
import { normaliseMinimum } from '../telemetry/client-version';
import { DEFAULT_MEMORY_SETTINGS } from '../telemetry/memory-trend';
import { formatDuration, parseDuration } from './duration';
import { fileKey } from './defaults';
import { presetNames, resolvePreset } from './presets';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  /** `prefix` names keys and queues; src/queue wraps it in a Redis Cluster hash tag. */
  redis: { url: string; prefix: string };
  log: { level: LogLevel };
  /** `concurrency`: parallel chain-poll jobs per worker process. */
  worker: { concurrency: number };
  networks: Network[];
  /** Present when the file has a `discord:` section (and the token is in the environment). */
  discord?: DiscordConfig;
  /** Present when the file has an `x:` section (and X tokens are in the environment). */
  x?: XConfig;
  /** /healthz, /readyz, /metrics, the status page and feeds; off when the file has no `http:` section. */
  http?: HttpConfig;
}

export interface HttpConfig {
  port: number;
  host: string;
  /** The status page's public base URL, no trailing slash; incident pages are `<publicUrl>/incident/<id>`. */
  publicUrl?: string;
  /** Serve the public status page, JSON feeds, Atom feed and badges (absent: true). */
  statusPage?: boolean;
  /** The status page's title (absent: "chainwatch status"). */
  title?: string;
  /** Bull Board at /admin/queues: HTTP Basic credentials from CHAINWATCH_ADMIN_USER/_PASSWORD (or *_FILE). */
  admin?: { user: string; password: string };
}

export type Path = (string | number)[];
/** One problem found; `plain` is `message` without any quoted value. */
export interface RawIssue { path: Path; message: string; plain?: string; quotes?: Path[] }

/** ['networks', 2, 'endpoints', 0, 'url'] -> "networks[2].endpoints[0].url" */
export function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** JSON-quoted and cut short: a stray paste must not flood the terminal. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** ' (did you mean "endpoints"?)' for the nearest candidate within a few edits, else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/**
 * A strict object whose unknown-key message suggests the nearest known key. zod reports all
 * unknown keys of one object as one issue; the message holds one line per key, in order, and
 * `zodIssues` splits it back into one issue per key.
 */
export function strict<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? iss.keys.map((k) => `unknown key${didYouMean(k, known)}`).join('\n')
        : undefined,
  });
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`);
const EXPECTED: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number' };

/** Plain-words messages for zod's built-in checks. None of them quotes the input. */
export const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'required' : `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${kindOf(iss.input)}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map(String).join(', ')}`;
    case 'too_small':
      return iss.origin === 'array' ? `must list at least ${iss.minimum}` : iss.origin === 'string' ? 'must not be empty' : undefined;
    case 'too_big':
      return iss.origin === 'string' ? `must be at most ${iss.maximum} characters` : undefined;
    default:
      return undefined;
  }
};

/** zod issues -> RawIssues under `prefix`, one per unknown key. */
export function zodIssues(error: z.ZodError, prefix: Path): RawIssue[] {
  return error.issues.flatMap((iss): RawIssue[] => {
    const path = [...prefix, ...iss.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (iss.code === 'unrecognized_keys') {
      const lines = iss.message.split('\n');
      return iss.keys.map((k, i) => ({ path: [...path, k], message: lines[i] ?? 'unknown key' }));
    }
    const plain = iss.code === 'custom' && typeof iss.params?.plain === 'string' ? iss.params.plain : undefined;
    return [{ path, message: iss.message, ...(plain !== undefined ? { plain } : {}) }];
  });
}

type Ctx = z.core.$RefinementCtx;
const fail = (ctx: Ctx, message: string, plain = message) => {
  ctx.addIssue({ code: 'custom', message, params: { plain } });
  return z.NEVER;
};

/** A duration within [min, max] (or below `below`); a bare number is milliseconds. */
function duration({ min, max, below }: { min: number; max?: number; below?: number }) {
  return z.unknown().transform((v, ctx) => {
    const parsed = parseDuration(v);
    if (parsed === undefined) {
      return fail(ctx, `not a duration${typeof v === 'string' ? ` (${quote(v)})` : ''}`, 'not a duration');
    }
    // `stall: 60` means 60 ms, rarely what was meant.
    const hint = typeof v === 'number' && v > 0 && v < 1000 ? ' (a bare number is milliseconds)' : '';
    if (parsed < min) return fail(ctx, `must be at least ${formatDuration(min)}${hint}`);
    if (max !== undefined && parsed > max) return fail(ctx, `must be at most ${formatDuration(max)}`);
    if (below !== undefined && parsed >= below) return fail(ctx, `must be less than ${formatDuration(below)}`);
    return parsed;
  });
}

/**
 * A number in [min, max]. Digit strings count too, so `${WORKERS}` works.
 * `above`: exclusive lower bound instead of `min`.
 */
function num({ min, max, integer = true, above, nullable = false }: {
  min?: number; max: number; integer?: boolean; above?: number; nullable?: boolean;
}) {
  return z.unknown().transform((v, ctx): number | null => {
    if (v === null && nullable) return null;
    const n = typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) return fail(ctx, integer ? 'must be a whole number' : 'must be a number');
    if (integer && !Number.isInteger(n)) return fail(ctx, 'must be a whole number');
    if (above !== undefined && n <= above) return fail(ctx, `must be greater than ${above}`);
    if (min !== undefined && n < min) return fail(ctx, `must be at least ${min}`);
    if (n > max) return fail(ctx, `must be at most ${max}`);
    return n;
  });
}
const count = (min: number, max: number) => num({ min, max }).pipe(z.number());

const SECOND = 1000;
const DAY = 86_400_000;

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
  Object.fromEntries(
    Object.entries(THRESHOLD_RULES).map(([field, rule]) => [fileKey(field as keyof Thresholds), rule.optional()]),
  ),
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
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n >= 1) return fail(ctx, 'must be a share of the limit above 0 and below 1, e.g. 0.9 or "90%"');
  return n;
});

/** `endpoints[].metrics`: the node's Prometheus text, and how to judge its memory (src/telemetry). */
export const MetricsSchema = strict({
  url: url(['http:', 'https:'], 'protocol must be http(s)'),
  memoryLimit: z.unknown().transform((v, ctx) => parseBytes(v) ?? fail(ctx, 'not a memory size: bytes, or e.g. "32GiB", "512MiB"')).optional(),
  scrapeEvery: duration({ min: SECOND, max: 10 * 60 * SECOND }).optional(),
  process: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,39}$/, 'must be 1-40 letters, digits, ".", "_" or "-" (the name shown, e.g. op-reth)').optional(),
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
  label: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,39}$/, 'must be 1-40 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  url: url(['http:', 'https:', 'ws:', 'wss:'], 'protocol must be http(s) or ws(s)'),
  metrics: MetricsSchema.optional(),
  minClientVersion: MinClientVersionSchema.optional(),
});

export const NetworkSchema = strict({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lowercase letters, digits or "-", starting with a letter or digit'),
  chain: z.string().superRefine((name, ctx) => {
    if (resolvePreset(name)) return;
    const message = `unknown viem chain ${quote(name)}`;
    ctx.addIssue({ code: 'custom', message: `${message}${didYouMean(name, presetNames())}`, params: { plain: 'unknown viem chain' } });
  }).optional(),
  displayName: z.string().min(1).max(80).optional(),
  chainId: count(1, Number.MAX_SAFE_INTEGER).optional(),
  blockTime: duration({ min: 1, max: 3_600_000 }).optional(),
  explorerUrl: url(['http:', 'https:'], 'protocol must be http(s)').optional(),
  // null: a key left with every entry commented out; same as absent.
  endpoints: z.array(EndpointSchema).min(1, 'must list at least one endpoint').nullish(),
  thresholds: ThresholdsSchema.nullish(),
  social: z.unknown().optional(),
  minClientVersion: MinClientVersionSchema.optional(),
});
export type NetworkInput = z.output<typeof NetworkSchema>;

export const RedisSchema = strict({
  url: url(['redis:', 'rediss:'], 'protocol must be redis or rediss').optional(),
  // Braces would clash with the Redis Cluster hash tag that src/queue puts around the prefix.
  prefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:_-]{0,63}$/, 'must be 1-64 letters, digits, ":", "_" or "-" (no braces: the hash tag is added for you)').optional(),
});
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
});
