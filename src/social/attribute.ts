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
  classified: number;
  outage: number;
  /** Outage reports that name no configured network (and came from no network's channel). */
  unattributed: number;
}

/**
 * Classifies posts and files each outage report under the network it names, or under the
 * network whose channel it came from. With a single network watched, a report that names
 * none is about that one. Pure.
 */
export function attributePosts(posts: readonly Post[], networks: readonly Network[], terms: readonly NetworkTerms[]): Attribution {
  const out: Attribution = { reports: new Map(), classified: 0, outage: 0, unattributed: 0 };
  const only = networks.length === 1 ? networks[0]!.name : null;
  for (const post of posts) {
    const c = classifyPost(post, terms);
    out.classified++;
    if (!c.outage) continue;
    out.outage++;
    const network = c.network ?? post.network ?? only;
    if (!network || !networks.some((n) => n.name === network)) {
      out.unattributed++;
      continue;
    }
    const list = out.reports.get(network) ?? [];
    list.push(reportOf(post, c.lang));
    out.reports.set(network, list);
  }
  return out;
}
