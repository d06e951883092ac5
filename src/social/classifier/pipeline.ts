/**
 * The classifier's steps, parametrised by the learned model so that the training script
 * (scripts/classifier/train.ts) measures exactly what classify.ts ships:
 *
 *  1. `analysePost`: normalize, pick the language, scan the lexicons, find network mentions,
 *     read the structural cues — everything the decision needs, computed once;
 *  2. `featuresOf`: the model's features (features.ts) from that analysis;
 *  3. `decide`: with no model, the lexicon score alone (the classifier before issue 13);
 *     with one, the model's logit — which reads the lexicon score and rules as features —
 *     decides, and the lexicons and cues supply the reasons.
 */
import type { Classification, NetworkTerms } from '../types';
import { compileLexicon, scanHits, type CompiledLexicon, type Hit } from './compile';
import { detectScript, latinMarkerCounts, supportedTag, type LatinMarkers } from './detect-lang';
import { charGrams, GramBuffer, modelText, wordGrams, type Features } from './features';
import { common, LEXICONS, type LangCode, type RuleKind } from './lexicon';
import { modelLogit, type Model } from './model';
import { compileNetworks, findMentions, pickNetwork, type CompiledNetworks, type NetworkMention, type TermTier } from './networks';
import { textForms, type TextForms } from './normalize';
import { MAX_REASONS, round3, scoreEvidence, type Scored } from './score';
import { structure, type Structure } from './structure';

/** `outage` is `score >= OUTAGE_THRESHOLD`. */
export const OUTAGE_THRESHOLD = 0.5;

const COMMON = compileLexicon(common);
const COMPILED = Object.fromEntries(Object.entries(LEXICONS).map(([lang, lex]) => [lang, compileLexicon(lex)])) as Record<
  LangCode,
  CompiledLexicon
>;
/** Latin-script languages told apart by marker words when the platform gives no tag. */
const LATIN: readonly LangCode[] = ['es', 'pt', 'fr', 'de', 'tr'];
const MARKERS: LatinMarkers[] = Object.values(LEXICONS).flatMap((l) =>
  l.markers ? [{ lang: l.lang as LangCode, re: new RegExp(l.markers, 'g') }] : [],
);
const MARKER_CHARS: LatinMarkers[] = Object.values(LEXICONS).flatMap((l) =>
  l.markerChars ? [{ lang: l.lang as LangCode, re: new RegExp(l.markerChars, 'gu') }] : [],
);
/** A lexicon's own phrases say more about the language than its marker words. */
const HIT_VOTE = 1.5;
const QUESTION = /[?？]|吗|嗎|か$|나요|인가요|(?<![\p{L}])(?:ли|mi|mı|mu|mü)\s*$/u;

// Compiled network terms per `networks` array: callers pass the same array for every post.
const networkCache = new WeakMap<readonly NetworkTerms[], CompiledNetworks>();
const legacyCache = new WeakMap<readonly NetworkTerms[], CompiledNetworks>();
const NO_NETWORKS: readonly NetworkTerms[] = [];

function compiledNetworks(networks: readonly NetworkTerms[], knownChains: boolean): CompiledNetworks {
  const cache = knownChains ? networkCache : legacyCache;
  let c = cache.get(networks);
  if (!c) {
    c = compileNetworks(networks, { knownChains });
    cache.set(networks, c);
  }
  return c;
}

interface Scan {
  hits: Hit[];
  infra: boolean;
}

function scan(c: CompiledLexicon, forms: TextForms, into: Scan): Scan {
  const form = c.lexicon.form;
  const text = form === 'folded' ? forms.folded : form === 'hans' ? forms.hans : forms.lower;
  scanHits(c, text, into.hits);
  into.infra ||= c.infra.test(text);
  return into;
}

/** How many different rules (by label) of `lang`, or of any lexicon, matched. */
function distinctLabels(hits: readonly Hit[], lang?: string): number {
  const seen: string[] = [];
  for (const h of hits) if ((lang === undefined || h.lang === lang) && !seen.includes(h.label)) seen.push(h.label);
  return seen.length;
}

/**
 * Picks the language and scans its lexicons. Untagged Latin-script posts (Discord gives no
 * tag) are scanned with every Latin lexicon; the language whose marker words and phrases
 * match best is kept, and only its hits count.
 */
