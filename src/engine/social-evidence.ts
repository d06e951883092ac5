import { DEFAULT_SOCIAL } from '../config/defaults';
import type { Network, SocialSettings } from '../config/network';
import type { Post, Report, Signal } from '../model';
import { formatDuration } from '../util/format';

/**
 * The social evidence model. Per network: a rolling window of outage reports counted by
 * distinct author (one author counts once; new or spam-like accounts count less), judged
 * against what is usual for the network in two ways:
 *
 *  - the **rate** of reporters must be well above the usual rate, and
 *  - the **share** of reports among all the network's posts must have risen: a burst of 150
 *    price-crash posts with 3 misread as reports is chatter, not an outage, while 3 reports
 *    among 4 posts are news.
 *
 * What is usual starts from a prior (a fresh start is not "usually none": misreads happen) and
 * is learnt from quiet time only, so an outage does not teach the model that outages are normal.
 * Pure: posts and `now` come in, state and signals go out. The state is JSON and bounded:
 * ≤ REPORTS_MAX authors, ≤ QUOTED_MAX quotable reports, ≤ BUCKETS_MAX post-count buckets.
 */

/** One author with a report in the window: [author key, latest report at, weight, lang, that report's id key]. */
export type AuthorEntry = [author: string, at: number, weight: number, lang: string, post: string];
/** Posts about the network written in [start, start + bucket): [start, reports, other posts]. */
export type PostBucket = [start: number, reports: number, others: number];

/** What is usual for the network, as decayed sums over quiet time (a one-day half-life). */
export interface SocialUsual {
  /** ∫ reporter rate dt, in reporter-hours. */
  rate: number;
  hours: number;
  /** Report posts and all posts seen. */
  reports: number;
  posts: number;
}

export interface SocialState {
  /** In-window authors, oldest first; bounded by REPORTS_MAX. */
  authors: AuthorEntry[];
  /** The reports that may be quoted: per weight, the newest QUOTED_PER_WEIGHT authors'; ≤ QUOTED_MAX. */
  quoted: Report[];
  /** Posts about the network per bucket, oldest first; ≤ BUCKETS_MAX. */
  posts: PostBucket[];
  usual: SocialUsual;
  lastEvalAt: number | null;
  /** The window's reporter rate per hour at `lastEvalAt` (what `usual.rate` integrates). */
  lastRate: number;
}

export const REPORTS_MAX = 500;
export const QUOTED_MAX = 12;
export const BUCKETS_MAX = 32;
const QUOTED_PER_WEIGHT = 3;
const QUOTE_MAX = 140;
const DAY_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;
/** What is usual forgets with a one-day half-life: a network's usual chatter, not last hour's. */
const USUAL_HALF_LIFE_MS = DAY_MS;

/**
 * The prior: one reporter an hour and one post in ten a report, worth six hours and twenty
 * posts of observation. Learnt data outweighs it within a day of quiet time (or a few dozen posts).
 */
export const SOCIAL_PRIOR = { ratePerHour: 1, hours: 6, share: 0.1, posts: 20 } as const;
/** The share must be at least this many times the usual share (or halfway to all posts) … */
const SHARE_FACTOR = 2;
/** … and above it beyond chance: one-sided binomial z (5%). */
const SHARE_Z = 1.645;
const SHARE_CLAMP = [0.005, 0.95] as const;

