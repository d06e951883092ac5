/**
 * The outage classifier: does a community post report a disruption of a blockchain network,
 * and which network does it name? Pure — no I/O, no clock, no randomness — so the live
 * workers, `chainwatch replay` and `chainwatch classify` all decide the same way.
 *
 * How it decides (classifier/pipeline.ts): the post is normalized (capped, invisible
 * characters removed, NFKC, lowercased, links reduced to their hostnames), its language taken
 * from `post.lang` or detected, and the hand-written lexicons scanned — the language-neutral
 * one, English (crypto slang is English everywhere) and the post's own. Their weighted matches
 * give a lexicon score (classifier/score.ts). A learned model (classifier/model.ts, weights in
 * data/classifier/model.json, trained by scripts/classifier/train.ts) then decides: logistic
 * regression over hashed character and word n-grams, structural cues (a latest block many
 * minutes old, a block number, an RPC method, past-time words, a percentage, the poster's own
 * bot…) and the lexicon score and rules themselves. The lexicons and cues supply `reasons`.
 *
 * Networks are found by their configured terms and, for known chains, by explorer names,
 * RPC hostnames and chain ids (classifier/chains.ts); a post about a chain that is not
 * configured gets no network. Terms are compiled once per `networks` array (a WeakMap keyed
 * by the array), so pass the same array for every post; lexicons and the model are prepared
 * once at module load.
 */
import modelFile from '../../data/classifier/model.json' with { type: 'json' };
import type { Classification, NetworkTerms } from './types';
import { decodeModel, type Model, type ModelFile } from './classifier/model';
import { classifyWith } from './classifier/pipeline';

export { MAX_ANALYSED_CHARS } from './classifier/normalize';
export { SUPPORTED_LANGS } from './classifier/detect-lang';
export { defaultNetworkTerms } from './classifier/terms';
export { OUTAGE_THRESHOLD } from './classifier/pipeline';

let loadError: string | null = null;
const MODEL: Model | null = (() => {
  try {
    return decodeModel(modelFile as unknown as ModelFile);
  } catch (err) {
    // A model that does not fit this code (stale feature version, damaged file) is not used:
    // the lexicons alone still classify. The tests fail loudly on this; production keeps going.
    loadError = (err as Error).message;
    return null;
  }
})();

/** Whether the learned model is in use, and how big it is (for tests and `chainwatch doctor`-style checks). */
export function classifierModel(): { loaded: boolean; hashedWeights: number; namedWeights: number; error: string | null } {
  return { loaded: MODEL !== null, hashedWeights: MODEL?.size ?? 0, namedWeights: MODEL?.named.size ?? 0, error: loadError };
}

/** What the classifier reads of a post (a structural subset of the social Post). */
export interface ClassifiablePost {
  text: string;
  /** BCP 47-ish language tag when the platform gives one, else detected. */
  lang?: string;
  /** Set when the source already knows (a per-network Discord channel). */
  network?: string;
}

/**
 * Classifies one post. `networks` is compiled on first use and remembered by identity: build
 * it once (e.g. `defaultNetworkTerms(config.networks)`) and pass the same array every time.
 */
export function classifyPost(post: ClassifiablePost, networks: readonly NetworkTerms[]): Classification {
  return classifyWith(post, networks, MODEL);
}