function analyseLexicons(forms: TextForms, tag: string | undefined): Scan & { lang: LangCode } {
  const base = scan(COMMON, forms, scan(COMPILED.en, forms, { hits: [], infra: false }));
  const guess = supportedTag(tag) ?? detectScript(forms.lower);
  // Results written out rather than spread ({ ...base, lang }): measured ~5% of a classification.
  if (guess === 'en') return { hits: base.hits, infra: base.infra, lang: 'en' };
  if (guess !== 'latin') {
    scan(COMPILED[guess], forms, base);
    return { hits: base.hits, infra: base.infra, lang: guess };
  }

  const votes = latinMarkerCounts(forms.lower, forms.folded, MARKERS, MARKER_CHARS);
  const enLabels = distinctLabels(base.hits, 'en');
  let best: { lang: LangCode; vote: number; scan?: Scan } = { lang: 'en', vote: (votes.get('en') ?? 0) + HIT_VOTE * enLabels };
  for (const lang of LATIN) {
    const own = scan(COMPILED[lang], forms, { hits: [], infra: false });
    const vote = (votes.get(lang) ?? 0) + HIT_VOTE * distinctLabels(own.hits);
    // English keeps ties: crypto slang is English in every language.
    if (vote > best.vote) best = { lang, vote, scan: own };
  }
  if (!best.scan) return { hits: base.hits, infra: base.infra, lang: 'en' };
  for (const h of best.scan.hits) base.hits.push(h);
  return { hits: base.hits, infra: base.infra || best.scan.infra, lang: best.lang };
}

export interface PostInput {
  text?: unknown;
  lang?: unknown;
  network?: unknown;
}

/** Everything the decision is made from. */
export interface Analysis {
  forms: TextForms;
  lang: LangCode;
  hits: readonly Hit[];
  infra: boolean;
  question: boolean;
  mentions: NetworkMention[];
  /** Mentions of configured networks (not of other known chains). */
  namedByName: boolean;
  tickerOnly: boolean;
  lexicon: Scored;
  structure: Structure;
  network: string | null;
  /** No configured network chosen, and another known chain named. */
  elsewhere: boolean;
}

/** `knownChains: false`: configured terms only, no explorers, hostnames or chain ids (the classifier before issue 13). */
export function analysePost(post: PostInput | null | undefined, networks: readonly NetworkTerms[], { knownChains = true } = {}): Analysis {
  const forms = textForms(post?.text);
  const tag = typeof post?.lang === 'string' ? post.lang : undefined;
  const { hits, infra, lang } = analyseLexicons(forms, tag);
  const mentions = findMentions(compiledNetworks(Array.isArray(networks) ? networks : NO_NETWORKS, knownChains), forms.lower);
  let namedByName = false;
  let watched = false;
  for (const m of mentions) {
    if (m.network === null || m.tier === 'generic') continue;
    watched = true;
    if (m.tier === 'name' || m.tier === 'explorer') namedByName = true;
  }
  const question = QUESTION.test(forms.lower.trimEnd());
  const tickerOnly = watched && !namedByName;
  const lexicon = scoreEvidence({ hits, infra, question, namedByName, tickerOnly });
  const network = chooseNetwork(post?.network, mentions);
  return {
    forms,
    lang,
    hits,
    infra,
    question,
    mentions,
    namedByName,
    tickerOnly,
    lexicon,
    structure: structure(forms.lower),
    network,
    elsewhere: network === null && mentions.some((m) => m.network === null),
  };
}

/**
 * The source's network (a per-network Discord channel) stands unless the text names a
 * different configured network by name; a ticker alone ("my ETH is stuck" in #megaeth)
 * does not move it, nor does an explorer (people say "etherscan" for every Etherscan site).
 */
function chooseNetwork(given: unknown, mentions: readonly NetworkMention[]): string | null {
  if (typeof given !== 'string' || given.length === 0) return pickNetwork(mentions)?.network ?? null;
  if (mentions.some((m) => m.network === given)) return given;
  return mentions.find((m) => m.tier === 'name')?.network ?? given;
}

const LANG_FEATURE = Object.fromEntries(Object.keys(LEXICONS).map((l) => [l, `lang:${l}`])) as Record<LangCode, string>;
const KIND_FEATURE: Readonly<Record<RuleKind, string>> = {
  strong: 'k:strong',
  weak: 'k:weak',
  hint: 'k:hint',
  price: 'k:price',
  planned: 'k:planned',
  recovered: 'k:recovered',
  promo: 'k:promo',
  negated: 'k:negated',
  mask: 'k:mask',
};
const TIER_FEATURE: Readonly<Record<TermTier, string>> = {
  name: 'm:name',
  explorer: 'm:explorer',
  ticker: 'm:ticker',
  generic: 'm:generic',
  other: 'm:other',
};

const LEX_LOGIT_CLAMP = 8;
const LEX_LOGIT_SCALE = 4;

