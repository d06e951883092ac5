/**
 * The `x:` section. Tokens are read from the environment only: X_BEARER_TOKEN (reading: recent
 * search) and X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET (the posting account,
 * OAuth 1.0a). Either pair may be absent: no bearer, no search; no user tokens, no posting.
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import type { Secrets } from './secrets';
import { strict, type Path, type RawIssue } from './zod-helpers';

export interface XConfig {
  apiBaseUrl: string;
  /** Reads and posts together, in US dollars per calendar month (UTC). */
  monthlyBudgetUsd: number;
  prices: { readUsd: number; postUsd: number; postWithUrlUsd: number };
  /** Handle of the posting account: its own posts are left out of searches. */
  account: string | null;
  maxPostsPerIncident: number;
  minUpdateIntervalMs: number;
  /** Link for the root post, `{id}` replaced by the incident id; else the Discord thread. */
  incidentLink: string | null;
  /** Attach the incident picture to the root post (default true). */
  images?: boolean;
  bearerToken: string | null;
  user: { appKey: string; appSecret: string; accessToken: string; accessSecret: string } | null;
}

export const XSchema = strict({
  apiBaseUrl: z.string().url('not a URL').optional(),
  monthlyBudget: z.number().min(0).max(1_000_000).optional(),
  prices: strict({
    read: z.number().min(0).optional(),
    post: z.number().min(0).optional(),
    postWithUrl: z.number().min(0).optional(),
  }).optional(),
  account: z
    .string()
    .regex(/^@?[A-Za-z0-9_]{1,15}$/, 'must be an X handle: 1 to 15 letters, digits or _, with or without @')
    .optional(),
  maxPostsPerIncident: z.number().int().min(2).max(50).optional(),
  minUpdateInterval: z.unknown().optional(),
  incidentLink: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL, with {id} for the incident id')
    .optional(),
  images: z.boolean().optional(),
});

const DEFAULTS = { apiBaseUrl: 'https://api.x.com', monthlyBudgetUsd: 50, maxPostsPerIncident: 6, minUpdateIntervalMs: 20 * 60_000 };

export function resolveX(input: z.output<typeof XSchema>, secrets: Secrets, issues: RawIssue[]): XConfig | undefined {
  const at: Path = ['x'];
  const before = issues.length;
  const bearerToken = secrets.get('X_BEARER_TOKEN') ?? null;
  const parts = ['X_APP_KEY', 'X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'].map((n) => [n, secrets.get(n)] as const);
  for (const name of ['X_BEARER_TOKEN', ...parts.map(([n]) => n)]) {
    const problem = secrets.fileProblem(name);
    if (problem) issues.push({ path: at, message: problem });
  }
  const given = parts.filter(([, v]) => v);
  if (given.length > 0 && given.length < parts.length) {
    issues.push({
      path: at,
      message: `posting needs all of X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET; missing ${parts
        .filter(([, v]) => !v)
        .map(([n]) => n)
        .join(', ')}`,
    });
  }
  if (!bearerToken && given.length === 0) {
    issues.push({
      path: at,
      message: 'no X credentials in the environment: set X_BEARER_TOKEN to read, the X_APP_*/X_ACCESS_* tokens to post',
    });
  }
  const minUpdateIntervalMs = input.minUpdateInterval === undefined ? DEFAULTS.minUpdateIntervalMs : parseDuration(input.minUpdateInterval);
  if (minUpdateIntervalMs === undefined || minUpdateIntervalMs > 24 * 3600_000)
    issues.push({ path: [...at, 'minUpdateInterval'], message: 'not a duration of at most 24 hours' });
  if (issues.length > before) return undefined;
  const [appKey, appSecret, accessToken, accessSecret] = parts.map(([, v]) => v ?? '');
  return {
    apiBaseUrl: (input.apiBaseUrl ?? DEFAULTS.apiBaseUrl).replace(/\/+$/, ''),
    monthlyBudgetUsd: input.monthlyBudget ?? DEFAULTS.monthlyBudgetUsd,
    prices: {
      readUsd: input.prices?.read ?? 0.005,
      postUsd: input.prices?.post ?? 0.015,
      postWithUrlUsd: input.prices?.postWithUrl ?? 0.2,
    },
    account: input.account?.replace(/^@/, '') ?? null,
    maxPostsPerIncident: input.maxPostsPerIncident ?? DEFAULTS.maxPostsPerIncident,
    minUpdateIntervalMs: minUpdateIntervalMs!,
    incidentLink: input.incidentLink ?? null,
    images: input.images ?? true,
    bearerToken,
    user:
      given.length === parts.length
        ? { appKey: appKey!, appSecret: appSecret!, accessToken: accessToken!, accessSecret: accessSecret! }
        : null,
  };
}
