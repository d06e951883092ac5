/**
 * X spend planning (pure; `now` is always passed in). X bills per use: every post a search
 * returns is a paid read, every post created is paid (more with a URL). Prices are parameters;
 * X_PRICES holds the published ones (reference/apis.md §2, pricing.mdx, 2026).
 *
 * planSearchInterval spreads what is left of the monthly budget over what is left of the month,
 * evenly across networks (the "fair share" interval), then
 *  - polls `speedup.suspected`/`speedup.open` (4×) faster for a network with a suspected or
 *    open incident and `speedup.quiet` (0.8×, i.e. slower) when quiet, which leaves a reserve
 *    for incidents. Because the plan is recomputed from the actual spend, a burst is paid back
 *    by slower polling later in the month;
 *  - never polls faster than X's rate limit allows when every network polls at that rate
 *    (450 requests per 15 min per app for recent search, of which `rateLimitShare` is used),
 *    nor faster than `floorMs`;
 *  - never slower than `ceilingMs` while the budget could pay for every network polling at
 *    that rate; when it cannot (the fair share itself is slower than the ceiling), the budget
 *    wins, because money is the hard limit, and `limitedBy` says 'budget';
 *  - `allowed` is false once the month's budget is spent.
 */

export const X_PRICES = {
  /** Posts: Read, per post returned. */
  readUsd: 0.005,
  /** Post: Create. */
  postUsd: 0.015,
  /** Post: Create with a URL in it. */
  postWithUrlUsd: 0.2,
} as const;

export interface PostPrices {
  postUsd: number;
  postWithUrlUsd: number;
}

/** GET /2/tweets/search/recent: 450 requests per 15 minutes per app. */
export const SEARCH_RATE_LIMIT = { requests: 450, windowMs: 15 * 60_000 } as const;

export type Heat = 'quiet' | 'suspected' | 'open';

export const DEFAULT_SPEEDUP: Readonly<Record<Heat, number>> = { quiet: 0.8, suspected: 4, open: 4 };

export interface SearchPlanInput {
  monthlyBudgetUsd: number;
  pricePerReadUsd: number;
  spentThisMonthUsd: number;
  now: number;
  monthStart: number;
  monthEnd: number;
  /** Posts one poll of one network returns on average (measured, e.g. an EWMA of `reads`). */
  expectedReadsPerPoll: number;
  /** Networks polled with this budget and this app's rate limit. */
  networks: number;
  /** This network's state. */
  heat: Heat;
  /** Poll-rate multipliers relative to the fair share. */
  speedup?: Partial<Record<Heat, number>>;
  /** Never poll one network more often than this. Default 15 s. */
  floorMs?: number;
  /** Slowest voluntary interval (see above). Default 15 min. */
  ceilingMs?: number;
  rateLimit?: { requests: number; windowMs: number };
  /** Fraction of the rate limit chainwatch allows itself. Default 0.9. */
  rateLimitShare?: number;
  /** Requests one poll makes (pages). Default 1. */
  requestsPerPoll?: number;
}

export type PlanLimit = 'budget' | 'floor' | 'rate' | 'ceiling' | 'spent';

export interface SearchPlan {
  intervalMs: number;
  /** Spend so far plus this network at `intervalMs` and the others at the quiet interval. */
  projectedMonthUsd: number;
  allowed: boolean;
  /** What set the interval. */
  limitedBy: PlanLimit;
  /** The interval this network gets when quiet (for the projection and for display). */
  quietIntervalMs: number;
  remainingUsd: number;
}

export interface MonthBounds {
  /** `YYYY-MM`, UTC. */
  month: string;
  monthStart: number;
  monthEnd: number;
}

/** The calendar month (UTC) that contains `now`. */
export function monthBounds(now: number): MonthBounds {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return {
    month: `${y}-${String(m + 1).padStart(2, '0')}`,
    monthStart: Date.UTC(y, m, 1),
    monthEnd: Date.UTC(y, m + 1, 1),
  };
}

