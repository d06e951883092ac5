/**
 * Trains the outage classifier's learned model and writes data/classifier/model.json and
 * data/classifier/report.json. Deterministic: the same corpus gives the same files.
 *
 *   npx tsx scripts/classifier/make-corpus.ts   # (re)build the corpus from written/ + templates
 *   npx tsx scripts/classifier/train.ts         # train, select, evaluate, write model + report
 *   npx tsx scripts/classifier/train.ts --dev-only   # selection figures only; writes nothing
 *
 * Data and what each part is used for:
 *  - data/classifier/corpus.jsonl, split by a stable hash (lib.ts splitOf) into train / dev /
 *    test, 80/10/10. Template lines are split by frame, so fillings of one frame stay together.
 *  - test/social/examples/train.jsonl (the lexicons' own tuning examples): extra training data.
 *  - train + dev: model selection by 5-fold cross-validation (folds grouped like the split) —
 *    regularisation, epochs, how the lexicons combine with the model (stacked / offset /
 *    model alone / blend) and the decision threshold. (dev alone, ~330 posts, proved too
 *    small: the choice flipped between runs on one or two posts.)
 *  - test: never trained or tuned on; reported.
 *  - data/classifier/check.jsonl: a hand-written check set, written BEFORE this script or any
 *    model existed, and NEVER used for tuning anything (not for selection, not for thresholds,
 *    not for features). It is only evaluated and reported, like test. (make-corpus.ts uses it
 *    only to keep corpus lines from duplicating it.)
 *  - test/social/examples/holdout.jsonl: the lexicons' holdout; reported, never trained on.
 *
 * After selection on dev the chosen configuration is retrained on train + dev, pruned,
 * quantised and evaluated through the real classifier path (pipeline.ts with the decoded
 * model), exactly as classify.ts runs it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultNetworkTerms } from '../../src/social/classifier/terms';
import { FEATURE_VERSION, HASH_BITS, type Features } from '../../src/social/classifier/features';
import { decodeModel, encodeHashed, groupNorm, type Model, type ModelFile } from '../../src/social/classifier/model';
import { analysePost, decide, featuresOf, type Analysis } from '../../src/social/classifier/pipeline';
import type { Classification } from '../../src/social/types';
import {
  figures,
  HARD_NEGATIVE,
  isKeywordless,
  LANGS,
  readJsonl,
  splitKey,
  splitOf,
  stableHash,
  type CorpusLine,
  type Figures,
  type Split,
} from './lib';

const ROOT = join(import.meta.dirname, '../..');
const DATA = join(ROOT, 'data/classifier');
const SEED = 20240613;
const MAX_HASHED = 120_000;
const FOLDS = 5;

/** The five networks the corpus is labelled with, as chainwatch's config derives their terms. */
export const CORPUS_NETWORKS = defaultNetworkTerms([
  { name: 'ethereum', displayName: 'Ethereum' },
  { name: 'base', displayName: 'Base' },
  { name: 'arbitrum', displayName: 'Arbitrum One' },
  { name: 'optimism', displayName: 'OP Mainnet' },
  { name: 'megaeth', displayName: 'MegaETH' },
]);

interface Example {
  line: CorpusLine;
  analysis: Analysis;
  /** The same post as the classifier before issue 13 saw it (configured network terms only). */
  legacy?: Analysis;
  features: Features;
  y: number;
}

/**
 * How the lexicons and the model combine:
 *  - stacked: the lexicon score and rules are features like any other; all weights learned;
 *  - offset:  the lexicon logit is a fixed offset (weight 1 on its raw logit) and the model
 *             learns a correction on top — with no evidence either way, the lexicons decide;
 *  - nolex:   the model without any lexicon feature (optionally blended with the lexicon
 *             logit afterwards, the blend weight chosen on dev).
 */
type Mode = 'stacked' | 'offset' | 'nolex';
/** `lexLogit` is the raw lexicon logit divided by this (pipeline.ts). */
const LEX_SCALE = 4;

interface Params {
  mode: Mode;
  l2: number;
  epochs: number;
  lr: number;
}

