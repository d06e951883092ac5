/**
 * Cheap language identification: the platform's tag when it names a supported language,
 * else the script (Hangul, kana, Han, Cyrillic; Vietnamese and Turkish letters), else marker
 * words for the Latin-script languages, which classify.ts combines with lexicon hits.
 */
import type { LangCode } from './lexicon/types';

export const SUPPORTED_LANGS: readonly LangCode[] = ['en', 'ja', 'zh', 'ko', 'es', 'pt', 'ru', 'tr', 'vi', 'fr', 'de'];
const SUPPORTED = new Set<string>(SUPPORTED_LANGS);

/** "pt-BR" → "pt", "zh-Hant" → "zh", "und"/"qme"/"" → undefined. */
export function supportedTag(tag: string | undefined): LangCode | undefined {
  if (typeof tag !== 'string' || tag.length === 0 || tag.length > 35) return undefined;
  const base = tag.toLowerCase().split(/[-_]/, 1)[0] ?? '';
  return SUPPORTED.has(base) ? (base as LangCode) : undefined;
}

const SCAN_CHARS = 600;

export interface ScriptCounts {
  latin: number;
  cyrillic: number;
  han: number;
  kana: number;
  hangul: number;
}

export function countScripts(text: string): ScriptCounts {
  const c: ScriptCounts = { latin: 0, cyrillic: 0, han: 0, kana: 0, hangul: 0 };
  const n = Math.min(text.length, SCAN_CHARS);
  for (let i = 0; i < n; i++) {
    const u = text.charCodeAt(i);
    if (u < 0x80) {
      if ((u >= 0x61 && u <= 0x7a) || (u >= 0x41 && u <= 0x5a)) c.latin++;
    } else if (u <= 0x24f || (u >= 0x1e00 && u <= 0x1eff)) c.latin++;
    else if (u >= 0x400 && u <= 0x52f) c.cyrillic++;
    else if ((u >= 0x3040 && u <= 0x30ff) || (u >= 0x31f0 && u <= 0x31ff) || (u >= 0xff66 && u <= 0xff9f)) c.kana++;
    else if ((u >= 0xac00 && u <= 0xd7af) || (u >= 0x1100 && u <= 0x11ff) || (u >= 0x3130 && u <= 0x318f)) c.hangul++;
    else if ((u >= 0x4e00 && u <= 0x9fff) || (u >= 0x3400 && u <= 0x4dbf) || (u >= 0xf900 && u <= 0xfaff)) c.han++;
  }
  return c;
}

// Letters only Vietnamese uses (horn, breve, hook-above and dot-below vowels); two of them decide.
const VIETNAMESE = /[ơưăđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/g;
const TURKISH = /[şğı]/g;

export interface LatinMarkers {
  lang: LangCode;
  re: RegExp;
}

/** What the script alone tells: a language, or `latin` when marker words must decide. */
export type ScriptGuess = LangCode | 'latin';

export function detectScript(lower: string): ScriptGuess {
  const c = countScripts(lower);
  if (c.hangul > 0 && c.hangul >= c.kana) return 'ko';
  if (c.kana > 0) return 'ja';
  if (c.han > 0 && c.han * 2 >= c.latin / 4) return 'zh';
  // Network names are Latin even in Russian posts: "Arbitrum лежит".
  if (c.cyrillic >= 3 && c.cyrillic * 3 >= c.latin) return 'ru';
  const head = lower.length > SCAN_CHARS ? lower.slice(0, SCAN_CHARS) : lower;
  if (countMatches(VIETNAMESE, head, 2) >= 2) return 'vi';
  if (countMatches(TURKISH, head, 1) >= 1 || (head.includes('ç') && /[öü]/.test(head))) return 'tr';
  return 'latin';
}

/**
 * Marker-word evidence per Latin-script language: words on the folded text, typical letters
 * (ñ, ã, ß) on the lowercased one. A letter is worth more than a short shared word.
 */
export function latinMarkerCounts(
  lower: string,
  folded: string,
  markers: readonly LatinMarkers[],
  markerChars: readonly LatinMarkers[],
): Map<LangCode, number> {
  const head = lower.length > SCAN_CHARS ? lower.slice(0, SCAN_CHARS) : lower;
  const fh = folded.length > SCAN_CHARS ? folded.slice(0, SCAN_CHARS) : folded;
  const hits = new Map<LangCode, number>();
  for (const m of markers) hits.set(m.lang, (hits.get(m.lang) ?? 0) + countMatches(m.re, fh, 50));
  for (const m of markerChars) hits.set(m.lang, (hits.get(m.lang) ?? 0) + 1.5 * countMatches(m.re, head, 2));
  return hits;
}

/** `re` is global; `test` moves it along like `exec` without making a match array. */
function countMatches(re: RegExp, text: string, max: number): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < max && re.test(text)) n++;
  return n;
}