/** Linear run-rate projection of the month's spend. */
export function projectMonth(spentSoFar: number, now: number, monthStart: number, monthEnd: number): number {
  const monthMs = monthEnd - monthStart;
  const elapsed = Math.min(Math.max(now - monthStart, 0), monthMs);
  if (elapsed <= 0 || monthMs <= 0) return spentSoFar;
  return (spentSoFar * monthMs) / elapsed;
}

function positive(n: number, name: string): number {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`planSearchInterval: ${name} must be > 0, got ${n}`);
  return n;
}

export function planSearchInterval(input: SearchPlanInput): SearchPlan {
  const networks = Math.max(1, Math.floor(input.networks));
  const speedup = { ...DEFAULT_SPEEDUP, ...input.speedup };
  const floorMs = input.floorMs ?? 15_000;
  const ceilingMs = Math.max(input.ceilingMs ?? 15 * 60_000, floorMs);
  const rl = input.rateLimit ?? SEARCH_RATE_LIMIT;
  const share = input.rateLimitShare ?? 0.9;
  const requestsPerPoll = Math.max(1, input.requestsPerPoll ?? 1);
  positive(rl.requests * share, 'rateLimit.requests × rateLimitShare');
  positive(speedup[input.heat], `speedup.${input.heat}`);
  positive(speedup.quiet, 'speedup.quiet');

  const monthMs = input.monthEnd - input.monthStart;
  const remainingMs = Math.min(Math.max(input.monthEnd - input.now, 0), monthMs);
  const remainingUsd = Math.max(0, input.monthlyBudgetUsd - input.spentThisMonthUsd);
  const costPerPoll = Math.max(0, input.expectedReadsPerPoll) * Math.max(0, input.pricePerReadUsd);
  // All networks polling at this interval stay within the app's share of the rate limit.
  const rateFloorMs = (rl.windowMs * networks * requestsPerPoll) / (rl.requests * share);
  const minMs = Math.max(floorMs, rateFloorMs);
  const minLimit: PlanLimit = rateFloorMs > floorMs ? 'rate' : 'floor';

  /** Remaining budget spread evenly over the remaining month and the networks. */
  const fairMs = costPerPoll > 0 && remainingUsd > 0 ? (remainingMs * networks * costPerPoll) / remainingUsd : 0;

  const intervalFor = (heat: Heat): { ms: number; limitedBy: PlanLimit } => {
    const desired = fairMs / speedup[heat];
    if (desired <= minMs) return { ms: minMs, limitedBy: minLimit };
    // The ceiling caps voluntary slowness only while the budget could pay for polling at it.
    if (desired > ceilingMs && fairMs < ceilingMs) return { ms: ceilingMs, limitedBy: 'ceiling' };
    return { ms: desired, limitedBy: 'budget' };
  };

  const quiet = intervalFor('quiet');
  if (remainingUsd <= 0) {
    return {
      intervalMs: ceilingMs,
      projectedMonthUsd: input.spentThisMonthUsd,
      allowed: false,
      limitedBy: 'spent',
      quietIntervalMs: ceilingMs,
      remainingUsd: 0,
    };
  }
  const mine = intervalFor(input.heat);
  const polls = remainingMs / mine.ms + ((networks - 1) * remainingMs) / quiet.ms;
  return {
    intervalMs: Math.round(mine.ms),
    projectedMonthUsd: input.spentThisMonthUsd + polls * costPerPoll,
    allowed: true,
    limitedBy: mine.limitedBy,
    quietIntervalMs: Math.round(quiet.ms),
    remainingUsd,
  };
}

/** Reads per day for `networks` networks polling every `intervalMs` with `readsPerPoll` each. */
export function readsPerDay(intervalMs: number, networks: number, readsPerPoll: number): number {
  return (86_400_000 / intervalMs) * networks * readsPerPoll;
}

/** Cost of one created post. */
export function postCost(withUrl: boolean, prices: PostPrices = X_PRICES): number {
  return withUrl ? prices.postWithUrlUsd : prices.postUsd;
}
