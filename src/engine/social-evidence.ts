import { DEFAULT_SOCIAL } from '../config/defaults';
import type { Network, SocialSettings } from '../config/network';
import type { Post, Report, Signal } from '../model';
import { formatDuration } from '../util/format';

/**
 * The social evidence model. Per network: a rolling window of outage reports counted by
 * distinct author (one author counts once; new or spam-like accounts count less), compared
 * with the network's usual rate. Pure: posts and `now` come in, state and signals go out.
 */

export interface SocialState {
  /** In-window reports, newest last; bounded by REPORTS_MAX. */
  reports: Report[];
  /** Usual distinct-reporter rate per hour, an exponentially weighted average. */
  baselinePerHour: number;
  lastEvalAt: number | null;
  /** Post ids already counted (a post seen by two polls counts once); bounded by SEEN_MAX. */
  seen: string[];
}

export const REPORTS_MAX = 500;
export const SEEN_MAX = 2000;
const QUOTE_MAX = 140;
/** The baseline forgets with a one-day half-life: a network's usual chatter, not last hour's. */
const BASELINE_HALF_LIFE_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

export function initialSocialState(): SocialState {
  return { reports: [], baselinePerHour: 0, lastEvalAt: null, seen: [] };
}

/** New or tiny accounts count less: they are cheap to create and often spam. */
export function authorWeight(post: Pick<Post, 'authorCreatedAt' | 'authorFollowers' | 'createdAt'>): number {
  let w = 1;
  if (post.authorCreatedAt !== undefined && post.createdAt - post.authorCreatedAt < 30 * DAY_MS) w *= 0.5;
  if (post.authorFollowers !== undefined && post.authorFollowers < 10) w *= 0.5;
  return w;
}

export function reportOf(post: Post, lang: string): Report {
  return {
    id: `${post.source}:${post.id}`,
    authorId: `${post.source}:${post.authorId ?? post.author}`,
    author: post.author,
    at: post.createdAt,
    weight: authorWeight(post),
    lang,
    text: post.text.length > QUOTE_MAX ? `${post.text.slice(0, QUOTE_MAX - 1)}…` : post.text,
    ...(post.url ? { url: post.url } : {}),
  };
}

export interface SocialVerdict {
  reporters: number;
  weighted: number;
  confidence: number;
  ratePerHour: number;
  baselinePerHour: number;
  languages: string[];
  examples: Report[];
}

/**
 * Folds new reports (outage posts already attributed to this network) into the window and
 * evaluates it at `now`. The baseline learns from the window only while no signal holds, so an
 * outage does not teach the model that outages are normal.
 */
export function observeSocial(
  prev: SocialState,
  reports: readonly Report[],
  network: Network,
  now: number,
  settings: SocialSettings = DEFAULT_SOCIAL,
): { state: SocialState; signals: Signal[]; verdict: SocialVerdict } {
  const seen = new Set(prev.seen);
  const fresh = reports.filter((r) => !seen.has(r.id) && r.at > now - settings.windowMs && r.at <= now + 60_000);
  const window = [...prev.reports, ...fresh].filter((r) => r.at > now - settings.windowMs).slice(-REPORTS_MAX);
  const verdict = judge(window, prev.baselinePerHour, settings);
  const signalled =
    verdict.reporters >= settings.minReporters &&
    verdict.confidence >= settings.minConfidence &&
    verdict.ratePerHour >= settings.baselineFactor * verdict.baselinePerHour;
  const baselinePerHour = signalled ? prev.baselinePerHour : learnBaseline(prev, verdict.ratePerHour, now);
  const state: SocialState = {
    reports: window,
    baselinePerHour,
    lastEvalAt: now,
    seen: [...prev.seen, ...fresh.map((r) => r.id)].slice(-SEEN_MAX),
  };
  return { state, signals: signalled ? [socialSignal(verdict, network, now, settings)] : [], verdict };
}

function judge(window: Report[], baselinePerHour: number, settings: SocialSettings): SocialVerdict {
  // One author counts once, at their highest weight.
  const byAuthor = new Map<string, Report>();
  for (const r of window) {
    const had = byAuthor.get(r.authorId);
    if (!had || r.weight > had.weight) byAuthor.set(r.authorId, r);
  }
  const authors = [...byAuthor.values()];
  const weighted = authors.reduce((s, r) => s + r.weight, 0);
  return {
    reporters: authors.length,
    weighted,
    confidence: 1 - settings.reporterErrorRate ** weighted,
    ratePerHour: (weighted * 3600_000) / settings.windowMs,
    baselinePerHour,
    languages: [...new Set(authors.map((r) => r.lang))].sort(),
    examples: authors.sort((a, b) => b.weight - a.weight || b.at - a.at).slice(0, 3),
  };
}

function learnBaseline(prev: SocialState, ratePerHour: number, now: number): number {
  // No history yet: start from silence and learn slowly, not from the first (maybe outage) window.
  if (prev.lastEvalAt === null) return 0;
  const dt = Math.max(0, now - prev.lastEvalAt);
  const keep = 0.5 ** (dt / BASELINE_HALF_LIFE_MS);
  return prev.baselinePerHour * keep + ratePerHour * (1 - keep);
}

function socialSignal(v: SocialVerdict, network: Network, now: number, settings: SocialSettings): Signal {
  const quotes = v.examples.map((r) => `“${r.text.replace(/\s+/g, ' ')}” (${r.author})`).join(' ');
  const usual = v.baselinePerHour < 0.05 ? 'usually none' : `usually ${v.baselinePerHour.toFixed(1)} an hour`;
  return {
    network: network.name,
    kind: 'social_reports',
    severity: 'minor',
    at: now,
    source: 'social',
    weak: true,
    summary: `${v.reporters} people reported problems with ${network.displayName} in the last ${formatDuration(settings.windowMs)} (${v.languages.join(', ')}; ${usual}): ${quotes}`,
    details: {
      reporters: v.reporters,
      weighted: Number(v.weighted.toFixed(2)),
      confidence: Number(v.confidence.toFixed(3)),
      ratePerHour: Number(v.ratePerHour.toFixed(2)),
      baselinePerHour: Number(v.baselinePerHour.toFixed(2)),
      languages: v.languages.join(','),
    },
    evidence: v.examples.map((r) => r.url).filter((u): u is string => !!u),
  };
}
