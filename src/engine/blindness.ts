/**
 * chainwatch's own blindness (DESIGN.md principle 6): when most endpoints of most networks
 * start failing in the same short window, and the connectivity checks (addresses that are not
 * RPC providers) fail too, the likeliest cause is chainwatch's own connectivity (its host lost
 * DNS or its network), not every chain at once. Then the endpoint and unreachable evidence
 * that began in that window is held: no public incident, an operator alert instead. When some
 * networks fail while others stay reachable (a rollup-as-a-service provider down), those are
 * real outages. With one network and no connectivity checks the two cannot be told apart, and
 * nothing is ever held.
 *
 * Pure: what each network's last poll saw (its sight) and the checks in; a verdict out. Live,
 * every chain poll writes its network's sight and reads the others' (one Redis hash); replay
 * keeps the same records in memory.
 */
import type { ChecksSight, HeadSample, Sight } from '../model';

export type SightVerdict =
  { blind: false; reason: string } | { blind: true; since: number; reason: string; networks: number; darkNetworks: number };

/** Failures that mean nothing came back at all: what losing one's own connectivity looks like. */
const DARK_KINDS = new Set(['timeout', 'unreachable']);

export const BLINDNESS = {
  /** Dark networks whose failures began within this window of each other failed together. */
  windowMs: 30_000,
  /**
   * Share of the watched networks that must go dark together: three in four. Two networks of
   * three going dark while the third answers is their providers' outage, not chainwatch's
   * (it can still reach the third); every network is configured with independent providers,
   * so one provider's outage darkens none.
   */
  darkShare: 0.75,
  /** Share of a network's endpoints that must be dark for the network to be ("most endpoints"). */
  endpointShare: 0.5,
  /** Blindness ends when fewer than this share of networks are dark (hysteresis). */
  clearShare: 0.3,
  /** A network's sight older than this says nothing about now. */
  staleMs: 60_000,
} as const;

/** A network's sight from one poll's samples and when each dark endpoint's failures began. */
export function sightOf(samples: readonly HeadSample[], failingSince: (endpoint: string) => number | null, now: number): Sight {
  let dark = 0;
  let darkSince: number | null = null;
  for (const s of samples) {
    if (s.ok || !DARK_KINDS.has(s.kind)) continue;
    dark++;
    const since = failingSince(s.endpoint) ?? s.observedAt;
    darkSince = darkSince === null ? since : Math.min(darkSince, since);
  }
  return { at: now, endpoints: samples.length, dark, darkSince };
}

/**
 * The verdict for `now` from every network's sight and the checks. `wasBlind`: the verdict
 * before, for hysteresis (blindness ends only when most networks see again).
 */
export function judgeSight(
  sights: ReadonlyMap<string, Sight>,
  checks: ChecksSight | null,
  opts: { now: number; checksConfigured: boolean; wasBlind: { since: number } | null },
): SightVerdict {
  const { now } = opts;
  const fresh = [...sights.values()].filter((s) => now - s.at <= BLINDNESS.staleMs && s.endpoints > 0);
  if (fresh.length < 2 && !opts.checksConfigured) {
    return { blind: false, reason: 'one network and no connectivity checks: chainwatch cannot tell its own blindness from an outage' };
  }
  const dark = fresh.filter((s) => s.dark / s.endpoints >= BLINDNESS.endpointShare && s.darkSince !== null);
  const together = largestTogether(dark.map((s) => s.darkSince!));
  /** The checks passed in a round that began after `t`: chainwatch could see the world then. */
  const checksPassedSince = (t: number) => !!checks && checks.total > 0 && checks.failed * 2 < checks.total && checks.at >= t;
  const checksFailing = !!checks && now - checks.at <= BLINDNESS.staleMs && checks.total > 0 && checks.failed * 2 >= checks.total;
  const verdict = (since: number, count: number): SightVerdict => ({
    blind: true,
    since,
    reason: blindReason(count, fresh.length, checksFailing),
    networks: fresh.length,
    darkNetworks: dark.length,
  });
  if (opts.wasBlind) {
    // Blindness ends when most networks see again, or the checks answer after it began.
    const stillDark = dark.length / fresh.length >= BLINDNESS.clearShare;
    if (stillDark && !(opts.checksConfigured && checksPassedSince(opts.wasBlind.since))) return verdict(opts.wasBlind.since, dark.length);
  }
  const needed = fresh.length >= 2 ? 2 : 1;
  if (together.count < needed || together.count / fresh.length < BLINDNESS.darkShare) {
    return { blind: false, reason: `${dark.length} of ${fresh.length} networks dark` };
  }
  // The checks decide when they ran after the darkness began; until they have, the networks do.
  if (opts.checksConfigured && checksPassedSince(together.from)) return { blind: false, reason: 'the connectivity checks answer' };
  return verdict(together.from, together.count);
}

function blindReason(dark: number, total: number, checksFailing: boolean): string {
  const checks = checksFailing ? ', and the connectivity checks fail too' : '';
  return `every endpoint of ${dark} of ${total} networks stopped answering at once${checks}: chainwatch's own connectivity is the likeliest cause`;
}

/** The most failure starts within one window, and where that window begins. */
function largestTogether(starts: number[]): { count: number; from: number } {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = { count: 0, from: sorted[0] ?? 0 };
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! > BLINDNESS.windowMs) j++;
    if (i - j + 1 > best.count) best = { count: i - j + 1, from: sorted[j]! };
  }
  return best;
}

/** Kinds whose evidence is held while blind: what blindness itself produces. */
export const HELD_WHILE_BLIND: ReadonlySet<string> = new Set(['endpoint_down', 'rpc_unreachable', 'halted']);
