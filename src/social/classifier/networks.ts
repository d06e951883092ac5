/**
 * Finds the configured networks a post names. Terms are matched case-insensitively on the
 * NFKC-lowercased text: Latin terms on word boundaries (so "ETH" is not found in "MegaETH"
 * and "@megaeth", "$MEGA", "#Base" all count), terms in CJK scripts as plain substrings
 * (there are no spaces between words to look for).
 */
import type { NetworkTerms } from '../types';
import { NOT_WORD_AFTER, NOT_WORD_BEFORE } from './compile';

/** How specific a term is: a name or handle outranks a ticker, which many networks share. */
export type TermTier = 'name' | 'ticker';

interface TermEntry {
  network: string;
  tier: TermTier;
  term: string;
}

export interface CompiledNetworks {
  readonly re: RegExp | null;
  readonly entries: readonly TermEntry[];
}

export interface NetworkMention {
  network: string;
  tier: TermTier;
  index: number;
}

const MAX_TERMS = 2000;
const MAX_TERM_LENGTH = 64;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HANGUL_START = /^\p{Script=Hangul}/u;
const INVISIBLE = /[\u00AD\u200B-\u200F\u2060-\u2064\uFEFF]/g;

/**
 * Words that are also names of networks but mostly mean something else. A match is dropped
 * when the words around it show the ordinary sense ("base fee", "user base").
 */
const AMBIGUOUS: Readonly<Record<string, { after?: RegExp; before?: RegExp }>> = {
  base: {
    after: /^\s+(?:fees?|layer|rate|case|line|model|camp|pay|salary|url|path|class|image|level|unit|station|64|58|32|10|token|currency|asset|price|of\b)/,
    before: /(?:user|code|data|fan|customer|knowledge|player|member|client|military|air|naval|home|power|solid|strong|install|holder|cost|tax|rate)\s+$/,
  },
  op: { after: /^\s+(?:said|says|is\s+right|is\s+wrong|here|delivered)/, before: /(?:the|this|as|dear|good|black|photo|special|ops?)\s+$/ },
  mega: { after: /^\s+(?:bullish|bearish|pump|thread|cap|rich)/ },
};

/** A ticker is a cashtag, a short all-caps symbol or any term of three letters or fewer ("ETH", "$ARB", "Arb"). */
export function termTier(term: string): TermTier {
  return term.startsWith('$') || /^[A-Z0-9]{2,5}$/.test(term) || term.length <= 3 ? 'ticker' : 'name';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normalizeTerm(term: string): string {
  return term.replace(INVISIBLE, '').normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

export function compileNetworks(networks: readonly NetworkTerms[]): CompiledNetworks {
  const byTerm = new Map<string, TermEntry>();
  for (const n of networks) {
    if (!n || typeof n.name !== 'string') continue;
    for (const raw of [n.name, ...(Array.isArray(n.terms) ? n.terms : [])]) {
      if (typeof raw !== 'string' || byTerm.size >= MAX_TERMS) continue;
      const term = normalizeTerm(raw);
      if (term.length === 0 || term.length > MAX_TERM_LENGTH) continue;
      const tier = termTier(raw.trim());
      const prev = byTerm.get(term);
      // The first network to claim a term keeps it; a name outranks a ticker for the same words.
      if (!prev || (prev.tier === 'ticker' && tier === 'name' && prev.network === n.name)) byTerm.set(term, { network: n.name, tier, term });
    }
  }
  const entries = [...byTerm.values()].sort((a, b) => b.term.length - a.term.length || a.term.localeCompare(b.term));
  const usable: TermEntry[] = [];
  const parts: string[] = [];
  for (const entry of entries) {
    const part = termPattern(entry.term);
    try {
      new RegExp(part, 'u');
    } catch {
      continue; // a term no pattern can express is skipped, not fatal
    }
    usable.push(entry);
    parts.push(`(${part})`);
  }
  return { re: parts.length > 0 ? new RegExp(parts.join('|'), 'gu') : null, entries: usable };
}

function termPattern(term: string): string {
  const body = escapeRegExp(term).replace(/ /g, String.raw`\s+`);
  // Korean writes particles after a word but no word before it: "베이스가" names Base, "데이터베이스" does not.
  if (HANGUL_START.test(term)) return String.raw`(?<!\p{Script=Hangul})` + body;
  if (CJK.test(term)) return body;
  // "@megaeth": the "@" itself is not a word character, so the boundary goes before the letters.
  return `${NOT_WORD_BEFORE}${body}${NOT_WORD_AFTER}`;
}

/** Every mention in order of appearance, at most `limit`. */
export function findMentions(c: CompiledNetworks, lower: string, limit = 32): NetworkMention[] {
  const out: NetworkMention[] = [];
  const re = c.re;
  if (!re) return out;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(lower)) !== null && out.length < limit) {
    let g = 1;
    while (g < m.length && m[g] === undefined) g++;
    const entry = c.entries[g - 1];
    if (!entry) continue;
    const amb = AMBIGUOUS[entry.term];
    if (amb) {
      const end = m.index + m[0].length;
      if (amb.after?.test(lower.slice(end, end + 24))) continue;
      if (amb.before?.test(lower.slice(Math.max(0, m.index - 24), m.index))) continue;
    }
    out.push({ network: entry.network, tier: entry.tier, index: m.index });
  }
  return out;
}

/** The network the post is about: the first name-tier mention, else the first ticker. */
export function pickNetwork(mentions: readonly NetworkMention[]): NetworkMention | undefined {
  return mentions.find((m) => m.tier === 'name') ?? mentions[0];
}
