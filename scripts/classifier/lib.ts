/** Shared by the corpus generator, the training script and the tests: the corpus format, splits and figures. */
import { readFileSync } from 'node:fs';

export const LANGS = ['en', 'ja', 'zh', 'ko', 'es', 'pt', 'ru', 'tr', 'vi', 'fr', 'de'] as const;

/** Short network codes used in the hand-written files. */
export const NETWORK_CODES: Record<string, string | null> = {
  eth: 'ethereum',
  base: 'base',
  arb: 'arbitrum',
  op: 'optimism',
  mega: 'megaeth',
  '-': null,
};

/**
 * Categories. Reports (`outage: true`): `report` (an outage word), `report-question`
 * ("is X down?"), the keyword-less `kwless-*`, `reorg-now` (a reorg happening now) and
 * `attr-explorer` (a report that names the network only by explorer, host or chain id).
 * Not reports: the `neg-*` categories.
 */
export const CATEGORIES: readonly string[] = [
  'report',
  'report-question',
  'kwless-stale-block',
  'kwless-same-height',
  'kwless-feed-quiet',
  'kwless-mempool',
  'kwless-tps-zero',
  'kwless-l2-deposit',
  'kwless-errors',
  'kwless-other',
  'reorg-now',
  'attr-explorer',
  'neg-past',
  'neg-reorg-past',
  'neg-news',
  'neg-recovered',
  'neg-planned',
  'neg-price',
  'neg-personal',
  'neg-denial',
  'neg-healthy-block',
  'neg-chatter',
  'neg-promo',
  'neg-offtopic',
];

/** Hard negatives: not reports, but full of the words and shapes reports have. */
export const HARD_NEGATIVE: ReadonlySet<string> = new Set([
  'neg-past',
  'neg-reorg-past',
  'neg-news',
  'neg-price',
  'neg-personal',
  'neg-denial',
  'neg-healthy-block',
  'neg-chatter',
]);

/** Reports without an outage word (an explorer-only report is counted by its wording, see isKeywordless). */
export function isKeywordless(category: string): boolean {
  return category.startsWith('kwless-') || category === 'reorg-now' || category === 'attr-explorer';
}

export interface CorpusLine {
  text: string;
  lang: string;
  outage: boolean;
  network: string | null;
  category: string;
  source: string;
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch {
        throw new Error(`${path}:${i + 1}: not JSON`);
      }
    });
}

export type Split = 'train' | 'dev' | 'test';

/** What a line is split by: its text, or for a template line its frame. */
export function splitKey(line: Pick<CorpusLine, 'text' | 'source'>): string {
  return line.source.startsWith('template:') ? line.source : line.text;
}

/** FNV-1a over the UTF-16 code units: stable across runs and machines. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * 80/10/10 by a stable hash of the text. Template lines are split by their frame
 * (`template:<id>.<frame>`), so that two fillings of one frame never sit on both sides of
 * the split — otherwise the test split would measure memory of frames.
 */
export function splitOf(line: Pick<CorpusLine, 'text' | 'source'>): Split {
  const b = stableHash(splitKey(line)) % 10;
  return b < 8 ? 'train' : b === 8 ? 'dev' : 'test';
}

export interface Counts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface Figures extends Counts {
  n: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

export function figures(pairs: readonly { truth: boolean; predicted: boolean }[]): Figures {
  const c: Counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const { truth, predicted } of pairs) {
    if (truth && predicted) c.tp++;
    else if (truth) c.fn++;
    else if (predicted) c.fp++;
    else c.tn++;
  }
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  return {
    ...c,
    n: pairs.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    accuracy: pairs.length === 0 ? 1 : (c.tp + c.tn) / pairs.length,
  };
}
