/**
 * The labelled examples and how they are scored; shared by test/social/classify.test.ts and
 * bench/classifier.ts. `holdout.jsonl` was written before any lexicon and is never used for
 * tuning; `train.jsonl` is what the lexicons were tuned against.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyPost, defaultNetworkTerms } from '../../../src/social/classify';
import type { Classification, NetworkTerms } from '../../../src/social/types';

export interface Example {
  text: string;
  lang: string;
  outage: boolean;
  network: string | null;
}

/** The five networks the examples are about, with the terms `defaultNetworkTerms` derives. */
export const EXAMPLE_NETWORKS: NetworkTerms[] = defaultNetworkTerms([
  { name: 'ethereum', displayName: 'Ethereum' },
  { name: 'base', displayName: 'Base' },
  { name: 'arbitrum', displayName: 'Arbitrum One' },
  { name: 'optimism', displayName: 'OP Mainnet' },
  { name: 'megaeth', displayName: 'MegaETH' },
]);

export function loadExamples(name: 'train' | 'holdout'): Example[] {
  const text = readFileSync(join(import.meta.dirname, `${name}.jsonl`), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l, i) => {
      const e = JSON.parse(l) as Example;
      if (typeof e.text !== 'string' || typeof e.outage !== 'boolean') throw new Error(`${name}.jsonl:${i + 1}: malformed example`);
      return e;
    });
}

export interface Counts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Positives whose network was named correctly (null = null counts). */
  networkRight: number;
}

export interface Metrics extends Counts {
  support: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  networkAccuracy: number;
}

export interface Outcome {
  example: Example;
  result: Classification;
}

/** `withLang: false` withholds the language tag so that detection is exercised too. */
export function runExamples(examples: readonly Example[], { withLang = true } = {}): Outcome[] {
  return examples.map((example) => ({
    example,
    result: classifyPost({ text: example.text, lang: withLang ? example.lang : undefined }, EXAMPLE_NETWORKS),
  }));
}

export function metrics(outcomes: readonly Outcome[]): Metrics {
  const c: Counts = { tp: 0, fp: 0, tn: 0, fn: 0, networkRight: 0 };
  for (const { example, result } of outcomes) {
    if (example.outage && result.outage) c.tp++;
    else if (example.outage) c.fn++;
    else if (result.outage) c.fp++;
    else c.tn++;
    if (example.outage && result.network === example.network) c.networkRight++;
  }
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const positives = c.tp + c.fn;
  return {
    ...c,
    support: outcomes.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    accuracy: outcomes.length === 0 ? 1 : (c.tp + c.tn) / outcomes.length,
    networkAccuracy: positives === 0 ? 1 : c.networkRight / positives,
  };
}

export function byLanguage(outcomes: readonly Outcome[]): Map<string, Metrics> {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const g = groups.get(o.example.lang) ?? [];
    g.push(o);
    groups.set(o.example.lang, g);
  }
  return new Map([...groups].map(([lang, g]) => [lang, metrics(g)]));
}
