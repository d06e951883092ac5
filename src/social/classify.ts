/**
 * The outage classifier: does a community post report a disruption of a blockchain network,
 * and which network does it name? Pure — no I/O, no clock, no randomness — so the live
 * workers, `chainwatch replay` and `chainwatch classify` all decide the same way.
 *
 * How it decides: the post is normalized (capped, invisible characters removed, NFKC,
 * lowercased; diacritics folded for the Latin-script lexicons), its language taken from
 * `post.lang` or detected, and three lexicons scanned — the language-neutral one, English
 * (crypto slang is English everywhere) and the post's own (an untagged Latin-script post
 * tries each Latin lexicon and keeps the one that fits). Weighted matches feed a logistic
 * score (classifier/score.ts); false friends such as "down 8%" or "I'm down to" are listed
 * before the words they contain and consume them.
 *
 * Network terms are compiled once per `networks` array (a WeakMap keyed by the array), so
 * pass the same array for every post; lexicons are compiled once at module load.
 */
import type { Post } from '../model';
import type { Classification, NetworkTerms } from './types';
import { compileLexicon, scanLexicon, type CompiledLexicon } from './classifier/compile';
import { detectScript, latinMarkerCounts, supportedTag, type LatinMarkers } from './classifier/detect-lang';
import { common, LEXICONS, type LangCode } from './classifier/lexicon';
import { compileNetworks, findMentions, pickNetwork, type CompiledNetworks, type NetworkMention } from './classifier/networks';
import { textForms, type TextForms } from './classifier/normalize';
import { scoreEvidence, type Evidence } from './classifier/score';

export { MAX_ANALYSED_CHARS } from './classifier/normalize';
export { SUPPORTED_LANGS } from './classifier/detect-lang';
export { defaultNetworkTerms } from './classifier/terms';

/** `outage` is `score >= OUTAGE_THRESHOLD`. */
export const OUTAGE_THRESHOLD = 0.5;

const COMMON = compileLexicon(common);
const COMPILED = Object.fromEntries(Object.entries(LEXICONS).map(([lang, lex]) => [lang, compileLexicon(lex)])) as Record<LangCode, CompiledLexicon>;
/** Latin-script languages told apart by marker words when the platform gives no tag. */
const LATIN: readonly LangCode[] = ['es', 'pt', 'fr', 'de', 'tr'];
const MARKERS: LatinMarkers[] = Object.values(LEXICONS).flatMap((l) => (l.markers ? [{ lang: l.lang as LangCode, re: new RegExp(l.markers, 'g') }] : []));
const MARKER_CHARS: LatinMarkers[] = Object.values(LEXICONS).flatMap((l) => (l.markerChars ? [{ lang: l.lang as LangCode, re: new RegExp(l.markerChars, 'gu') }] : []));
/** A lexicon's own phrases say more about the language than its marker words. */
const HIT_VOTE = 1.5;
const QUESTION = /[?？]|吗|嗎|か$|나요|인가요|(?<![\p{L}])(?:ли|mi|mı|mu|mü)\s*$/u;

// Compiled network terms per `networks` array: callers pass the same array for every post.
const networkCache = new WeakMap<readonly NetworkTerms[], CompiledNetworks>();

function compiledNetworks(networks: readonly NetworkTerms[]): CompiledNetworks {
  let c = networkCache.get(networks);
  if (!c) {
    c = compileNetworks(networks);
    networkCache.set(networks, c);
  }
  return c;
}

interface Scan {
  hits: Evidence['hits'];
  infra: boolean;
}

function scan(c: CompiledLexicon, forms: TextForms, into: Scan): Scan {
  const form = c.lexicon.form;
  const text = form === 'folded' ? forms.folded : form === 'hans' ? forms.hans : forms.lower;
  const lang = c.lexicon.lang;
  scanLexicon(c, text, (rule) => into.hits.push({ rule, lang }));
  into.infra ||= c.infra.test(text);
  return into;
}

/**
 * Picks the language and scans its lexicons. Untagged Latin-script posts (Discord gives no
 * tag) are scanned with every Latin lexicon; the language whose marker words and phrases
 * match best is kept, and only its hits count.
 */
function analyse(forms: TextForms, tag: string | undefined): Scan & { lang: LangCode } {
  const base = scan(COMMON, forms, scan(COMPILED.en, forms, { hits: [], infra: false }));
  const guess = supportedTag(tag) ?? detectScript(forms.lower);
  if (guess === 'en') return { ...base, lang: 'en' };
  if (guess !== 'latin') return { ...scan(COMPILED[guess], forms, base), lang: guess };

  const votes = latinMarkerCounts(forms.lower, forms.folded, MARKERS, MARKER_CHARS);
  const enLabels = new Set(base.hits.filter((h) => h.lang === 'en').map((h) => h.rule.label)).size;
  let best: { lang: LangCode; vote: number; scan?: Scan } = { lang: 'en', vote: (votes.get('en') ?? 0) + HIT_VOTE * enLabels };
  for (const lang of LATIN) {
    const own = scan(COMPILED[lang], forms, { hits: [], infra: false });
    const labels = new Set(own.hits.map((h) => h.rule.label)).size;
    const vote = (votes.get(lang) ?? 0) + HIT_VOTE * labels;
    // English keeps ties: crypto slang is English in every language.
    if (vote > best.vote) best = { lang, vote, scan: own };
  }
  if (!best.scan) return { ...base, lang: 'en' };
  return { hits: [...base.hits, ...best.scan.hits], infra: base.infra || best.scan.infra, lang: best.lang };
}

/**
 * Classifies one post. `networks` is compiled on first use and remembered by identity: build
 * it once (e.g. `defaultNetworkTerms(config.networks)`) and pass the same array every time.
 */
export function classifyPost(post: Pick<Post, 'text' | 'lang' | 'network'>, networks: readonly NetworkTerms[]): Classification {
  const forms = textForms(post?.text);
  const { hits, infra, lang } = analyse(forms, post?.lang);
  const mentions = findMentions(compiledNetworks(Array.isArray(networks) ? networks : []), forms.lower);
  const namedByName = mentions.some((m) => m.tier === 'name');
  const { score, reasons } = scoreEvidence({
    hits,
    infra,
    question: QUESTION.test(forms.lower.trimEnd()),
    namedByName,
    tickerOnly: mentions.length > 0 && !namedByName,
  });
  return { outage: score >= OUTAGE_THRESHOLD, score, network: chooseNetwork(post?.network, mentions), lang, reasons };
}

/**
 * The source's network (a per-network Discord channel) stands unless the text names a
 * different configured network by name; a ticker alone ("my ETH is stuck" in #megaeth)
 * does not move it.
 */
function chooseNetwork(given: unknown, mentions: readonly NetworkMention[]): string | null {
  if (typeof given !== 'string' || given.length === 0) return pickNetwork(mentions)?.network ?? null;
  if (mentions.some((m) => m.network === given)) return given;
  return mentions.find((m) => m.tier === 'name')?.network ?? given;
}
