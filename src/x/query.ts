/**
 * The recent-search query for one network (pure). X bills every post a search returns, so the
 * query filters server-side: (network terms) AND (outage words in the supported languages),
 * without retweets, within X's 512-character limit for recent search. When it does not fit,
 * outage words are dropped from the lowest priority tier up, last-listed first, so every
 * language keeps its strongest word as long as possible.
 *
 * Matching on X is by token and case-insensitive (operators.mdx): "down" does not match
 * "countdown"; phrases must be quoted. Price talk ("ETH down 8%") still matches: the classifier
 * sorts it out afterwards.
 */

export const MAX_QUERY_LENGTH = 512;

export const SUPPORTED_LANGS = ['en', 'ja', 'zh', 'ko', 'es', 'pt', 'ru', 'tr', 'vi', 'fr', 'de'] as const;
export type SupportedLang = (typeof SUPPORTED_LANGS)[number];

export interface OutageWord {
  text: string;
  langs: SupportedLang[];
  /** 1 = kept longest, 3 = dropped first. */
  tier: 1 | 2 | 3;
}

/** High-yield outage words; a word shared by languages (停止: ja, zh) is listed once. */
export const OUTAGE_WORDS: readonly OutageWord[] = [
  // tier 1: the strongest word of each language
  { text: 'down', langs: ['en', 'de'], tier: 1 },
  { text: 'outage', langs: ['en'], tier: 1 },
  { text: 'ダウン', langs: ['ja'], tier: 1 },
  { text: '停止', langs: ['ja', 'zh'], tier: 1 },
  { text: '宕机', langs: ['zh'], tier: 1 },
  { text: '먹통', langs: ['ko'], tier: 1 },
  { text: 'caído', langs: ['es'], tier: 1 },
  { text: 'fora do ar', langs: ['pt'], tier: 1 },
  { text: 'не работает', langs: ['ru'], tier: 1 },
  { text: 'çöktü', langs: ['tr'], tier: 1 },
  { text: 'sập', langs: ['vi'], tier: 1 },
  { text: 'en panne', langs: ['fr'], tier: 1 },
  { text: 'ausgefallen', langs: ['de'], tier: 1 },
  // tier 2
  { text: 'halted', langs: ['en'], tier: 2 },
  { text: 'stuck', langs: ['en'], tier: 2 },
  { text: 'not working', langs: ['en'], tier: 2 },
  { text: '障害', langs: ['ja'], tier: 2 },
  { text: '障碍', langs: ['zh'], tier: 2 },
  { text: '중단', langs: ['ko'], tier: 2 },
  { text: 'no funciona', langs: ['es'], tier: 2 },
  { text: 'caída', langs: ['es'], tier: 2 },
  { text: 'não funciona', langs: ['pt'], tier: 2 },
  { text: 'сбой', langs: ['ru'], tier: 2 },
  { text: 'çalışmıyor', langs: ['tr'], tier: 2 },
  { text: 'không hoạt động', langs: ['vi'], tier: 2 },
  { text: 'panne', langs: ['fr'], tier: 2 },
  { text: 'Störung', langs: ['de'], tier: 2 },
  // tier 3
  { text: 'halt', langs: ['en'], tier: 3 },
  { text: 'offline', langs: ['en', 'de', 'fr'], tier: 3 },
  { text: 'unreachable', langs: ['en'], tier: 3 },
  { text: 'degraded', langs: ['en'], tier: 3 },
  { text: '落ちてる', langs: ['ja'], tier: 3 },
  { text: '繋がらない', langs: ['ja'], tier: 3 },
  { text: '故障', langs: ['zh', 'ja'], tier: 3 },
  { text: '卡住', langs: ['zh'], tier: 3 },
  { text: '장애', langs: ['ko'], tier: 3 },
  { text: '다운', langs: ['ko'], tier: 3 },
  { text: 'fuera de servicio', langs: ['es'], tier: 3 },
  { text: 'travada', langs: ['pt'], tier: 3 },
  { text: 'упал', langs: ['ru'], tier: 3 },
  { text: 'лежит', langs: ['ru'], tier: 3 },
  { text: 'durdu', langs: ['tr'], tier: 3 },
  { text: 'lỗi', langs: ['vi'], tier: 3 },
  { text: 'hors service', langs: ['fr'], tier: 3 },
  { text: 'Ausfall', langs: ['de'], tier: 3 },
];

