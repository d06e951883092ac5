/**
 * Combines what the lexicons found into one score. A logistic over a hand-weighted sum:
 * the weights live in the lexicons, the few interactions (a weak word counts more next to
 * "RPC"; "down" next to a cashtag is market talk) live here.
 */
import type { Hit } from './compile';
import { DEFAULT_WEIGHT, type RuleKind } from './lexicon/types';

/** Below zero nothing is reported: one weak word alone ("stuck") is not a report. */
const BIAS = -2;
/** Each further distinct strong phrase adds this much (up to two). */
const EXTRA_STRONG = 0.7;
const MAX_WEAK = 4;
const MAX_HINT = 1.6;
/** Positive evidence next to the machinery it is about: "stuck" + "block". */
const INFRA_BONUS = 1;
/** Positive evidence that names a configured network by name (not by ticker). */
const NAMED_BONUS = 0.6;
/** "down"/"упал"/"caiu" with only a ticker or cashtag and no machinery: market talk. */
const TICKER_ONLY_PENALTY = 2.5;

export interface Evidence {
  /** Every rule that matched, in order, with its lexicon's language. */
  hits: readonly Hit[];
  infra: boolean;
  question: boolean;
  /** The network was named by name or handle (not only by ticker or cashtag). */
  namedByName: boolean;
  /** The only network mentions are tickers or cashtags. */
  tickerOnly: boolean;
}

export interface Scored {
  score: number;
  /** The logit before the logistic (what the learned model reads). */
  raw: number;
  reasons: string[];
}

const NEGATIVE_KINDS: readonly RuleKind[] = ['price', 'planned', 'recovered', 'promo', 'negated'];
const REASON_OF: Partial<Record<RuleKind, string>> = {
  price: 'price-talk',
  planned: 'planned',
  recovered: 'recovered',
  promo: 'promo',
  negated: 'negated',
};
export const MAX_REASONS = 8;

export function scoreEvidence(e: Evidence): Scored {
  const strong: number[] = [];
  let weak = 0;
  let hint = 0;
  let priceSensitiveOnly = true;
  // The most negative weight per negative kind (NEGATIVE_KINDS order), NaN: none. An array, not
  // a Map or an object keyed by kind: this runs for every post, and those measured slower.
  const negative = [NaN, NaN, NaN, NaN, NaN];
  // A rule counts once: the first time its label is seen (a post has a handful of hits).
  const labels: string[] = [];

  for (const { rule, label } of e.hits) {
    const w = e.infra && rule.weightWithInfra !== undefined ? rule.weightWithInfra : (rule.weight ?? DEFAULT_WEIGHT[rule.kind]);
    const first = !labels.includes(label);
    if (first) labels.push(label);
    switch (rule.kind) {
      case 'strong':
        if (first) strong.push(w);
        priceSensitiveOnly &&= rule.priceSensitive === true;
        break;
      case 'weak':
        if (first) weak += w;
        priceSensitiveOnly &&= rule.priceSensitive === true;
        break;
      case 'hint':
        if (first) hint += w;
        break;
      case 'mask':
        break;
      default: {
        const k = NEGATIVE_KINDS.indexOf(rule.kind);
        negative[k] = Math.min(Number.isNaN(negative[k]!) ? 0 : negative[k]!, w);
      }
    }
  }

  strong.sort((a, b) => b - a);
  const strongPart = strong.length === 0 ? 0 : strong[0]! + EXTRA_STRONG * Math.min(strong.length - 1, 2);
  const weakPart = Math.min(weak, MAX_WEAK);
  const positive = strongPart + weakPart + Math.min(hint, MAX_HINT);
  let raw = BIAS + positive;
  const reasons: string[] = [];

  if (strongPart + weakPart > 0) {
    if (e.infra) raw += INFRA_BONUS;
    if (e.namedByName) raw += NAMED_BONUS;
    // "is megaeth down?" is a weak report and counts as one: the question costs nothing.
    if (e.question) reasons.push('question');
    if (strongPart === 0 && priceSensitiveOnly && e.tickerOnly && !e.infra) {
      raw -= TICKER_ONLY_PENALTY;
      reasons.push('price-talk');
    }
  }
  for (let k = 0; k < NEGATIVE_KINDS.length; k++) {
    const w = negative[k]!;
    if (Number.isNaN(w)) continue;
    raw += w;
    const r = REASON_OF[NEGATIVE_KINDS[k]!]!;
    if (!reasons.includes(r)) reasons.push(r);
  }
  for (const l of labels) reasons.push(l);

  return { score: round3(1 / (1 + Math.exp(-raw))), raw, reasons: reasons.slice(0, MAX_REASONS) };
}

export function round3(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1000) / 1000 : 0;
}
