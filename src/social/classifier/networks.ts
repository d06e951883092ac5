/**
 * Finds the configured networks a post names. Terms are matched case-insensitively on the
 * NFKC-lowercased text: Latin terms on word boundaries (so "ETH" is not found in "MegaETH"
 * and "@megaeth", "$MEGA", "#Base" all count), terms in CJK scripts as plain substrings
 * (there are no spaces between words to look for).
 *
 * Besides the configured terms, a network that is a known chain (chains.ts) is also found by
 * its explorers, RPC hostnames and chain id ("basescan", "arb1.arbitrum.io", "chainId 8453");
 * known chains nobody configured are found too, as "another chain", so that
 * "sepolia.etherscan.io" is not Ethereum and "polygonscan" is not nothing.
 */
import type { NetworkTerms } from '../types';
import { KNOWN_CHAINS, knownChainOf } from './chains';

/**
 * How specific a mention is: a name or handle outranks an explorer or hostname, which
 * outranks a ticker (many networks share one), which outranks a generic word ("mainnet").
 * `other` is a chain that is not configured.
 */
export type TermTier = 'name' | 'explorer' | 'ticker' | 'generic' | 'other';

interface TermEntry {
  /** null: a known chain that no configured network is. */
  network: string | null;
  tier: TermTier;
  term: string;
}

type BoundaryKind = 'latin' | 'hangul' | 'cyrillic' | 'none';

export interface CompiledNetworks {
  /** Global; the terms' literals, longest first, without boundaries. */
  readonly re: RegExp | null;
  readonly entries: readonly TermEntry[];
  readonly kinds: readonly BoundaryKind[];
  readonly bodies: readonly string[];
  /** Per-entry sticky patterns, made when first needed. */
  readonly sticky: (RegExp | undefined)[];
  /** Normalized term → index in `entries`. */
  readonly byText: ReadonlyMap<string, number>;
  /** Chain id → configured network (null: a known chain nobody configured). */
  readonly chainIds: ReadonlyMap<number, string | null>;
}

export interface NetworkMention {
  /** null: another (known, not configured) chain. */
  network: string | null;
  tier: TermTier;
  index: number;
  length: number;
}

// "chain id 8453", "chainId: 42161", "chain_id=0x2105", "eip155:10", and the same in the other
// scripts the lexicons cover: "链ID 8453", "チェーンID 42161", "체인 ID 10", "ID сети 8453". Only Latin and
// Cyrillic letters or digits around it break it ("42161のブロック" and "的链ID" are fine).
const CHAIN_ID =
  /(?<![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_])(?:(?:chain|链|鏈|チェーン|체인)[\s_-]?id\s*[:=#]?\s*(0x[0-9a-f]{1,8}|\d{1,9})|eip155:(\d{1,9})|(?:id|ид|айди)\s+(?:сети|цепи|чейна)\s*[:=#]?\s*(\d{1,9}))(?![\p{Script=Latin}\p{Script=Cyrillic}\p{N}_])/gu;
/** Cheap test before CHAIN_ID runs: most posts name no chain id. */
const CHAIN_ID_HINT = /chain|eip155|链|鏈|チェーン|체인|сети|цепи|чейна/;

const MAX_TERMS = 2000;
const MAX_TERM_LENGTH = 64;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const HANGUL_START = /^\p{Script=Hangul}/u;
const HANGUL_CHAR = /\p{Script=Hangul}/u;
// Latin or Cyrillic letters and digits continue a word; CJK letters do not ("MegaETH的").
const LATIN_WORD_CHAR = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Nd}_]/u;
const INVISIBLE = /[\u00AD\u200B-\u200F\u2060-\u2064\uFEFF]/g;
const CYRILLIC_START = /^\p{Script=Cyrillic}/u;
const CYRILLIC_CHAR = /\p{Script=Cyrillic}/u;
/**
 * Russian declines names: "на Арбитруме", "у Оптимизма", "в Эфириуме". A Cyrillic term this
 * long may take up to INFLECTION_MAX Cyrillic letters of ending; shorter ones must match whole
 * ("эфир" is Ethereum's slang, "в эфире" is "on air").
 */
const INFLECTED_MIN = 6;
const INFLECTION_MAX = 3;

/**
 * Words that are also names of networks but mostly mean something else. A match is dropped
 * when the words around it show the ordinary sense ("base fee", "user base").
 */
