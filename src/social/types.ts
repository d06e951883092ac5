/** Community posts and what the classifier makes of them (DESIGN.md vocabulary: Post). */

export type PostSource = 'x' | 'discord';

export interface Post {
  source: PostSource;
  /** The platform's id (X post id, Discord message id). */
  id: string;
  /** Author handle or name, for display. */
  author: string;
  /** Stable author id (X user id, Discord user id); falls back to `author`. */
  authorId?: string;
  text: string;
  /** BCP 47-ish language tag when the platform gives one (X's `lang`), else detected. */
  lang?: string;
  /** ms epoch. */
  createdAt: number;
  /** Set when the source already knows (a per-network Discord channel); else the classifier decides. */
  network?: string;
  /** Link to the post. */
  url?: string;
  /** Account signals for weighting: new or spam-like accounts count less. */
  authorCreatedAt?: number;
  authorFollowers?: number;
}

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
  /** Language used for the decision (given or detected), e.g. "en", "ja". */
  lang: string;
  /** Short labels of what matched, for evidence and debugging. */
  reasons: string[];
}
