/**
 * Turns a lexicon into one regular expression per purpose, once, at module load. One
 * alternation per lexicon is what makes the classifier fast: V8 compiles it to machine
 * code and a post is read once per lexicon instead of once per rule.
 */
import type { Lexicon, Rule } from './lexicon/types';

/**
 * `\b` in JavaScript only knows ASCII words. In the lexicons it means a boundary between
 * Latin or Cyrillic letters and digits on one side and anything else on the other, so that
 * "sập" is a word and "rpc挂了" still has a boundary after "rpc".
 */
const WORD = String.raw`[\p{Script=Latin}\p{Script=Cyrillic}\p{Nd}_]`;
export const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
export const NOT_WORD_BEFORE = `(?<!${WORD})`;
export const NOT_WORD_AFTER = `(?!${WORD})`;

/** `\w` likewise means any letter or digit, so "работа\w+" finds "работает". */
export function expandBoundaries(pattern: string): string {
  return pattern.replace(/\\b/g, BOUNDARY).replace(/\\w/g, String.raw`[\p{L}\p{N}_]`);
}

function groupCount(source: string): number {
  return (new RegExp(`${source}|`, 'u').exec('')?.length ?? 1) - 1;
}

export interface CompiledLexicon {
  readonly lexicon: Lexicon;
  /** Global; group `groupOf[i]` set means rule `i` matched. */
  readonly scan: RegExp;
  readonly groupOf: readonly number[];
  readonly rules: readonly Rule[];
  readonly infra: RegExp;
}

export function compileLexicon(lexicon: Lexicon): CompiledLexicon {
  const groupOf: number[] = [];
  const parts: string[] = [];
  let group = 1;
  for (const rule of lexicon.rules) {
    const source = expandBoundaries(rule.pattern);
    try {
      groupCount(source);
    } catch (err) {
      throw new Error(`lexicon ${lexicon.lang}: rule ${rule.label} has a bad pattern: ${(err as Error).message}`);
    }
    groupOf.push(group);
    parts.push(`(${source})`);
    group += 1 + groupCount(source);
  }
  return {
    lexicon,
    scan: new RegExp(parts.join('|'), 'gu'),
    groupOf,
    rules: lexicon.rules,
    infra: new RegExp(expandBoundaries(lexicon.infra), 'u'),
  };
}

/** Calls `onRule` for each rule occurrence, left to right; at most `limit` occurrences. */
export function scanLexicon(c: CompiledLexicon, text: string, onRule: (rule: Rule) => void, limit = 64): void {
  const re = c.scan;
  re.lastIndex = 0;
  let seen = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) re.lastIndex++; // defensive: a rule that can match empty must not loop
    const i = firstMatchedRule(c.groupOf, m);
    if (i >= 0) onRule(c.rules[i]!);
    if (++seen >= limit) break;
  }
}

function firstMatchedRule(groupOf: readonly number[], m: RegExpExecArray): number {
  for (let i = 0; i < groupOf.length; i++) if (m[groupOf[i]!] !== undefined) return i;
  return -1;
}
