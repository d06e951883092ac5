/**
 * The features the learned model reads, built the same way at training time
 * (scripts/classifier/train.ts) and at classify time. Three groups:
 *
 *  - hashed character 2–4-grams of the post (language-free; works for CJK, typos, slang),
 *  - hashed word unigrams and bigrams (for the scripts that put spaces between words),
 *  - named features: structural cues (structure.ts), the lexicon rules that matched and
 *    their kinds, how the network was named, the language, and the lexicon score itself.
 *
 * The text the n-grams are taken from is normalized so that what does not generalise is gone:
 * configured network names become "¤", tickers "¢" and other chains "§" (the model must not
 * learn that "megaeth" is an outage word, but "$ARB down?" is not "Arbitrum down?"), digit runs become "0" (durations and block numbers are structural cues instead),
 * Latin-script text loses its diacritics and Chinese is simplified.
 */
import type { LangCode } from './lexicon/types';
import type { NetworkMention } from './networks';
import { foldDiacritics, toSimplified } from './normalize';

/** Bumped whenever the features change: a model trained on other features is not used. */
export const FEATURE_VERSION = 5;
export const HASH_BITS = 20;
const SHIFT = 32 - HASH_BITS;
/** Character n-grams from the first this-many characters of the normalized text. */
export const MODEL_CHARS = 280;
const NGRAM_MIN = 2;
const NGRAM_MAX = 4;
const MAX_WORDS = 60;

const SEED_CHAR = 0x811c9dc5;
const SEED_WORD = 0x2545f491;
const SEED_BIGRAM = 0x9e3779b9;
const PRIME = 0x01000193;

/** The placeholders for network mentions in the model's text: by name or explorer, by ticker, another chain. */
export const NETWORK_MARK = '¤';
export const TICKER_MARK = '¢';
export const OTHER_CHAIN_MARK = '§';
const DIGITS = /\d+(?:[.,:\u00a0\u202f' ]\d+)*/g;
const SPACES = /\s+/g;
const WORDS = /[\p{L}\p{N}_'¤¢§$@#-]+/gu;
const NON_ASCII = /[^\x00-\x7f]/;
const FOLDED_LANGS: ReadonlySet<string> = new Set(['en', 'es', 'pt', 'fr', 'de', 'tr']);

export interface Features {
  /** Hashed n-gram buckets, each once. */
  chars: Int32Array;
  words: Int32Array;
  /** Named features, each with value 1. */
  named: string[];
  /** The lexicon score as a logit, scaled (a real-valued feature). */
  lexLogit: number;
}

/**
 * The text the n-grams are read from: mentions masked, digits collapsed, folded per script.
 * `folded` is `lower` without diacritics, when the caller has it (it usually has the same
 * length, so mention offsets still hold; otherwise it is folded again after masking).
 */
export function modelText(lower: string, lang: LangCode, mentions: readonly NetworkMention[], folded?: string): string {
  const fold = FOLDED_LANGS.has(lang);
  const useFolded = fold && folded !== undefined && folded.length === lower.length;
  let s = useFolded ? folded : lower;
  if (s.length > MODEL_CHARS * 2) s = s.slice(0, MODEL_CHARS * 2);
  if (mentions.length > 0) {
    let out = '';
    let at = 0;
    for (const m of mentions) {
      if (m.index < at || m.index >= s.length) continue;
      out += s.slice(at, m.index) + (m.network === null ? OTHER_CHAIN_MARK : m.tier === 'ticker' ? TICKER_MARK : NETWORK_MARK);
      at = m.index + m.length;
    }
    s = out + s.slice(at);
  }
  s = s.replace(DIGITS, '0').replace(SPACES, ' ').trim();
  if (lang === 'zh') s = toSimplified(s);
  else if (fold && !useFolded && NON_ASCII.test(s)) s = foldDiacritics(s);
  return s.length > MODEL_CHARS ? s.slice(0, MODEL_CHARS) : s;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> SHIFT;
}

// Each n-gram counts once per post (binary features): a post that repeats itself says no more
// than once, and cannot drown its own words. A small open-addressing set (it fits in the CPU
// cache; a post has at most ~1,200 n-grams) remembers what the current post already has:
// `keys[i]` is a bucket + 1, `gens[i] === gen` marks slot i as used by the current post.
const SET_BITS = 12;
const SET_MASK = (1 << SET_BITS) - 1;
const MAX_DISTINCT = 1 << (SET_BITS - 1);
const keys = new Int32Array(1 << SET_BITS);
const gens = new Uint32Array(1 << SET_BITS);
let gen = 0;

function nextGen(): number {
  gen = (gen + 1) >>> 0;
  if (gen === 0) {
    gens.fill(0);
    gen = 1;
  }
  return gen;
}

/** A reusable buffer of distinct buckets (no allocation per post). */
export class GramBuffer {
  readonly buf = new Int32Array(MAX_DISTINCT);
  n = 0;
}

function push(out: GramBuffer, bucket: number, g: number): void {
  let i = Math.imul(bucket, 0x9e3779b1) >>> (32 - SET_BITS);
  for (;;) {
    if (gens[i] !== g) {
      if (out.n >= MAX_DISTINCT) return; // keeps the set at most half full
      gens[i] = g;
      keys[i] = bucket + 1;
      out.buf[out.n++] = bucket;
      return;
    }
    if (keys[i] === bucket + 1) return;
    i = (i + 1) & SET_MASK;
  }
}

/** Distinct character n-grams of " text " (the spaces mark the start and end). */
export function charGrams(text: string, out: GramBuffer): void {
  out.n = 0;
  const st = nextGen();
  const s = ` ${text} `;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let h = SEED_CHAR;
    for (let k = 0; k < NGRAM_MAX && i + k < n; k++) {
      h = Math.imul(h ^ s.charCodeAt(i + k), PRIME);
      if (k + 1 >= NGRAM_MIN) push(out, finish(h ^ (k + 1)), st);
    }
  }
}

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), PRIME);
  return h;
}

/** Distinct word unigrams and bigrams. */
export function wordGrams(text: string, out: GramBuffer): void {
  out.n = 0;
  const st = nextGen();
  WORDS.lastIndex = 0;
  let prev = 0;
  let count = 0;
  let m: RegExpExecArray | null;
  while ((m = WORDS.exec(text)) !== null && count++ < MAX_WORDS) {
    const w = m[0].length > 24 ? m[0].slice(0, 24) : m[0];
    const h = hashString(w, SEED_WORD);
    push(out, finish(h), st);
    if (count > 1) push(out, finish(Math.imul(prev ^ h, PRIME) ^ SEED_BIGRAM), st);
    prev = h;
  }
}
