import type { Network } from '../config/network';
import { classifyPost, defaultNetworkTerms } from './classify';
import { reportOf } from '../engine/social-evidence';
import { type Post, type Report } from '../model';
import type { NetworkTerms } from './types';

/** The words that name each network: configured terms, else ones derived from its names. */
export function networkTermsOf(networks: readonly Network[]): NetworkTerms[] {
  const derived = defaultNetworkTerms(networks.map((n) => ({ name: n.name, displayName: n.displayName })));
  return networks.map((n, i) => ({ name: n.name, terms: n.social?.terms.length ? [n.name, ...n.social.terms] : derived[i]!.terms }));
}

export interface Attribution {
  /** Outage reports per network name. */
  reports: Map<string, Report[]>;
  /**
   * Per network name, when each of its posts that was *not* a report was written: the
   * denominator of the share of reports among the network's posts (src/engine/social-evidence.ts).
   */
  others: Map<string, number[]>;
  classified: number;
  outage: number;
  /** Outage reports that name no configured network (and came from no network's channel), or another chain. */
  unattributed: number;
}

/**
 * Classifies posts and files each under the network it names, or under the network whose
 * channel it came from: outage reports as reports, the rest as the network's other posts. With
 * a single network watched, a post that names none is about that one; a post that names only a
 * chain nobody here watches ("is solana down?") counts for none. Pure.
 */
export function attributePosts(posts: readonly Post[], networks: readonly Network[], terms: readonly NetworkTerms[]): Attribution {
  const out: Attribution = { reports: new Map(), others: new Map(), classified: 0, outage: 0, unattributed: 0 };
  const watched = new Set(networks.map((n) => n.name));
  const only = networks.length === 1 ? networks[0]!.name : null;
  for (const post of posts) {
    const c = classifyPost(post, terms);
    out.classified++;
    const named = c.network ?? (c.elsewhere ? null : (post.network ?? only));
    const network = named !== null && watched.has(named) ? named : null;
    if (!c.outage) {
      if (network !== null) push(out.others, network, post.createdAt);
      continue;
    }
    out.outage++;
    if (network === null) {
      out.unattributed++;
      continue;
    }
    push(out.reports, network, reportOf(post, c.lang));
  }
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
