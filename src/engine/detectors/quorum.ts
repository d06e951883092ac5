/**
 * No single witness decides (DESIGN.md principle 6). Which endpoints are trusted, and which
 * head they agree on:
 * - an endpoint whose `eth_chainId` is not the network's serves another chain: left out
 *   (`wrong_chain`);
 * - one whose block is dated far in the future, or that claims a head the others never reach
 *   while they move on (a provider frozen far ahead, or counting on from another chain): left
 *   out (`divergent`); an honest leader is caught up with within an interval and never is;
 * - the network's best head is the highest that a quorum of the trusted endpoints reached (a
 *   majority, at least 2 when 3 or more answer), not the highest number anyone claims.
 * Pure: state, network and `now` in; decisions out.
 */
import type { Network } from '../../config/network';
import type { Head } from '../../model';
import { type ChainState, configuredEndpoints, type EndpointState, type Exclusion, staleAfterMs } from './state';

/** How often each endpoint's chain id is checked again (it changes only when a provider is misconfigured). */
export const CHAIN_ID_EVERY_MS = 5 * 60_000;

/** Whether this poll should ask the endpoint's `eth_chainId`: at start, then every few minutes. */
export function chainIdDue(state: ChainState | null | undefined, label: string, now: number): boolean {
  const at = state?.endpoints.find((e) => e.label === label)?.chainIdAt;
  return at === null || at === undefined || now - at >= CHAIN_ID_EVERY_MS;
}

/**
 * How long a head may stay ahead of every other endpoint, unconfirmed while they move on,
 * before it counts as a lie: a few intervals (an honest leader is one block ahead for less
 * than one), and never longer than the stall threshold, so that with two endpoints a frozen
 * liar is left out before its frozen head could be read as a halt.
 */
export function divergentAfterMs(network: Network): number {
  const { pollIntervalMs, stallMs } = network.thresholds;
  const fewIntervals = Math.max(3 * pollIntervalMs, 3 * network.blockTimeMs, 3000);
  return Math.max(pollIntervalMs, Math.min(fewIntervals, stallMs - pollIntervalMs));
}

/** A block dated further ahead than this of when it was seen is not a block of this chain's now. */
export function maxFutureSkewMs(network: Network): number {
  return Math.max(60_000, 3 * network.blockTimeMs);
}

/** Agreeing endpoints needed for a head to be the network's: a majority, at least 2 of 3 or more. */
export function quorumSize(trusted: number, configured: number | undefined): number {
  if (configured !== undefined) return Math.max(1, Math.min(configured, trusted));
  return trusted >= 3 ? Math.max(2, Math.floor(trusted / 2) + 1) : 1;
}

/** Ok, fresh and on this chain: may vote on the head (before the divergence check). */
function answering(ep: EndpointState | undefined, network: Network, now: number): ep is EndpointState & { head: Head } {
  return !!ep && ep.ok && !!ep.head && now - ep.lastObservedAt <= staleAfterMs(network) && ep.excluded?.reason !== 'wrong_chain';
}

/**
 * Decides each endpoint's exclusion for `now` (mutating the endpoint records of a state
 * copy that foldSamples owns), then the quorum head and the halt detector's clock.
 */
export function judgeEndpoints(state: ChainState, network: Network, now: number): void {
  const eps = configuredEndpoints(state, network).filter((e): e is EndpointState => !!e);
  for (const ep of eps) judgeChainId(ep, network, now);
  const voters = eps.filter((e) => answering(e, network, now));
  // With three or more, a head is confirmed when a quorum reaches it; with two there is no
  // majority, and only a head frozen ahead while the other moves on gives a liar away.
  const sorted = voters.map((e) => e.head.number).sort((x, y) => y - x);
  const quorumTop = voters.length >= 3 ? sorted[quorumSize(voters.length, network.quorum) - 1]! : null;
  // A block dated in the future is a liar's only while others date theirs in the present;
  // when every endpoint does, it is the chain's clock.
  const present = voters.filter((e) => !inFuture(e.head, network)).length;
  for (const ep of voters) {
    const reference = quorumTop ?? (voters.length === 2 ? voters.find((o) => o !== ep)!.head.number : null);
    judgeDivergence(ep, reference, quorumTop === null, present > 0 && inFuture(ep.head, network), network, now);
  }
  const trusted = voters.filter((e) => !e.excluded);
  settleBest(state, trusted, network);
}