export function initialSocialState(): SocialState {
  return { authors: [], quoted: [], posts: [], usual: { rate: 0, hours: 0, reports: 0, posts: 0 }, lastEvalAt: null, lastRate: 0 };
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

/** Whether the window holds anything that time alone can change (the step moves it on every poll). */
export function socialHasWindow(state: Partial<SocialState> | undefined): boolean {
  const legacy = (state as { reports?: unknown[] } | undefined)?.reports;
  return !!state && ((state.authors?.length ?? 0) > 0 || (state.posts?.length ?? 0) > 0 || (legacy?.length ?? 0) > 0);
}

export interface SocialVerdict {
  reporters: number;
  weighted: number;
  confidence: number;
  ratePerHour: number;
  baselinePerHour: number;
  /** Report posts and all posts about the network in the window, and the usual share. */
  reportPosts: number;
  posts: number;
  share: number;
  usualShare: number;
  languages: string[];
  examples: Report[];
}

/**
 * Folds new reports (outage posts already attributed to this network) and the times of the
 * network's other posts into the window, and evaluates it at `now`.
 */
export function observeSocial(
  prev: SocialState,
  reports: readonly Report[],
  network: Network,
  now: number,
  settings: SocialSettings = DEFAULT_SOCIAL,
  others: readonly number[] = [],
): { state: SocialState; signals: Signal[]; verdict: SocialVerdict } {
  const from = now - settings.windowMs;
  const inWindow = (at: number) => at > from && at <= now + 60_000;
  const old = upgrade(prev);
  const authors = new Map(old.authors.filter((a) => a[1] > from).map((a) => [a[0], a]));
  const quoted = old.quoted.filter((r) => r.at > from);
  const width = bucketWidth(settings.windowMs);
  const buckets = new Map(old.posts.filter((b) => b[0] + width > from).map((b) => [b[0], [...b] as PostBucket]));
  let freshReports = 0;
  for (const r of reports) {
    if (!inWindow(r.at) || typeof r.authorId !== 'string') continue;
    const key = hashKey(r.authorId);
    const post = hashKey(r.id);
    const had = authors.get(key);
    if (had && had[4] === post) continue; // the same post read twice
    freshReports++;
    count(buckets, width, r.at, 1, 0);
    if (had && had[1] > r.at) continue; // an older post of an author already counted
    authors.delete(key);
    authors.set(key, [key, r.at, r.weight, r.lang, post]);
    keepQuotable(quoted, r);
  }
  let freshOthers = 0;
  for (const at of others) {
    if (!inWindow(at)) continue;
    freshOthers++;
    count(buckets, width, at, 0, 1);
  }
  const entries = [...authors.values()].sort((a, b) => a[1] - b[1]).slice(-REPORTS_MAX);
  const posts = [...buckets.values()].sort((a, b) => a[0] - b[0]).slice(-BUCKETS_MAX);
  const verdict = judge(entries, quoted, posts, old.usual, settings);
  const signalled = isSignal(verdict, settings);
  const usual = signalled ? old.usual : learn(old, now, settings.windowMs, freshReports, freshOthers);
  const state: SocialState = { authors: entries, quoted, posts, usual, lastEvalAt: now, lastRate: verdict.ratePerHour };
  return { state, signals: signalled ? [socialSignal(verdict, network, now, settings)] : [], verdict };
}

function isSignal(v: SocialVerdict, s: SocialSettings): boolean {
  if (v.reporters < s.minReporters || v.confidence < s.minConfidence) return false;
  if (v.ratePerHour < s.baselineFactor * v.baselinePerHour) return false;
  // The share of reports among the network's posts has risen, beyond what chance explains.
  const p = v.usualShare;
  if (v.share < Math.min(SHARE_FACTOR * p, (1 + p) / 2)) return false;
  const z = (v.reportPosts - v.posts * p) / Math.sqrt(v.posts * p * (1 - p));
  return z >= SHARE_Z;
}

function judge(authors: AuthorEntry[], quoted: Report[], posts: PostBucket[], usual: SocialUsual, settings: SocialSettings): SocialVerdict {
  const weighted = authors.reduce((s, a) => s + a[2], 0);
  const present = new Set(authors.map((a) => a[0]));
  const reportPosts = posts.reduce((s, b) => s + b[1], 0);
  const all = posts.reduce((s, b) => s + b[1] + b[2], 0);
  return {
    reporters: authors.length,
    weighted,
    confidence: 1 - settings.reporterErrorRate ** weighted,
    ratePerHour: (weighted * HOUR_MS) / settings.windowMs,
    baselinePerHour: baselineOf(usual),
    reportPosts,
    posts: all,
    share: all > 0 ? reportPosts / all : 0,
    usualShare: usualShareOf(usual),
    languages: [...new Set(authors.map((a) => a[3]))].sort(),
    examples: quoted
      .filter((r) => present.has(hashKey(r.authorId)))
      .sort((a, b) => b.weight - a.weight || b.at - a.at)
      .slice(0, 3),
  };
}

/** The usual reporter rate per hour: the prior, outweighed by quiet time as it is observed. */
export function baselineOf(u: SocialUsual): number {
  return (u.rate + SOCIAL_PRIOR.ratePerHour * SOCIAL_PRIOR.hours) / (u.hours + SOCIAL_PRIOR.hours);
}

/** The usual share of reports among the network's posts, likewise. */
export function usualShareOf(u: SocialUsual): number {
  const p = (u.reports + SOCIAL_PRIOR.share * SOCIAL_PRIOR.posts) / (u.posts + SOCIAL_PRIOR.posts);
  return Math.min(SHARE_CLAMP[1], Math.max(SHARE_CLAMP[0], p));
}

/**
 * Quiet time since the last evaluation teaches what is usual: the rate the window had then
 * (for at most one window: with no evaluation since, the window emptied), and the posts just counted.
 */
function learn(prev: SocialState, now: number, windowMs: number, reports: number, others: number): SocialUsual {
  const dt = prev.lastEvalAt === null ? 0 : Math.max(0, now - prev.lastEvalAt);
  const keep = 0.5 ** (dt / USUAL_HALF_LIFE_MS);
  const u = prev.usual;
  return {
    rate: u.rate * keep + ((Number.isFinite(prev.lastRate) ? prev.lastRate : 0) * Math.min(dt, windowMs)) / HOUR_MS,
    hours: u.hours * keep + dt / HOUR_MS,
    reports: u.reports * keep + reports,
    posts: u.posts * keep + reports + others,
  };
}

/** Per weight, the newest few authors keep their text for quoting; the rest are counted only. */
function keepQuotable(quoted: Report[], r: Report): void {
  const mine = quoted.findIndex((q) => q.authorId === r.authorId);
  if (mine >= 0) quoted.splice(mine, 1);
  quoted.push(r);
  quoted.sort((a, b) => a.at - b.at);
  const same = quoted.filter((q) => q.weight === r.weight);
  if (same.length > QUOTED_PER_WEIGHT) quoted.splice(quoted.indexOf(same[0]!), 1);
  if (quoted.length > QUOTED_MAX) quoted.splice(0, quoted.length - QUOTED_MAX);
}

function bucketWidth(windowMs: number): number {
  return Math.max(60_000, Math.ceil(windowMs / (BUCKETS_MAX - 2) / 60_000) * 60_000);
}

function count(buckets: Map<number, PostBucket>, width: number, at: number, reports: number, others: number): void {
  const start = at - (((at % width) + width) % width);
  const b = buckets.get(start);
  if (b) {
    b[1] += reports;
    b[2] += others;
  } else buckets.set(start, [start, reports, others]);
}

/** 32-bit FNV-1a in base 36: ids and authors compared for equality only, in a seventh of the space. */
export function hashKey(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** A state written by an older chainwatch (a list of reports, a plain baseline) read as today's. */
function upgrade(prev: SocialState): SocialState {
  const legacy = prev as Partial<SocialState> & { reports?: Report[]; baselinePerHour?: number };
  if (Array.isArray(legacy.authors) && legacy.usual && Array.isArray(legacy.posts) && Array.isArray(legacy.quoted)) return prev;
  const state = initialSocialState();
  // The old baseline was a one-day average: read it as a day of observation.
  const base = typeof legacy.baselinePerHour === 'number' && Number.isFinite(legacy.baselinePerHour) ? legacy.baselinePerHour : 0;
  state.usual = { rate: base * 24, hours: base > 0 ? 24 : 0, reports: 0, posts: 0 };
  state.lastEvalAt = typeof legacy.lastEvalAt === 'number' ? legacy.lastEvalAt : null;
  for (const r of Array.isArray(legacy.reports) ? legacy.reports : []) {
    if (!r || typeof r.authorId !== 'string' || typeof r.at !== 'number') continue;
    const key = hashKey(r.authorId);
    const had = state.authors.findIndex((a) => a[0] === key);
    if (had >= 0) state.authors.splice(had, 1);
    state.authors.push([key, r.at, r.weight, r.lang, hashKey(String(r.id))]);
    keepQuotable(state.quoted, r);
  }
  state.authors = state.authors.slice(-REPORTS_MAX);
  return state;
}

function socialSignal(v: SocialVerdict, network: Network, now: number, settings: SocialSettings): Signal {
  const quotes = v.examples.map((r) => `“${r.text.replace(/\s+/g, ' ')}” (${r.author})`).join(' ');
  const usual = v.baselinePerHour < 0.05 ? 'usually none' : `usually ${v.baselinePerHour.toFixed(1)} an hour`;
  const share = `${v.reportPosts} of ${v.posts} posts about it, usually ${Math.round(v.usualShare * 100)}%`;
  return {
    network: network.name,
    kind: 'social_reports',
    severity: 'minor',
    at: now,
    source: 'social',
    weak: true,
    summary: `${v.reporters} people reported problems with ${network.displayName} in the last ${formatDuration(settings.windowMs)} (${v.languages.join(', ')}; ${share}; ${usual}): ${quotes}`,
    details: {
      reporters: v.reporters,
      weighted: Number(v.weighted.toFixed(2)),
      confidence: Number(v.confidence.toFixed(3)),
      ratePerHour: Number(v.ratePerHour.toFixed(2)),
      baselinePerHour: Number(v.baselinePerHour.toFixed(2)),
      reportPosts: v.reportPosts,
      posts: v.posts,
      share: Number(v.share.toFixed(3)),
      usualShare: Number(v.usualShare.toFixed(3)),
      languages: v.languages.join(','),
    },
    evidence: v.examples.map((r) => r.url).filter((u): u is string => !!u),
  };
}