interface Weights {
  bias: number;
  lex: number;
  named: Map<string, number>;
  hashed: Float64Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isLexicalName = (n: string) => n.startsWith('lx:') || n.startsWith('k:') || n === 'lex-outage';

function logit(w: Weights, f: Features, mode: Mode): number {
  let z = w.bias + (mode === 'stacked' ? w.lex * f.lexLogit : mode === 'offset' ? LEX_SCALE * f.lexLogit : 0);
  const gc = groupNorm(f.chars.length);
  const gw = groupNorm(f.words.length);
  let s = 0;
  for (const i of f.chars) s += w.hashed[i]!;
  z += s * gc;
  s = 0;
  for (const i of f.words) s += w.hashed[i]!;
  z += s * gw;
  for (const n of f.named) if (mode !== 'nolex' || !isLexicalName(n)) z += w.named.get(n) ?? 0;
  return z;
}

/** Logistic regression, AdaGrad, L2 on the touched weights; deterministic order. */
function train(examples: readonly Example[], p: Params): Weights {
  const w: Weights = { bias: 0, lex: 0, named: new Map(), hashed: new Float64Array(1 << HASH_BITS) };
  const gHashed = new Float64Array(1 << HASH_BITS);
  const gNamed = new Map<string, number>();
  let gBias = 0;
  let gLex = 0;
  const order = examples.map((_, i) => i);
  const rnd = mulberry32(SEED);
  const eps = 1e-8;
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const ex = examples[k]!;
      const f = ex.features;
      const z = logit(w, f, p.mode);
      const g = 1 / (1 + Math.exp(-z)) - ex.y;
      gBias += g * g;
      w.bias -= (p.lr * g) / Math.sqrt(gBias + eps);
      if (p.mode === 'stacked') {
        const gl = g * f.lexLogit + p.l2 * w.lex;
        gLex += gl * gl;
        w.lex -= (p.lr * gl) / Math.sqrt(gLex + eps);
      }
      const update = (i: number, x: number) => {
        const gi = g * x + p.l2 * w.hashed[i]!;
        gHashed[i]! += gi * gi;
        w.hashed[i]! -= (p.lr * gi) / Math.sqrt(gHashed[i]! + eps);
      };
      const gc = groupNorm(f.chars.length);
      for (const i of f.chars) update(i, gc);
      const gw = groupNorm(f.words.length);
      for (const i of f.words) update(i, gw);
      for (const n of f.named) {
        if (p.mode === 'nolex' && isLexicalName(n)) continue;
        const cur = w.named.get(n) ?? 0;
        const gi = g + p.l2 * cur;
        const acc = (gNamed.get(n) ?? 0) + gi * gi;
        gNamed.set(n, acc);
        w.named.set(n, cur - (p.lr * gi) / Math.sqrt(acc + eps));
      }
    }
  }
  return w;
}

/** Prunes and quantises into the shipped file format; `shift` is the threshold folded into the bias, `blend` extra lexicon weight. */
function toModelFile(w: Weights, mode: Mode, shift: number, blend: number, meta: Record<string, unknown>): ModelFile {
  const entries: [number, number][] = [];
  for (let i = 0; i < w.hashed.length; i++) if (w.hashed[i] !== 0) entries.push([i, w.hashed[i]!]);
  entries.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0]);
  const kept = entries.slice(0, MAX_HASHED).filter(([, v]) => Math.abs(v) >= 1e-3);
  const max = kept.reduce((m, [, v]) => Math.max(m, Math.abs(v)), 1e-9);
  const named: Record<string, number> = {};
  for (const [k, v] of [...w.named].sort((a, b) => a[0].localeCompare(b[0]))) if (Math.abs(v) >= 1e-4) named[k] = Math.round(v * 1e4) / 1e4;
  return {
    format: 1,
    featureVersion: FEATURE_VERSION,
    hashBits: HASH_BITS,
    bias: Math.round((w.bias - shift) * 1e4) / 1e4,
    lexWeight: Math.round(((mode === 'stacked' ? w.lex : mode === 'offset' ? LEX_SCALE : 0) + blend) * 1e4) / 1e4,
    named,
    hashed: encodeHashed(kept, max / 32767),
    meta,
  };
}

interface Evaluated {
  line: CorpusLine;
  result: Classification;
}

function evaluate(examples: readonly Example[], model: Model | null): Evaluated[] {
  return examples.map((e) => ({ line: e.line, result: decide(e.analysis, model) }));
}

/** The classifier before issue 13: lexicons alone, networks by configured terms alone. */
function evaluateBefore(examples: readonly Example[]): Evaluated[] {
  return examples.map((e) => ({
    line: e.line,
    result: decide(e.legacy ?? analysePost({ text: e.line.text, lang: e.line.lang }, CORPUS_NETWORKS, { knownChains: false }), null),
  }));
}

function fig(ev: readonly Evaluated[]): Figures {
  return figures(ev.map((e) => ({ truth: e.line.outage, predicted: e.result.outage })));
}

