/**
 * A network's `statusPage:` key: the network's official status page, read on a schedule as
 * evidence from the `official` source (src/official/, src/engine/official-evidence.ts).
 *
 *   statusPage: https://status.example.org/api/v2/summary.json     # the JSON URL: kind from its path
 *   statusPage: { url: https://status.example.org, kind: statuspage, every: 1m, components: [RPC, Sequencer] }
 *
 * The kind (Atlassian Statuspage, Instatus, Better Stack) comes from the URL: its path
 * (`/api/v2/summary.json`, `/summary.json`, `/index.json`) or its host (`*.statuspage.io`,
 * `*.instatus.com`, `*.betteruptime.com`, `*.betterstack.com`); `kind:` says it when neither
 * does (a custom domain), and then a page's base URL gets the kind's JSON path. Messages never
 * quote the URL (it came from the file, but may have come from the environment).
 */
import { z } from 'zod';
import { STATUS_PAGE_KINDS, type StatusPageKind } from '../model';
import { parseDuration } from './duration';
import { errorMap, strict, type Path, type RawIssue } from './zod-helpers';

export interface NetworkStatusPage {
  /** The JSON document read (summary.json, index.json). */
  url: string;
  kind: StatusPageKind;
  everyMs: number;
  /** Per read, within the interval. */
  timeoutMs: number;
  /** Only these components count (names as the page shows them, any case); absent: all. */
  components?: string[];
}

export const STATUS_PAGE_EVERY = { defaultMs: 60_000, minMs: 1_000, maxMs: 3_600_000 } as const;

/** The JSON path of each kind, appended to a page's base URL. */
export const STATUS_PAGE_PATHS: Readonly<Record<StatusPageKind, string>> = {
  statuspage: '/api/v2/summary.json',
  instatus: '/summary.json',
  betterstack: '/index.json',
};

export const StatusPageObjectSchema = strict({
  url: z.string(),
  kind: z.enum(STATUS_PAGE_KINDS, { error: `must be one of ${STATUS_PAGE_KINDS.join(', ')}` }).optional(),
  every: z.unknown().optional(),
  components: z.array(z.string().min(1).max(120)).min(1).max(50).optional(),
});
export type StatusPageInput = string | z.output<typeof StatusPageObjectSchema>;
/**
 * The URL, or the mapping. Dispatched by type rather than a z.union: a union of the two hides the
 * mapping's own issues ("kind: must be one of …") behind one "invalid input".
 */
export const StatusPageSchema = z.unknown().transform((v, ctx): StatusPageInput => {
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.issues.push({ code: 'custom', input: v, message: 'expected the status page URL, or { url, kind?, every?, components? }' });
    return z.NEVER;
  }
  const parsed = StatusPageObjectSchema.safeParse(v, { error: errorMap });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', input: v, path: issue.path, message: issue.message });
  return z.NEVER;
});

/** The kind a URL says by its path or host, or null. */
export function detectStatusPageKind(url: URL): StatusPageKind | null {
  const path = url.pathname.replace(/\/+$/, '').toLowerCase();
  const host = url.hostname.toLowerCase();
  if (path.endsWith('/api/v2/summary.json')) return 'statuspage';
  if (path.endsWith('/index.json')) return 'betterstack';
  if (/\/(?:v[23]\/)?summary\.json$/.test(path)) return 'instatus';
  if (host.endsWith('.statuspage.io')) return 'statuspage';
  if (host.endsWith('.instatus.com')) return 'instatus';
  if (host.endsWith('.betteruptime.com') || host.endsWith('.betterstack.com')) return 'betterstack';
  return null;
}

/**
 * How often a page is read and how long one read may take, from `every` (absent: the default),
 * or undefined when `every` is not a duration from 1 s to 1 h. Each read is bounded by half the
 * interval, at least 1 s and at most 10 s.
 */
export function statusPageTiming(every: unknown): { everyMs: number; timeoutMs: number } | undefined {
  const everyMs = every === undefined ? STATUS_PAGE_EVERY.defaultMs : parseDuration(every);
  if (everyMs === undefined || everyMs < STATUS_PAGE_EVERY.minMs || everyMs > STATUS_PAGE_EVERY.maxMs) return undefined;
  return { everyMs, timeoutMs: Math.min(10_000, Math.max(1_000, Math.floor(everyMs / 2))) };
}

export function resolveStatusPage(input: StatusPageInput, at: Path, issues: RawIssue[]): NetworkStatusPage | undefined {
  const before = issues.length;
  const spec = typeof input === 'string' ? { url: input } : input;
  const urlPath = typeof input === 'string' ? at : [...at, 'url'];
  if (!URL.canParse(spec.url)) {
    issues.push({ path: urlPath, message: 'not a URL' });
    return undefined;
  }
  const url = new URL(spec.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') issues.push({ path: urlPath, message: 'protocol must be http(s)' });
  const detected = detectStatusPageKind(url);
  const given = typeof input === 'string' ? undefined : input.kind;
  if (given && detected && given !== detected && /\.json$/i.test(url.pathname))
    issues.push({ path: [...at, 'kind'], message: `the URL is a ${detected} page's JSON, not ${given}'s` });
  const kind = given ?? detected;
  if (!kind) {
    issues.push({
      path: urlPath,
      message:
        'cannot tell which kind of status page: give its JSON URL (…/api/v2/summary.json for Atlassian Statuspage, …/summary.json for Instatus, …/index.json for Better Stack) or `kind:`',
    });
    return undefined;
  }
  // A page's base URL (its address in a browser) reads the kind's JSON.
  if (!/\.json$/i.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}${STATUS_PAGE_PATHS[kind]}`;
  const timing = statusPageTiming(typeof input === 'string' ? undefined : input.every);
  if (!timing) issues.push({ path: [...at, 'every'], message: 'not a duration from 1s to 1h (e.g. "1m")' });
  if (issues.length > before || !timing) return undefined;
  const components = typeof input === 'string' ? undefined : input.components;
  return { url: url.href, kind, ...timing, ...(components ? { components } : {}) };
}
