/**
 * A lexicon is an ordered list of rules for one language. The rules of a lexicon are joined
 * into one alternation and scanned left to right: where two rules could match at the same
 * place, the one listed first wins and consumes the text. So false friends ("down bad",
 * "down 8%", "I'm down to") are listed before the words they contain ("down"), and a
 * false friend needs no negative weight to silence a word: it only has to come first.
 */

export type LangCode = 'en' | 'ja' | 'zh' | 'ko' | 'es' | 'pt' | 'ru' | 'tr' | 'vi' | 'fr' | 'de';

export type RuleKind =
  /** A disruption stated outright: halted, no new blocks, RPC down. */
  | 'strong'
  /** Suggests a disruption: stuck, errors, "is X down". */
  | 'weak'
  /** Supports a report but says nothing alone: "anyone else?", a siren emoji. */
  | 'hint'
  /** Markets: price, percentages, dumping, bearish. */
  | 'price'
  /** Announced work: scheduled, planned maintenance, "will be down". */
  | 'planned'
  /** It is over: back up, resolved, working again. */
  | 'recovered'
  /** Launches, airdrops, giveaways, tutorials. */
  | 'promo'
  /** Denied: "not down", "no issues", "works fine". */
  | 'negated'
  /** A false friend that only consumes text ("breakdown", "I'm down to"); no weight. */
  | 'mask';

export interface Rule {
  kind: RuleKind;
  /** Short label for `reasons`, prefixed with the language: "en:halted". */
  label: string;
  /** RegExp source, matched with the `u` flag; see `unicodeWords` for what `\b` means. */
  pattern: string;
  /** Overrides the kind's default weight. */
  weight?: number;
  /**
   * A word that is also market talk ("down", "упал", "caiu"): discounted when the only
   * network named is a ticker or cashtag and nothing mentions the machinery.
   */
  priceSensitive?: boolean;
  /** Used instead of `weight` when the post mentions the machinery (a percentage of failed requests is not price talk). */
  weightWithInfra?: number;
}

/**
 * Which form of the post a lexicon's patterns are written against. `folded` drops
 * diacritics (and maps ß→ss, ı→i) so "caído", "caido" and "CAÍDO" are one pattern;
 * `hans` also maps traditional Chinese characters to simplified ones.
 */
export type TextForm = 'lower' | 'folded' | 'hans';

export interface Lexicon {
  /** `any`: the language-neutral rules. */
  lang: LangCode | 'any';
  form: TextForm;
  rules: readonly Rule[];
  /** Words for the machinery a report is about (node, block, RPC, bridge): they make a weak report count. */
  infra: string;
  /** `\b` and `\w` mean Unicode letters (Cyrillic, Vietnamese) instead of ASCII ones. */
  unicodeWords?: boolean;
  /** Words that are common in this language and rare in the others (Latin-script detection only). */
  markers?: string;
  /** Letters typical of this language (¿, ñ, ã, ß), matched before diacritics are folded away. */
  markerChars?: string;
}

export const DEFAULT_WEIGHT: Readonly<Record<RuleKind, number>> = {
  strong: 4,
  weak: 1.8,
  hint: 0.8,
  price: -3.5,
  planned: -4.5,
  recovered: -3,
  promo: -2.5,
  negated: -3.5,
  mask: 0,
};

type Extra = Pick<Rule, 'weight' | 'priceSensitive' | 'weightWithInfra'>;
const rule =
  (kind: RuleKind) =>
  (label: string, pattern: string, extra: Extra = {}): Rule => ({ kind, label, pattern, ...extra });

export const strong = rule('strong');
export const weak = rule('weak');
export const hint = rule('hint');
export const price = rule('price');
export const planned = rule('planned');
export const recovered = rule('recovered');
export const promo = rule('promo');
export const negated = rule('negated');
export const mask = rule('mask');