/** Network right over the posts that report an outage (null = null counts). */
function attribution(ev: readonly Evaluated[]): { n: number; right: number; accuracy: number; wrongNetwork: number } {
  const pos = ev.filter((e) => e.line.outage);
  const right = pos.filter((e) => e.result.network === e.line.network).length;
  // A wrong network (not just "unknown") is the expensive mistake: it files a report under another network.
  const wrongNetwork = pos.filter((e) => e.result.network !== null && e.result.network !== e.line.network).length;
  return { n: pos.length, right, accuracy: pos.length ? right / pos.length : 1, wrongNetwork };
}

function logLoss(ev: readonly Evaluated[]): number {
  let s = 0;
  for (const e of ev) {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, e.result.score));
    s -= e.line.outage ? Math.log(p) : Math.log(1 - p);
  }
  return s / Math.max(1, ev.length);
}

function prepare(lines: readonly CorpusLine[]): Example[] {
  return lines.map((line) => {
    const analysis = analysePost({ text: line.text, lang: line.lang }, CORPUS_NETWORKS);
    return { line, analysis, features: featuresOf(analysis), y: line.outage ? 1 : 0 };
  });
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function summary(ev: readonly Evaluated[]) {
  const f = fig(ev);
  const a = attribution(ev);
  const byLang: Record<string, unknown> = {};
  for (const lang of LANGS) {
    const sub = ev.filter((e) => e.line.lang === lang);
    if (sub.length === 0) continue;
    const lf = fig(sub);
    byLang[lang] = {
      n: lf.n,
      precision: r3(lf.precision),
      recall: r3(lf.recall),
      f1: r3(lf.f1),
      attribution: r3(attribution(sub).accuracy),
    };
  }
  const tricky = ev.filter((e) => HARD_NEGATIVE.has(e.line.category) || isKeywordless(e.line.category));
  const tf = fig(tricky);
  return {
    n: f.n,
    tp: f.tp,
    fp: f.fp,
    fn: f.fn,
    tn: f.tn,
    precision: r3(f.precision),
    recall: r3(f.recall),
    f1: r3(f.f1),
    accuracy: r3(f.accuracy),
    attribution: { ...a, accuracy: r3(a.accuracy) },
    tricky: { n: tf.n, accuracy: r3(tf.accuracy), precision: r3(tf.precision), recall: r3(tf.recall), f1: r3(tf.f1) },
    byLang,
  };
}

function main(): void {
  const devOnly = process.argv.includes('--dev-only');
  const corpus = readJsonl<CorpusLine>(join(DATA, 'corpus.jsonl'));
  const examplesTrain = readJsonl<{ text: string; lang: string; outage: boolean; network: string | null }>(
    join(ROOT, 'test/social/examples/train.jsonl'),
  ).map((e): CorpusLine => ({ ...e, category: e.outage ? 'report' : 'neg-other', source: 'examples/train.jsonl' }));
  const bySplit: Record<Split, CorpusLine[]> = { train: [], dev: [], test: [] };
  for (const l of corpus) bySplit[splitOf(l)].push(l);
  const trainCorpusEx = prepare(bySplit.train);
  const examplesEx = prepare(examplesTrain);
  const devEx = prepare(bySplit.dev);
  console.error(
    `corpus ${corpus.length}: train ${bySplit.train.length} (+${examplesTrain.length} examples), dev ${bySplit.dev.length}, test ${bySplit.test.length}`,
  );

  // ---- Selection: 5-fold cross-validation over train + dev (grouped like the split), so
  // that choices rest on ~3,400 out-of-fold predictions rather than one small dev split.
  // The test split, the check set and the holdout take no part.
  const pool = [...trainCorpusEx, ...devEx];
  const foldOf = (e: Example) => stableHash(`fold:${splitKey(e.line)}`) % FOLDS;
  const grid: Params[] = [];
  for (const mode of ['offset', 'stacked', 'nolex'] as Mode[])
    for (const l2 of [1e-4, 1e-3, 3e-3]) for (const epochs of [8, 16]) grid.push({ mode, l2, epochs, lr: 0.2 });
  const tried: { params: Params; blend: number; shift: number; f1: number; loss: number }[] = [];
  for (const params of grid) {
    const blends = params.mode === 'nolex' ? [0, 0.5, 1, 2] : [0];
    const oof = new Map<number, Evaluated[]>(blends.map((b) => [b, []]));
    for (let k = 0; k < FOLDS; k++) {
      const w = train([...pool.filter((e) => foldOf(e) !== k), ...examplesEx], params);
      const held = pool.filter((e) => foldOf(e) === k);
      for (const blend of blends) oof.get(blend)!.push(...evaluate(held, decodeModel(toModelFile(w, params.mode, 0, blend, {}))));
    }
    for (const [blend, ev] of oof) {
      for (const thr of [0.4, 0.45, 0.5, 0.55, 0.6]) {
        const pairs = ev.map((e) => ({ truth: e.line.outage, predicted: e.result.score >= thr }));
        tried.push({ params, blend, shift: Math.log(thr / (1 - thr)), f1: figures(pairs).f1, loss: logLoss(ev) });
      }
    }
  }
  // Best out-of-fold F1; settings within half a point of it are equal, and among those the
  // lower log loss wins (better calibrated scores).
  tried.sort((a, b) => b.f1 - a.f1);
  const top = tried.filter((t) => t.f1 >= tried[0]!.f1 - 0.005).sort((a, b) => a.loss - b.loss);
  const best = top[0]!;
  const lexDev = fig(evaluate(pool, null));
  console.error('\nselection, 5-fold cross-validation on train+dev (out-of-fold F1, log loss):');
  const modes = new Map<string, (typeof tried)[number]>();
  for (const t of tried) {
    const key = `${t.params.mode}${t.params.mode === 'nolex' ? `+blend${t.blend}` : ''}`;
    const cur = modes.get(key);
    if (!cur || t.f1 > cur.f1 || (t.f1 === cur.f1 && t.loss < cur.loss)) modes.set(key, t);
  }
  console.error(`  lexicons only          F1 ${lexDev.f1.toFixed(3)}`);
  for (const [k, t] of modes)
    console.error(
      `  ${k.padEnd(22)} F1 ${t.f1.toFixed(3)}  loss ${t.loss.toFixed(3)}  (l2 ${t.params.l2}, epochs ${t.params.epochs}, threshold ${(1 / (1 + Math.exp(-t.shift))).toFixed(2)})`,
    );
  const threshold = 1 / (1 + Math.exp(-best.shift));
  console.error(
    `chosen: ${best.params.mode}${best.params.mode === 'nolex' ? ` + blend ${best.blend}` : ''}, l2 ${best.params.l2}, epochs ${best.params.epochs}, threshold ${threshold.toFixed(2)} (out-of-fold F1 ${best.f1.toFixed(3)})`,
  );
  if (devOnly) return;

  // ---- Final model: the chosen configuration on train + dev.
  const finalW = train([...trainCorpusEx, ...devEx, ...examplesEx], best.params);
  const selection = {
    mode: best.params.mode,
    blend: best.blend,
    l2: best.params.l2,
    epochs: best.params.epochs,
    threshold: r3(threshold),
    crossValidatedF1: r3(best.f1),
    perMode: Object.fromEntries(
      [...modes].map(([k, t]) => [k, { crossValidatedF1: r3(t.f1), logLoss: r3(t.loss), l2: t.params.l2, epochs: t.params.epochs }]),
    ),
    lexiconsOnlyF1: r3(lexDev.f1),
  };
  const file = toModelFile(finalW, best.params.mode, best.shift, best.blend, {
    trainedOn: `corpus train+dev splits (${bySplit.train.length + bySplit.dev.length} posts) + test/social/examples/train.jsonl (${examplesTrain.length})`,
    selection,
  });
  const json = `${JSON.stringify(file)}\n`;
  writeFileSync(join(DATA, 'model.json'), json);
  const model = decodeModel(file);

  // ---- Evaluation: test split, check set, the lexicons' holdout; before (lexicons) and after.
  const testEx = prepare(bySplit.test);
  const check = readJsonl<CorpusLine>(join(DATA, 'check.jsonl'));
  const checkEx = prepare(check);
  const holdout = readJsonl<{ text: string; lang: string; outage: boolean; network: string | null }>(
    join(ROOT, 'test/social/examples/holdout.jsonl'),
  ).map((e): CorpusLine => ({ ...e, category: e.outage ? 'report' : 'neg-other', source: 'examples/holdout.jsonl' }));
  const holdoutEx = prepare(holdout);
  // Untagged: as Discord delivers posts (language detection is part of the test).
  const untagged = (xs: readonly CorpusLine[]) =>
    xs.map((line) => {
      const analysis = analysePost({ text: line.text }, CORPUS_NETWORKS);
      const legacy = analysePost({ text: line.text }, CORPUS_NETWORKS, { knownChains: false });
      return { line, analysis, legacy, features: featuresOf(analysis), y: line.outage ? 1 : 0 };
    });
  const sets = { test: testEx, check: checkEx, holdout: holdoutEx };
  const report: Record<string, unknown> = {
    note: 'Generated by scripts/classifier/train.ts. train+dev were used for selection (5-fold cross-validation) and for the final model; test, check and holdout were never trained or tuned on.',
    corpus: corpusStats(corpus),
    splits: { train: bySplit.train.length, dev: bySplit.dev.length, test: bySplit.test.length, extraTraining: examplesTrain.length },
    selection,
    model: { bytes: Buffer.byteLength(json), hashedWeights: model.size, namedWeights: model.named.size },
  };
  for (const [name, ex] of Object.entries(sets)) {
    report[name] = { before: summary(evaluateBefore(ex)), after: summary(evaluate(ex, model)) };
  }
  for (const [name, lines] of [
    ['test', bySplit.test],
    ['check', check],
  ] as const) {
    const ex = untagged(lines);
    report[`${name}Untagged`] = { before: summary(evaluateBefore(ex)), after: summary(evaluate(ex, model)) };
  }
  const checkAfter = evaluate(checkEx, model);
  report.checkByCategory = byCategory(checkAfter, evaluateBefore(checkEx));
  report.testByCategory = byCategory(evaluate(testEx, model), evaluateBefore(testEx));
  writeFileSync(join(DATA, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  printTable(report);
}

function byCategory(
  after: readonly Evaluated[],
  before: readonly Evaluated[],
): Record<string, { n: number; before: number; after: number }> {
  const out: Record<string, { n: number; before: number; after: number }> = {};
  const cats = [...new Set(after.map((e) => e.line.category))].sort();
  for (const c of cats) {
    const a = after.filter((e) => e.line.category === c);
    const b = before.filter((e) => e.line.category === c);
    out[c] = { n: a.length, before: r3(fig(b).accuracy), after: r3(fig(a).accuracy) };
  }
  return out;
}

function corpusStats(corpus: readonly CorpusLine[]) {
  const count = (key: (l: CorpusLine) => string) => {
    const m: Record<string, number> = {};
    for (const l of corpus) m[key(l)] = (m[key(l)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(m).sort((a, b) => a[0].localeCompare(b[0])));
  };
  const hard = corpus.filter((l) => HARD_NEGATIVE.has(l.category)).length;
  const kwless = corpus.filter((l) => isKeywordless(l.category)).length;
  return {
    total: corpus.length,
    outage: corpus.filter((l) => l.outage).length,
    byLang: count((l) => l.lang),
    byCategory: count((l) => l.category),
    bySource: count((l) => (l.source === 'written' ? 'written' : 'template')),
    hardNegatives: hard,
    keywordlessReports: kwless,
    trickyShare: r3((hard + kwless) / corpus.length),
  };
}

function printTable(report: Record<string, unknown>): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}`.padStart(6);
  const lines: string[] = [];
  lines.push('set       lang    n   | before: P      R      F1   attr | after:  P      R      F1   attr');
  for (const set of ['test', 'check', 'holdout', 'testUntagged', 'checkUntagged']) {
    const s = report[set] as { before: ReturnType<typeof summary>; after: ReturnType<typeof summary> };
    const row = (
      lang: string,
      b: { n: number; precision: number; recall: number; f1: number; attribution: number | { accuracy: number } },
      a: typeof b,
    ) => {
      const attr = (x: typeof b) => (typeof x.attribution === 'number' ? x.attribution : x.attribution.accuracy);
      lines.push(
        `${set.padEnd(9)} ${lang.padEnd(5)} ${String(b.n).padStart(4)}  | ${pct(b.precision)} ${pct(b.recall)} ${pct(b.f1)} ${pct(attr(b))} | ${pct(a.precision)} ${pct(a.recall)} ${pct(a.f1)} ${pct(attr(a))}`,
      );
    };
    row('all', s.before, s.after);
    if (set === 'test' || set === 'check') {
      for (const lang of LANGS) {
        const b = s.before.byLang[lang] as Parameters<typeof row>[1] | undefined;
        const a = s.after.byLang[lang] as Parameters<typeof row>[1] | undefined;
        if (b && a) row(lang, b, a);
      }
      lines.push(
        `${set.padEnd(9)} tricky ${String(s.after.tricky.n).padStart(3)}  | accuracy ${pct(s.before.tricky.accuracy)}                     | accuracy ${pct(s.after.tricky.accuracy)}`,
      );
    }
  }
  console.log(lines.join('\n'));
}

main();
