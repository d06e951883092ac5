import { z } from 'zod';
import type { Network } from '../config/network';
import { statusPageTiming } from '../config/status-page';
import {
  failureSummary,
  type HeadSample,
  type NodeSample,
  SCRAPE_FAILURE_KINDS,
  STATUS_PAGE_FAILURE_KINDS,
  STATUS_PAGE_KINDS,
  type StatusPageReading,
} from '../model';
import { parseStatusPage } from '../official/parse';

/**
 * The replay format of DESIGN.md: JSON Lines ordered by `t`. `network` lines declare networks
 * (thresholds as in the config file may be given on them), `head` and `rpc_error` are one poll
 * of one endpoint, `post` a community post, `node` one scrape of a node's metrics, `status_page`
 * one read of the network's official status page.
 */

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'not a 32-byte hex hash');
/**
 * ISO 8601 date and time with its zone, as `toISOString` writes it (2025-03-07T12:00:00.000Z, or
 * an offset). `Date.parse` alone takes "June 5" (in the machine's year and zone) and rolls
 * February 30 over into March; a zone-less time would be read in the machine's zone.
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const iso = z.string().refine((s) => {
  const m = ISO_8601.exec(s);
  if (!m || Number.isNaN(Date.parse(s))) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d && mo >= 1 && mo <= 12;
}, 'not an ISO 8601 time with a zone (e.g. 2025-03-07T12:00:00.000Z)');
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const NetworkLine = z
  .object({
    type: z.literal('network'),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes'),
    displayName: z.string().optional(),
    chainId: z.number().int().positive().optional(),
    blockTimeMs: z.number().positive(),
    endpoints: z.array(z.string().min(1)).min(1),
    thresholds: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).optional(),
    /** Settings of the learnt thresholds, by Network.learn's names (src/config/network.ts). */
    learn: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
  })
  .catchall(z.union([z.number(), z.string(), z.null()]));

export const HeadLine = z.object({
  t: iso,
  type: z.literal('head'),
  network: z.string(),
  endpoint: z.string(),
  number: count,
  hash: hex32,
  parentHash: hex32,
  timestamp: count,
  safe: count.optional(),
  finalized: count.optional(),
  /** Transactions in the block, and its gas (`chainwatch record` writes them). */
  txCount: count.optional(),
  gasUsed: z.number().nonnegative().optional(),
  gasLimit: z.number().nonnegative().optional(),
  /** `eth_chainId` when that poll asked it. */
  chainId: z.number().int().positive().optional(),
  latencyMs: z.number().nonnegative().optional(),
  ancestors: z
    .array(z.object({ number: count, hash: hex32, parentHash: hex32, timestamp: count }))
    .max(128)
    .optional(),
});

export const RpcErrorLine = z.object({
  t: iso,
  type: z.literal('rpc_error'),
  network: z.string(),
  endpoint: z.string(),
  error: z.enum(['timeout', 'http', 'rpc', 'malformed', 'unreachable']),
  status: z.number().int().optional(),
  message: z.string().max(500).optional(),
  latencyMs: z.number().nonnegative().optional(),
});

export const PostLine = z.object({
  t: iso,
  type: z.literal('post'),
  source: z.enum(['x', 'discord']),
  id: z.string(),
  author: z.string(),
  text: z.string().max(100_000),
  lang: z.string().optional(),
  network: z.string().optional(),
  authorId: z.string().optional(),
  url: z.string().optional(),
  authorFollowers: z.number().int().nonnegative().optional(),
  /** ISO time the author's account was created (new accounts count less). */
  authorCreatedAt: iso.optional(),
});

/**
 * One scrape of a node's metrics (src/telemetry): resident bytes against the limit, or the
 * scrape's failure. The endpoint gets node telemetry with default settings on its first line.
 */
export const NodeLine = z
  .object({
    t: iso,
    type: z.literal('node'),
    network: z.string(),
    endpoint: z.string(),
    residentBytes: z.number().positive().optional(),
    limitBytes: z.number().positive().nullable().optional(),
    error: z.enum(SCRAPE_FAILURE_KINDS).optional(),
    /** Name shown in messages ("op-reth"). */
    process: z.string().max(40).optional(),
  })
  .refine((l) => (l.residentBytes === undefined) !== (l.error === undefined), 'give residentBytes or error, not both');

/**
 * One read of the network's official status page: the JSON as the page served it (`body`, read
 * by the same parser as a live read, src/official/parse.ts), or why the read failed (`error`).
 * The network gets `statusPage` settings on its first such line: `kind` (default statuspage),
 * `every` (how often it was read: a failed read keeps the last page for max(10 min, 5 reads)) and
 * `components` as in the config file.
 */
export const StatusPageLine = z
  .object({
    t: iso,
    type: z.literal('status_page'),
    network: z.string(),
    kind: z.enum(STATUS_PAGE_KINDS).optional(),
    body: z.unknown().optional(),
    error: z.enum(STATUS_PAGE_FAILURE_KINDS).optional(),
    status: z.number().int().optional(),
    message: z.string().max(500).optional(),
    every: z
      .union([z.string(), z.number()])
      .refine((v) => statusPageTiming(v) !== undefined, 'a duration from 1s to 1h (e.g. "1m")')
      .optional(),
    components: z.array(z.string().min(1).max(120)).min(1).max(50).optional(),
  })
  .refine((l) => (l.body === undefined) !== (l.error === undefined), 'give body or error, not both');