const CHAR_BUFFER = new GramBuffer();
const WORD_BUFFER = new GramBuffer();

/**
 * The model's features for an analysed post. `transient`: the n-gram arrays are views of
 * buffers the next call overwrites (classify time); otherwise they are copies (training).
 */
export function featuresOf(a: Analysis, transient = false): Features {
  // The Latin lexicons have usually folded the text already (textForms caches it).
  const text = modelText(
    a.forms.lower,
    a.lang,
    a.mentions,
    a.lang === 'en' || a.lang === 'tr' || a.lang === 'es' || a.lang === 'pt' || a.lang === 'fr' || a.lang === 'de'
      ? a.forms.folded
      : undefined,
  );
  charGrams(text, CHAR_BUFFER);
  wordGrams(text, WORD_BUFFER);
  const chars = transient ? CHAR_BUFFER.buf.subarray(0, CHAR_BUFFER.n) : CHAR_BUFFER.buf.slice(0, CHAR_BUFFER.n);
  const words = transient ? WORD_BUFFER.buf.subarray(0, WORD_BUFFER.n) : WORD_BUFFER.buf.slice(0, WORD_BUFFER.n);
  const named: string[] = [LANG_FEATURE[a.lang]];
  for (const c of a.structure.cues) named.push(c);
  let strong = 0;
  for (const { rule, feature } of a.hits) {
    if (named.includes(feature)) continue;
    named.push(feature);
    const kind = KIND_FEATURE[rule.kind];
    if (!named.includes(kind)) named.push(kind);
    if (rule.kind === 'strong') strong++;
  }
  if (strong >= 2) named.push('k:strong2');
  if (a.hits.length === 0) named.push('k:none');
  if (a.infra) named.push('infra');
  if (a.question) named.push('q');
  if (a.tickerOnly) named.push('ticker-only');
  // How the network was named, each way once, in the order the mentions give.
  const tiers: string[] = [];
  for (const m of a.mentions) {
    const t = TIER_FEATURE[m.network === null ? 'other' : m.tier];
    if (!tiers.includes(t)) tiers.push(t);
  }
  if (tiers.length === 0) named.push('m:none');
  for (const t of tiers) named.push(t);
  if (a.lexicon.score >= OUTAGE_THRESHOLD) named.push('lex-outage');
  const raw = Math.max(-LEX_LOGIT_CLAMP, Math.min(LEX_LOGIT_CLAMP, a.lexicon.raw));
  return { chars, words, named, lexLogit: raw / LEX_LOGIT_SCALE };
}

/** The decision: the lexicon score alone without a model, else the model's. */
export function decide(a: Analysis, model: Model | null): Classification {
  if (!model)
    return {
      outage: a.lexicon.score >= OUTAGE_THRESHOLD,
      score: a.lexicon.score,
      network: a.network,
      elsewhere: a.elsewhere,
      lang: a.lang,
      reasons: a.lexicon.reasons,
    };
  const z = modelLogit(model, featuresOf(a, true));
  const score = round3(1 / (1 + Math.exp(-z)));
  const outage = score >= OUTAGE_THRESHOLD;
  return { outage, score, network: a.network, elsewhere: a.elsewhere, lang: a.lang, reasons: reasonsOf(a, outage) };
}

// Reasons come from a fixed set (structure.ts): their "ml:" names are made once each.
const ML_REASONS = new Map<string, string>();
function mlReason(r: string): string {
  let out = ML_REASONS.get(r);
  if (out === undefined) ML_REASONS.set(r, (out = `ml:${r}`));
  return out;
}

/**
 * The lexicon's reasons (what matched, market talk, recovery, …), then the cues the model
 * weighed most visibly ("ml:stale-block", "ml:past-tense"), and "ml:override" when the model
 * decided otherwise than the lexicons would have.
 */
function reasonsOf(a: Analysis, outage: boolean): string[] {
  const ml = a.structure.reasons.map(mlReason);
  if (outage !== a.lexicon.score >= OUTAGE_THRESHOLD) ml.push('ml:override');
  if (ml.length === 0) return a.lexicon.reasons;
  const out: string[] = [];
  for (const r of a.lexicon.reasons.slice(0, Math.max(2, MAX_REASONS - ml.length))) out.push(r);
  for (const r of ml) if (!out.includes(r)) out.push(r);
  return out.slice(0, MAX_REASONS);
}

export function classifyWith(post: PostInput | null | undefined, networks: readonly NetworkTerms[], model: Model | null): Classification {
  return decide(analysePost(post, networks), model);
}
