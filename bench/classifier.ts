/**
 * Classifier quality on the held-out examples (never used for tuning), throughput and the
 * learned model's memory. Prints one JSON object per figure on stdout and a table for people
 * on stderr. Throughput is measured for the shipped classifier and, in alternating runs under
 * the same load, for the lexicons alone (the classifier before the learned model), so the two
 * figures compare even on a busy machine.
 * Run: npx tsx bench/classifier.ts   (node --expose-gc --import tsx bench/classifier.ts for exact heap figures)
 */
import { classifierModel, classifyPost, type ClassifiablePost } from '../src/social/classify';
import { classifyWith } from '../src/social/classifier/pipeline';
import { decodeModel, type ModelFile } from '../src/social/classifier/model';
import modelFile from '../data/classifier/model.json' with { type: 'json' };
import { byLanguage, EXAMPLE_NETWORKS, loadExamples, metrics, runExamples, type Metrics } from '../test/social/examples/dataset';

const THROUGHPUT_POSTS = 200_000;

function emit(name: string, value: number, unit: string, extra: Record<string, unknown>): void {
  console.log(JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, ...extra }));
}

function emitQuality(m: Metrics, extra: Record<string, unknown>): void {
  emit('classifier_precision', m.precision, 'ratio', { ...extra, tp: m.tp, fp: m.fp });
  emit('classifier_recall', m.recall, 'ratio', { ...extra, tp: m.tp, fn: m.fn });
  emit('classifier_f1', m.f1, 'ratio', extra);
  emit('classifier_support', m.support, 'examples', { ...extra, positives: m.tp + m.fn });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
const table: string[] = ['set      lang  support  pos  precision  recall      F1  network'];
const row = (set: string, lang: string, m: Metrics) =>
  table.push(
    `${set.padEnd(8)} ${lang.padEnd(5)} ${String(m.support).padStart(7)} ${String(m.tp + m.fn).padStart(4)}   ${pct(m.precision)} ${pct(m.recall)} ${pct(m.f1)}  ${pct(m.networkAccuracy)}`,
  );

const holdout = loadExamples('holdout');
const train = loadExamples('train');

// The holdout as X delivers it (language tag given), overall and per language.
const given = runExamples(holdout);
const overall = metrics(given);
emitQuality(overall, { set: 'holdout', lang: 'all', mode: 'lang-given' });
emit('classifier_network_accuracy', overall.networkAccuracy, 'ratio', {
  set: 'holdout',
  lang: 'all',
  mode: 'lang-given',
  positives: overall.tp + overall.fn,
});
row('holdout', 'all', overall);
for (const [lang, m] of [...byLanguage(given)].sort(([a], [b]) => a.localeCompare(b))) {
  emitQuality(m, { set: 'holdout', lang, mode: 'lang-given' });
  emit('classifier_network_accuracy', m.networkAccuracy, 'ratio', { set: 'holdout', lang, mode: 'lang-given', positives: m.tp + m.fn });
  row('holdout', lang, m);
}

// The holdout as Discord delivers it (no tag): language detection is part of the test.
const detected = runExamples(holdout, { withLang: false });
const dm = metrics(detected);
emitQuality(dm, { set: 'holdout', lang: 'all', mode: 'lang-detected' });
const langRight = detected.filter((o) => o.result.lang === o.example.lang).length;
emit('classifier_lang_detection_accuracy', langRight / detected.length, 'ratio', { set: 'holdout', support: detected.length });
row('holdout*', 'all', dm);

// The training set, for comparison only: it is what the lexicons were tuned against.
const tm = metrics(runExamples(train));
emitQuality(tm, { set: 'train', lang: 'all', mode: 'lang-given' });
row('train', 'all', tm);

// Throughput: every example with and without its tag, plus one long post in fifty.
const long = `${'Is the megaeth rpc down? '.repeat(200)}🚨`;
const corpus: ClassifiablePost[] = [...holdout, ...train].flatMap((e, i) => [
  { text: e.text, lang: e.lang },
  { text: e.text },
  ...(i % 25 === 0 ? [{ text: long }] : []),
]);
type Classify = (post: ClassifiablePost) => { outage: boolean };
const shipped: Classify = (p) => classifyPost(p, EXAMPLE_NETWORKS);
const lexiconsOnly: Classify = (p) => classifyWith(p, EXAMPLE_NETWORKS, null);
/**
 * Wall time, and the process's CPU time over the same run: on a machine shared with other work
 * the wall time counts the time the core was someone else's, the CPU time (user + system, the
 * GC's helper threads included, so slightly pessimistic) only the classifier's own.
 */
function timeRun(classify: Classify): { ms: number; cpuMs: number; outages: number } {
  let outages = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < THROUGHPUT_POSTS; i++) if (classify(corpus[i % corpus.length]!).outage) outages++;
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, outages };
}
const runs: number[] = [];
const lexRuns: number[] = [];
const cpuRuns: number[] = [];
let outages = 0;
for (let r = 0; r < 3; r++) {
  const a = timeRun(shipped);
  runs.push(a.ms);
  cpuRuns.push(a.cpuMs);
  outages = a.outages;
  lexRuns.push(timeRun(lexiconsOnly).ms);
}
runs.sort((a, b) => a - b);
cpuRuns.sort((a, b) => a - b);
const perCpuSecond = THROUGHPUT_POSTS / (cpuRuns[1]! / 1000);
lexRuns.sort((a, b) => a - b);
const median = runs[1]!;
const perSecond = THROUGHPUT_POSTS / (median / 1000);
const lexPerSecond = THROUGHPUT_POSTS / (lexRuns[1]! / 1000);
emit('classifier_throughput', Math.round(perSecond), 'posts/s', {
  posts: THROUGHPUT_POSTS,
  medianMs: Math.round(median),
  medianCpuMs: Math.round(cpuRuns[1]!),
  postsPerCpuSecond: Math.round(perCpuSecond),
  distinctTexts: corpus.length,
  outages,
});
emit('classifier_throughput_lexicons_only', Math.round(lexPerSecond), 'posts/s', {
  posts: THROUGHPUT_POSTS,
  medianMs: Math.round(lexRuns[1]!),
});

// Memory of the learned model: a second copy decoded from the same file (the JSON module is
// already loaded; its strings are counted separately as the file's size).
const gc = (globalThis as { gc?: () => void }).gc;
const usage = () => {
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const before = usage();
const copy = decodeModel(modelFile as unknown as ModelFile);
const modelBytes = usage() - before;
const info = classifierModel();
emit('classifier_model_memory', modelBytes / 1e6, 'MB', {
  exact: gc !== undefined,
  hashedWeights: copy.size,
  namedWeights: copy.named.size,
  loaded: info.loaded,
  fileBytes: JSON.stringify(modelFile).length,
});

process.stderr.write(
  `${table.join('\n')}\n(holdout* = language tags withheld; detection accuracy ${pct(langRight / detected.length).trim()})\n`,
);
process.stderr.write(
  `throughput: ${Math.round(perSecond).toLocaleString('en')} posts/s on one core (${THROUGHPUT_POSTS.toLocaleString('en')} classifications, median of 3), ${Math.round(perCpuSecond).toLocaleString('en')} per CPU-second; lexicons alone ${Math.round(lexPerSecond).toLocaleString('en')} posts/s in alternating runs\n`,
);
process.stderr.write(
  `model: ${(modelBytes / 1e6).toFixed(1)} MB after decoding${gc ? '' : ' (approximate: run with --expose-gc)'}, ${copy.size.toLocaleString('en')} hashed + ${copy.named.size} named weights, loaded: ${info.loaded}\n`,
);
