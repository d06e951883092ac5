/** What the classifier works with: the words that name each network, and its verdict on a post. */

/** The words that name a network in posts: its name, display name, handles, cashtags, tokens. */
export interface NetworkTerms {
  name: string;
  terms: string[];
}

export interface Classification {
  /** Does the post report a disruption (of a network, or of an unnamed one)? */
  outage: boolean;
  /** 0..1 confidence that it is an outage report. */
  score: number;
  /** The network the text names, if any (a network key from NetworkTerms). */
  network: string | null;
  /**
   * No configured network, but another known chain is named ("is solana down?",
   * "sepolia.etherscan.io stuck"): the post is about a chain nobody here watches, so it counts
   * for none, not for the only network watched.
   */
  elsewhere: boolean;
  /** Language used for the decision (given or detected), e.g. "en", "ja". */
  lang: string;
  /** Short labels of what matched, for evidence and debugging. */
  reasons: string[];
}