export interface SearchQueryOptions {
  /** Languages whose outage words to include; default all of SUPPORTED_LANGS. */
  langs?: readonly string[];
  /** Accounts whose posts never count, e.g. chainwatch's own (`-from:handle`). */
  excludeFrom?: readonly string[];
  /** Default 512 (recent search, self-serve). */
  maxLength?: number;
}

export class SearchQueryTooLongError extends Error {
  override name = 'SearchQueryTooLongError';
}

/** X counts characters; code points are the closest measure. */
export function queryLength(q: string): number {
  return Array.from(q).length;
}

/** One search term as X reads it: cashtags, hashtags and handles as they are, phrases quoted. */
export function formatTerm(term: string): string | null {
  const t = term
    .replace(/["\u201c\u201d]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (t === '') return null;
  if (/^[$#@][\p{L}\p{N}_]+$/u.test(t)) return t;
  // Quote anything X could read as syntax: spaces, a leading '-', parentheses, operators, OR/AND.
  if (/[\s():]/.test(t) || t.startsWith('-') || /^(OR|AND)$/.test(t)) return `"${t.replace(/^-+/, '') || t}"`;
  return t;
}

function group(items: string[]): string {
  return items.length === 1 ? items[0]! : `(${items.join(' OR ')})`;
}

/** Terms deduplicated case-insensitively, formatted; empty ones dropped. */
function formatTerms(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const term of terms) {
    const f = formatTerm(term);
    if (f === null || seen.has(f.toLowerCase())) continue;
    seen.add(f.toLowerCase());
    out.push(f);
  }
  return out;
}

/**
 * `(network terms) (outage words) -is:retweet [-from:…]`, at most `maxLength` characters.
 * Throws SearchQueryTooLongError when the network terms with one outage word cannot fit.
 */
export function buildSearchQuery(terms: readonly string[], opts: SearchQueryOptions = {}): string {
  const maxLength = opts.maxLength ?? MAX_QUERY_LENGTH;
  const networkTerms = formatTerms(terms);
  if (networkTerms.length === 0) throw new Error('buildSearchQuery: no network terms');
  const langs = new Set((opts.langs ?? SUPPORTED_LANGS).map((l) => l.toLowerCase().split('-')[0]!));
  const words = OUTAGE_WORDS.filter((w) => w.langs.some((l) => langs.has(l)));
  if (words.length === 0) throw new Error(`buildSearchQuery: no outage words for languages ${[...langs].join(', ')}`);
  const handles = [...new Set((opts.excludeFrom ?? []).map((h) => h.replace(/^@/, '').toLowerCase()))];
  const badHandle = handles.find((h) => !/^\w{1,15}$/.test(h));
  if (badHandle !== undefined) throw new Error(`buildSearchQuery: not an X handle: ${JSON.stringify(badHandle)}`);
  const tail = ['-is:retweet', ...handles.map((h) => `-from:${h}`)];

  // Keep order (tier 1 first); drop from the end of the lowest tier present.
  const kept = [...words];
  const render = () => [group(networkTerms), group(formatTerms(kept.map((w) => w.text))), ...tail].join(' ');
  let q = render();
  while (queryLength(q) > maxLength && kept.length > 1) {
    const worst = Math.max(...kept.map((w) => w.tier));
    const idx = kept.map((w) => w.tier).lastIndexOf(worst as 1 | 2 | 3);
    kept.splice(idx, 1);
    q = render();
  }
  if (queryLength(q) > maxLength) {
    throw new SearchQueryTooLongError(
      `X search query for terms [${terms.join(', ')}] needs ${queryLength(q)} characters even with one outage word; the limit is ${maxLength}. Use fewer or shorter network terms.`,
    );
  }
  return q;
}