export const TimelineLine = z.discriminatedUnion('type', [NetworkLine, HeadLine, RpcErrorLine, PostLine, NodeLine, StatusPageLine]);
export type TimelineLine = z.infer<typeof TimelineLine>;
export type NetworkLine = z.infer<typeof NetworkLine>;

export function sampleFromLine(line: z.infer<typeof HeadLine> | z.infer<typeof RpcErrorLine>): HeadSample {
  const observedAt = Date.parse(line.t);
  const base = { network: line.network, endpoint: line.endpoint, observedAt, latencyMs: line.latencyMs ?? 0 };
  if (line.type === 'rpc_error') {
    // The recorded text is the provider's: it goes to `detail` (logs), never into public words.
    return {
      ok: false,
      ...base,
      kind: line.error,
      message: failureSummary(line.error, line.status),
      ...(line.status !== undefined ? { status: line.status } : {}),
      ...(line.message ? { detail: line.message } : {}),
    };
  }
  const { number, hash, parentHash, timestamp, safe, finalized, ancestors, txCount, gasUsed, gasLimit, chainId } = line;
  return {
    ok: true,
    ...base,
    number,
    hash,
    parentHash,
    timestamp,
    ...(safe !== undefined ? { safe } : {}),
    ...(finalized !== undefined ? { finalized } : {}),
    ...(txCount !== undefined ? { txCount } : {}),
    ...(gasUsed !== undefined ? { gasUsed } : {}),
    ...(gasLimit !== undefined ? { gasLimit } : {}),
    ...(chainId !== undefined ? { chainId } : {}),
    ...(ancestors ? { ancestors } : {}),
  };
}

export function lineFromSample(s: HeadSample): Record<string, unknown> {
  const t = new Date(s.observedAt).toISOString();
  if (!s.ok) {
    return {
      t,
      type: 'rpc_error',
      network: s.network,
      endpoint: s.endpoint,
      error: s.kind,
      ...(s.status !== undefined ? { status: s.status } : {}),
      // The provider's words where there were some (redacted), so a replay can be read later.
      message: s.detail ?? s.message,
      latencyMs: s.latencyMs,
    };
  }
  return {
    t,
    type: 'head',
    network: s.network,
    endpoint: s.endpoint,
    number: s.number,
    hash: s.hash,
    parentHash: s.parentHash,
    timestamp: s.timestamp,
    ...(s.safe !== undefined ? { safe: s.safe } : {}),
    ...(s.finalized !== undefined ? { finalized: s.finalized } : {}),
    ...(s.txCount !== undefined ? { txCount: s.txCount } : {}),
    ...(s.gasUsed !== undefined ? { gasUsed: s.gasUsed } : {}),
    ...(s.gasLimit !== undefined ? { gasLimit: s.gasLimit } : {}),
    ...(s.chainId !== undefined ? { chainId: s.chainId } : {}),
    latencyMs: s.latencyMs,
  };
}

export function nodeSampleFromLine(line: z.infer<typeof NodeLine>): NodeSample {
  const base = { endpoint: line.endpoint, observedAt: Date.parse(line.t), latencyMs: 0 };
  if (line.error !== undefined || line.residentBytes === undefined)
    return { ok: false, ...base, kind: line.error ?? 'malformed', message: line.error ?? 'no reading' };
  return {
    ok: true,
    ...base,
    residentBytes: line.residentBytes,
    residentMetric: 'replay',
    limitBytes: line.limitBytes ?? null,
    limitSource: line.limitBytes ? 'replay' : null,
  };
}

/** The `statusPage` settings a network gets from its first status_page line, by the config file's rules. */
export function statusPageFromLine(line: z.infer<typeof StatusPageLine>): NonNullable<Network['statusPage']> {
  return {
    url: `replay://${line.network}/status`,
    kind: line.kind ?? 'statuspage',
    ...statusPageTiming(line.every)!, // checked when the line was parsed
    ...(line.components ? { components: line.components } : {}),
  };
}

/** The line as a live read would have returned it: the page parsed, or the failure (never a throw). */
export function readingFromLine(line: z.infer<typeof StatusPageLine>): StatusPageReading {
  const at = Date.parse(line.t);
  if (line.error !== undefined) {
    // As a live read says it (jobs/status-page.ts): the class, the HTTP status; recorded text only as given.
    const message = line.message ?? (line.status !== undefined ? `HTTP ${line.status}` : line.error);
    return { ok: false, at, kind: line.error, message, ...(line.status !== undefined ? { status: line.status } : {}) };
  }
  const parsed = parseStatusPage(line.kind ?? 'statuspage', line.body, at);
  return parsed.ok ? parsed : { ok: false, at, kind: 'malformed', message: parsed.message };
}

/** `networks[…]`-style messages for a bad line: "line 12: number: expected number". */
export function describeLineError(lineNo: number, err: z.ZodError | Error): string {
  if (err instanceof z.ZodError) {
    const first = err.issues[0];
    const path = first?.path.join('.') || 'line';
    return `line ${lineNo}: ${path}: ${first?.message ?? 'invalid'}`;
  }
  return `line ${lineNo}: ${err.message}`;
}