function judgeChainId(ep: EndpointState, network: Network, now: number): void {
  const wrong = network.chainId > 0 && ep.chainId !== null && ep.chainId !== undefined && ep.chainId !== network.chainId;
  if (wrong) {
    if (ep.excluded?.reason !== 'wrong_chain') ep.excluded = { reason: 'wrong_chain', since: now, chainId: ep.chainId! };
  } else if (ep.excluded?.reason === 'wrong_chain') {
    ep.excluded = null;
  }
}

function inFuture(head: Head, network: Network): boolean {
  return head.timestamp * 1000 > head.observedAt + maxFutureSkewMs(network);
}

/**
 * `reference`: the quorum's head (three or more endpoints), or the other endpoint's (two).
 * Ahead of it, unconfirmed for `divergentAfterMs` while the reference moved on, is a lie; with
 * two endpoints the head must also have stood still (an honest leader keeps moving).
 */
function judgeDivergence(
  ep: EndpointState & { head: Head },
  reference: number | null,
  mustBeFrozen: boolean,
  future: boolean,
  network: Network,
  now: number,
): void {
  const ahead = reference !== null && ep.head.number > reference;
  if (!ahead) ep.ahead = null;
  else if (!ep.ahead || reference >= ep.ahead.number) ep.ahead = { number: ep.head.number, since: now, othersAt: reference };
  const window = divergentAfterMs(network);
  const frozen = !mustBeFrozen || (ep.headChangedAt !== null && now - ep.headChangedAt >= window);
  const unconfirmed = !!ep.ahead && reference !== null && now - ep.ahead.since >= window && reference > ep.ahead.othersAt && frozen;
  if (future || unconfirmed) {
    const why = future ? 'future_timestamp' : 'unconfirmed';
    if (ep.excluded?.reason !== 'divergent' || ep.excluded.why !== why) {
      ep.excluded = { reason: 'divergent', since: ep.excluded?.since ?? now, why, claimed: ep.head.number, othersAt: reference };
    } else {
      ep.excluded = { ...ep.excluded, claimed: ep.head.number, othersAt: reference };
    }
  } else if (ep.excluded?.reason === 'divergent') {
    // Caught up with, or back in step: its word counts again.
    ep.excluded = null;
  }
}

/**
 * A lead over the next endpoint larger than this is not believed from one endpoint alone:
 * with three or more, anything past the lag a provider is allowed (a quorum must confirm it);
 * with two, where there is no majority, only a lead no chain could have (a day of blocks, at
 * least 10,000): the leader of two is trusted as before, a provider frozen at #2^52 is not.
 */
function leadLimit(trusted: number, network: Network): number {
  if (trusted >= 3) return network.thresholds.endpointLagBlocks;
  return Math.max(10_000, Math.ceil(86_400_000 / network.blockTimeMs));
}

/**
 * The network's head: the highest trusted head that a quorum reached, or whose lead over the
 * next is small enough to believe; and the halt detector's clock: the latest moment a trusted
 * endpoint saw the head go past the best. Nothing changes while no trusted endpoint answers.
 */
function settleBest(state: ChainState, trusted: readonly (EndpointState & { head?: Head | null })[], network: Network): void {
  const heads = trusted
    .map((e) => ({ ep: e, head: e.head! }))
    .sort((a, b) => b.head.number - a.head.number || b.head.observedAt - a.head.observedAt);
  if (heads.length === 0) return;
  const q = quorumSize(heads.length, network.quorum);
  const limit = leadLimit(heads.length, network);
  let i = 0;
  for (; i < heads.length - 1; i++) {
    const confirmed = i + 1 >= q;
    const believable = heads[i]!.head.number - heads[i + 1]!.head.number <= limit;
    if (confirmed || believable) break;
  }
  const pick = heads[i]!;
  const { number, hash, timestamp, observedAt } = pick.head;
  // The same block seen again keeps its first sighting (its time is when the chain got there).
  if (!state.best || state.best.number !== number || state.best.hash !== hash)
    state.best = { number, hash, timestamp, observedAt, endpoint: pick.ep.label };
  const seen = trusted.map((e) => e.frontierAt ?? null).filter((t): t is number => t !== null);
  if (seen.length) state.bestAdvanceAt = Math.max(state.bestAdvanceAt ?? -Infinity, ...seen);
}

/** Why an endpoint is left out, for views and signals; null when it is trusted. */
export function exclusionOf(ep: EndpointState | undefined): Exclusion | null {
  return ep?.excluded ?? null;
}
