/** Community posts, and the outage reports made of them (DESIGN.md vocabulary: Post). */

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

/** A post the classifier read as an outage report, filed under one network: social evidence. */
export interface Report {
  /** `<source>:<post id>`. */
  id: string;
  /** `<source>:<author id>`: one author counts once. */
  authorId: string;
  author: string;
  at: number;
  /** New or spam-like accounts count less (0-1). */
  weight: number;
  lang: string;
  /** Cut short, for the thread's quoted examples. */
  text: string;
  url?: string;
}