const AMBIGUOUS: Readonly<Record<string, { after?: RegExp; before?: RegExp }>> = {
  base: {
    after:
      /^\s+(?:fees?|layer|rate|case|line|model|camp|pay|salary|url|path|class|image|level|unit|station|64|58|32|10|token|currency|asset|price|of\b)/,
    before:
      /(?:user|code|data|fan|customer|knowledge|player|member|client|military|air|naval|home|power|solid|strong|install|holder|cost|tax|rate)\s+$/,
  },
  op: { after: /^\s+(?:said|says|is\s+right|is\s+wrong|here|delivered)/, before: /(?:the|this|as|dear|good|black|photo|special|ops?)\s+$/ },
  mega: { after: /^\s+(?:bullish|bearish|pump|thread|cap|rich)/ },
  // イーサ is Ethereum's short name in Japanese; イーサネット is Ethernet.
  イーサ: { after: /^ネット/ },
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

/**
 * `knownChains: false` compiles the configured terms only — how networks were found before
 * explorers, hostnames and chain ids (kept for the training script's before/after figures).
 */
export function compileNetworks(networks: readonly NetworkTerms[], { knownChains = true } = {}): CompiledNetworks {
  const byTerm = new Map<string, TermEntry>();
  const chainIds = new Map<number, string | null>();
  const claimed = new Set<(typeof KNOWN_CHAINS)[number]>();
  const configured: NetworkTerms[] = [];
  for (const n of networks) {
    if (!n || typeof n.name !== 'string') continue;
    configured.push(n);
    for (const raw of [n.name, ...(Array.isArray(n.terms) ? n.terms : [])]) {
      if (typeof raw !== 'string' || byTerm.size >= MAX_TERMS) continue;
      const term = normalizeTerm(raw);
      if (term.length === 0 || term.length > MAX_TERM_LENGTH) continue;
      const tier = termTier(raw.trim());
      const prev = byTerm.get(term);
      // The first network to claim a term keeps it; a name outranks a ticker for the same words.
      if (!prev || (prev.tier === 'ticker' && tier === 'name' && prev.network === n.name))
        byTerm.set(term, { network: n.name, tier, term });
    }
  }
  // Explorers, hostnames and chain ids: of configured networks first, then of the other known chains.
  for (const n of knownChains ? configured : []) {
    const chain = knownChainOf(n.name, Array.isArray(n.terms) ? n.terms : []);
    if (!chain || claimed.has(chain)) continue;
    claimed.add(chain);
    for (const hint of chain.hints) {
      const term = normalizeTerm(hint);
      if (!byTerm.has(term)) byTerm.set(term, { network: n.name, tier: 'explorer', term });
    }
    for (const word of chain.generic ?? []) {
      const term = normalizeTerm(word);
      if (!byTerm.has(term)) byTerm.set(term, { network: n.name, tier: 'generic', term });
    }
    for (const id of chain.chainIds) if (!chainIds.has(id)) chainIds.set(id, n.name);
  }
  for (const chain of knownChains ? KNOWN_CHAINS : []) {
    if (claimed.has(chain)) continue;
    for (const hint of chain.hints) {
      const term = normalizeTerm(hint);
      if (!byTerm.has(term)) byTerm.set(term, { network: null, tier: 'other', term });
    }
    for (const id of chain.chainIds) if (!chainIds.has(id)) chainIds.set(id, null);
  }
  const entries = [...byTerm.values()].sort((a, b) => b.term.length - a.term.length || a.term.localeCompare(b.term));
  const usable: TermEntry[] = [];
  const kinds: BoundaryKind[] = [];
  const bodies: string[] = [];
  for (const entry of entries) {
    const body = termBody(entry.term);
    try {
      new RegExp(body, 'u');
    } catch {
      continue; // a term no pattern can express is skipped, not fatal
    }
    usable.push(entry);
    kinds.push(boundaryKind(entry.term));
    bodies.push(body);
  }
  const byText = new Map<string, number>();
  usable.forEach((e, i) => byText.set(e.term, i));
  return {
    re: mentionScan(bodies, kinds),
    entries: usable,
    kinds,
    bodies,
    sticky: [],
    byText,
    chainIds,
  };
}

/**
 * Common Latin and Cyrillic letters, digits and `_`: a subset of LATIN_WORD_CHAR (checked in
 * test/social/classifier/scan.test.ts), so a position it rules out is one boundaryEnd rules out too.
 */
const GUARD_CLASS = String.raw`[a-z0-9_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0400-\u0484\u0487-\u04FF]`;
export const MENTION_GUARD_CLASS = new RegExp(GUARD_CLASS, 'u');
const WORD_BEFORE_GUARD = `(?<!${GUARD_CLASS})`;

/**
 * One alternation of plain literals, longest first; word boundaries are checked in code (a
 * lookbehind in front of each of hundreds of alternatives makes V8 try every one at every
 * position: seconds on a long post; literals let it skip ahead by the first character). The
 * terms that need no letter before them (Latin and Cyrillic ones) sit behind one shared guard,
 * tested once per position, so the inside of a word is passed over at once. The CJK and Hangul
 * terms come first: a term with CJK in it ("base链") is longer than the Latin term it starts
 * with ("base") and must win where both match, as it did in one longest-first list; no other
 * pair of the two groups can match at the same place (a Latin term has no CJK, and a Hangul
 * term starts with Hangul).
 */
function mentionScan(bodies: readonly string[], kinds: readonly BoundaryKind[]): RegExp | null {
  if (bodies.length === 0) return null;
  const free = bodies.filter((_, i) => kinds[i] === 'none' || kinds[i] === 'hangul');
  const guarded = bodies.filter((_, i) => kinds[i] === 'latin' || kinds[i] === 'cyrillic');
  const parts = [
    ...(free.length > 0 ? [free.join('|')] : []),
    ...(guarded.length > 0 ? [`${WORD_BEFORE_GUARD}(?:${guarded.join('|')})`] : []),
  ];
  return new RegExp(parts.join('|'), 'gu');
}

function termBody(term: string): string {
  return escapeRegExp(term).replace(/ /g, String.raw`\s+`);
}

function boundaryKind(term: string): BoundaryKind {
  // Korean writes particles after a word but no word before it: "베이스가" names Base, "데이터베이스" does not.
  if (HANGUL_START.test(term)) return 'hangul';
  if (CYRILLIC_START.test(term) && term.length >= INFLECTED_MIN && !/[^\p{Script=Cyrillic}]/u.test(term)) return 'cyrillic';
  if (CJK.test(term)) return 'none';
  // "@megaeth": the "@" itself is not a word character, so the boundary goes before the letters.
  return 'latin';
}

/** Where the mention ends (a declined Russian name takes its ending along), or -1 if the boundaries fail. */
function boundaryEnd(kind: BoundaryKind, text: string, start: number, end: number): number {
  if (kind === 'none') return end;
  const before = start > 0 ? text[start - 1]! : '';
  if (kind === 'hangul') return before === '' || !HANGUL_CHAR.test(before) ? end : -1;
  if (before !== '' && LATIN_WORD_CHAR.test(before)) return -1;
  let after = end;
  if (kind === 'cyrillic') while (after < text.length && after - end < INFLECTION_MAX && CYRILLIC_CHAR.test(text[after]!)) after++;
  const next = after < text.length ? text[after]! : '';
  return next === '' || !LATIN_WORD_CHAR.test(next) ? after : -1;
}

/** The entry matched at `start`: the longest whose boundaries hold there, or -1. */
function entryAt(c: CompiledNetworks, text: string, start: number, matched: string): { i: number; length: number } | null {
  const first = c.byText.get(matched.replace(/\s+/g, ' '));
  const firstEnd = first === undefined ? -1 : boundaryEnd(c.kinds[first]!, text, start, start + matched.length);
  if (firstEnd >= 0) return { i: first!, length: firstEnd - start };
  // Rare: the longest literal fails its boundary ("arbitrum novax"); a shorter one may hold.
  for (let i = 0; i < c.entries.length; i++) {
    if (i === first || c.entries[i]!.term[0] !== text[start]) continue;
    const re = (c.sticky[i] ??= new RegExp(c.bodies[i]!, 'uy'));
    re.lastIndex = start;
    const m = re.exec(text);
    const end = m ? boundaryEnd(c.kinds[i]!, text, start, start + m[0].length) : -1;
    if (end >= 0) return { i, length: end - start };
  }
  return null;
}

/** Every mention in order of appearance, at most `limit`. */
export function findMentions(c: CompiledNetworks, lower: string, limit = 32): NetworkMention[] {
  const out: NetworkMention[] = [];
  const re = c.re;
  if (!re) return out;
  if (c.chainIds.size > 0 && CHAIN_ID_HINT.test(lower)) findChainIds(c, lower, out);
  const byId = out.length;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let found = 0;
  while ((m = re.exec(lower)) !== null && found < limit) {
    const at = entryAt(c, lower, m.index, m[0]);
    if (!at) {
      re.lastIndex = m.index + 1;
      continue;
    }
    re.lastIndex = m.index + at.length;
    const entry = c.entries[at.i]!;
    const amb = AMBIGUOUS[entry.term];
    if (amb) {
      const end = m.index + at.length;
      if (amb.after?.test(lower.slice(end, end + 24))) continue;
      if (amb.before?.test(lower.slice(Math.max(0, m.index - 24), m.index))) continue;
    }
    found++;
    out.push({ network: entry.network, tier: entry.tier, index: m.index, length: at.length });
  }
  if (byId > 0) out.sort((a, b) => a.index - b.index);
  return out;
}

function findChainIds(c: CompiledNetworks, lower: string, out: NetworkMention[]): void {
  CHAIN_ID.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CHAIN_ID.exec(lower)) !== null && out.length < 4) {
    const raw = m[1] ?? m[2] ?? m[3] ?? '';
    const id = raw.startsWith('0x') ? parseInt(raw.slice(2), 16) : Number(raw);
    if (!c.chainIds.has(id)) continue;
    const network = c.chainIds.get(id) ?? null;
    out.push({ network, tier: network === null ? 'other' : 'explorer', index: m.index, length: m[0].length });
  }
}

/**
 * The configured network the post is about: the first name or handle, else the first explorer,
 * hostname or chain id, else — when another known chain is named — none ("my ETH is stuck on
 * Solana" is about Solana), else the first ticker, else a generic word ("mainnet").
 */
export function pickNetwork(mentions: readonly NetworkMention[]): NetworkMention | undefined {
  const named = mentions.find((m) => m.tier === 'name') ?? mentions.find((m) => m.tier === 'explorer');
  if (named) return named;
  if (mentions.some((m) => m.tier === 'other')) return undefined;
  return mentions.find((m) => m.tier === 'ticker') ?? mentions.find((m) => m.tier === 'generic');
}
