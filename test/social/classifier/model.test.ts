/**
 * The learned classifier: its model file, its corpus, and floors on what it scores on data it
 * was never trained or tuned on (the corpus's test split and the hand-written check set).
 * The floors sit a little below what scripts/classifier/train.ts measured (data/classifier/
 * report.json), so a regression of a few posts fails here. Retraining that moves the figures
 * should move these floors only with a reason.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { classifierModel, classifyPost, defaultNetworkTerms } from '../../../src/social/classify';
import { FEATURE_VERSION } from '../../../src/social/classifier/features';
import { decodeModel, type ModelFile } from '../../../src/social/classifier/model';
import { buildCorpus } from '../../../scripts/classifier/make-corpus';
import { figures, HARD_NEGATIVE, isKeywordless, LANGS, readJsonl, splitOf, type CorpusLine } from '../../../scripts/classifier/lib';
import { EXAMPLE_NETWORKS } from '../examples/dataset';

const DATA = join(import.meta.dirname, '../../../data/classifier');
const corpus = readJsonl<CorpusLine>(join(DATA, 'corpus.jsonl'));
const check = readJsonl<CorpusLine>(join(DATA, 'check.jsonl'));
const testSplit = corpus.filter((l) => splitOf(l) === 'test');

function run(lines: readonly CorpusLine[], withLang = true) {
  return lines.map((line) => ({
    line,
    result: classifyPost({ text: line.text, lang: withLang ? line.lang : undefined }, EXAMPLE_NETWORKS),
  }));
}
type Run = ReturnType<typeof run>;
const fig = (r: Run) => figures(r.map(({ line, result }) => ({ truth: line.outage, predicted: result.outage })));
const attribution = (r: Run) => {
  const pos = r.filter(({ line }) => line.outage);
  return pos.filter(({ line, result }) => result.network === line.network).length / pos.length;
};
const show = (f: ReturnType<typeof fig>) =>
  `P ${f.precision.toFixed(3)} R ${f.recall.toFixed(3)} F1 ${f.f1.toFixed(3)} (tp ${f.tp} fp ${f.fp} fn ${f.fn})`;

describe('classifier model: the file', () => {
  test('model.json loads, fits this code, and is bounded', () => {
    const info = classifierModel();
    assert.equal(info.error, null);
    assert.equal(info.loaded, true);
    assert.ok(info.hashedWeights > 10_000 && info.hashedWeights <= 150_000, `${info.hashedWeights} hashed weights`);
    assert.ok(info.namedWeights > 50 && info.namedWeights <= 5_000, `${info.namedWeights} named weights`);
    const path = join(DATA, 'model.json');
    assert.ok(statSync(path).size <= 2_000_000, `model.json is ${statSync(path).size} bytes`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as ModelFile;
    assert.equal(file.featureVersion, FEATURE_VERSION);
  });

  test('decoding the model costs well under 15 MB of memory', () => {
    const file = JSON.parse(readFileSync(join(DATA, 'model.json'), 'utf8')) as ModelFile;
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    const model = decodeModel(file);
    const cost = used() - before;
    assert.ok(model.weights.byteLength <= 4 * 1024 * 1024);
    assert.ok(cost < 15 * 1024 * 1024, `${(cost / 1e6).toFixed(1)} MB`);
  });

  test('a damaged or stale model file is refused, not half-used', () => {
    const file = JSON.parse(readFileSync(join(DATA, 'model.json'), 'utf8')) as ModelFile;
    assert.throws(() => decodeModel({ ...file, featureVersion: file.featureVersion + 1 }));
    assert.throws(() => decodeModel({ ...file, hashed: { ...file.hashed, w: file.hashed.w.slice(0, 8) } }));
    assert.throws(() => decodeModel({ ...file, format: 2 as 1 }));
  });
});

describe('classifier model: corpus and check set', () => {
  test('the corpus is what make-corpus.ts builds (seeded, byte for byte)', () => {
    const { lines } = buildCorpus();
    assert.equal(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, readFileSync(join(DATA, 'corpus.jsonl'), 'utf8'));
  });

  test('at least 3,000 posts, every language at least 150, a third or more tricky', () => {
    assert.ok(corpus.length >= 3000, `${corpus.length}`);
    for (const lang of LANGS) {
      const n = corpus.filter((l) => l.lang === lang).length;
      assert.ok(n >= 150, `${lang}: ${n}`);
    }
    const tricky = corpus.filter((l) => HARD_NEGATIVE.has(l.category) || isKeywordless(l.category)).length;
    assert.ok(tricky / corpus.length >= 1 / 3, `${tricky}/${corpus.length}`);
    for (const l of corpus) {
      assert.equal(typeof l.text, 'string');
      assert.ok(l.network === null || ['ethereum', 'base', 'arbitrum', 'optimism', 'megaeth'].includes(l.network), l.text);
      assert.ok(l.source === 'written' || /^template:[a-z]{2}-[a-z-]+\.\d+$/.test(l.source), l.source);
      assert.equal(l.outage, !l.category.startsWith('neg-'), l.text);
    }
  });

  test('the check set: 150–250 posts, all languages, none of them in the corpus', () => {
    assert.ok(check.length >= 150 && check.length <= 250, `${check.length}`);
    assert.equal(new Set(check.map((c) => c.lang)).size, 11);
    const texts = new Set(corpus.map((l) => l.text.toLowerCase()));
    for (const c of check) assert.ok(!texts.has(c.text.toLowerCase()), c.text);
  });
});

// Measured by train.ts (report.json): test P 0.935 R 0.974 F1 0.954; check P 0.981 R 0.981
// F1 0.981; attribution test 1.000, check 0.962.
describe('classifier model: floors on unseen posts', () => {
  const testRun = run(testSplit);
  const checkRun = run(check);

  test('test split (never trained or tuned on): P >= 0.90, R >= 0.93, F1 >= 0.92', () => {
    const f = fig(testRun);
    assert.ok(f.precision >= 0.9 && f.recall >= 0.93 && f.f1 >= 0.92, show(f));
  });

  test('check set (written before training, never tuned on): P >= 0.95, R >= 0.95, F1 >= 0.95', () => {
    const f = fig(checkRun);
    assert.ok(f.precision >= 0.95 && f.recall >= 0.95 && f.f1 >= 0.95, show(f));
  });

  test('every language: F1 >= 0.85 on the test split and >= 0.88 on the check set', () => {
    for (const lang of LANGS) {
      const t = fig(testRun.filter((r) => r.line.lang === lang));
      const c = fig(checkRun.filter((r) => r.line.lang === lang));
      assert.ok(t.f1 >= 0.85, `test ${lang}: ${show(t)}`);
      assert.ok(c.f1 >= 0.88, `check ${lang}: ${show(c)}`);
    }
  });

  test('tricky posts (hard negatives, keyword-less reports): accuracy >= 0.90 (test), >= 0.93 (check)', () => {
    const tricky = (r: Run) => r.filter(({ line }) => HARD_NEGATIVE.has(line.category) || isKeywordless(line.category));
    const t = fig(tricky(testRun));
    const c = fig(tricky(checkRun));
    assert.ok(t.accuracy >= 0.9, `test: ${t.accuracy.toFixed(3)} of ${t.n}`);
    assert.ok(c.accuracy >= 0.93, `check: ${c.accuracy.toFixed(3)} of ${c.n}`);
  });

  test('without language tags (as Discord delivers posts) the figures hold', () => {
    const t = fig(run(testSplit, false));
    const c = fig(run(check, false));
    assert.ok(t.f1 >= 0.92, `test ${show(t)}`);
    assert.ok(c.f1 >= 0.95, `check ${show(c)}`);
  });

  test('attribution of reports: >= 0.97 on the test split, >= 0.92 on the check set', () => {
    assert.ok(attribution(testRun) >= 0.97, `test ${attribution(testRun).toFixed(3)}`);
    assert.ok(attribution(checkRun) >= 0.92, `check ${attribution(checkRun).toFixed(3)}`);
  });
});

describe('classifier: attribution by explorer, hostname and chain id', () => {
  const net = (text: string, networks = EXAMPLE_NETWORKS) => classifyPost({ text }, networks).network;

  test('explorers name their chain, per-chain etherscan subdomains included', () => {
    assert.equal(net('basescan stuck'), 'base');
    assert.equal(net('arbiscan not updating'), 'arbitrum');
    assert.equal(net('optimistic.etherscan.io shows no new blocks'), 'optimism');
    assert.equal(net('mega.etherscan.io frozen'), 'megaeth');
    assert.equal(net('megaeth.blockscout.com is lagging'), 'megaeth');
    assert.equal(net('etherscan latest block 9 min ago'), 'ethereum');
  });

  test('links count by their hostname', () => {
    assert.equal(net('look https://arbiscan.io/block/301114552 nothing since'), 'arbitrum');
    assert.equal(net('status: https://status.base.org/incidents/xyz'), 'base');
  });

  test('RPC hostnames and chain ids', () => {
    assert.equal(net('mainnet.base.org timing out'), 'base');
    assert.equal(net('arb1.arbitrum.io/rpc 504'), 'arbitrum');
    assert.equal(net('rpc for chainId 10 failing'), 'optimism');
    assert.equal(net('chain id 4326 not producing blocks'), 'megaeth');
    assert.equal(net('eip155:8453 rpc errors'), 'base');
  });

  test('explorers and chains nobody watches give null, not a look-alike', () => {
    assert.equal(net('sepolia.etherscan.io is stuck'), null);
    assert.equal(net('sepolia.basescan.org down'), null);
    assert.equal(net('nova.arbiscan.io not loading'), null);
    assert.equal(net('polygonscan stuck at the same block'), null);
    assert.equal(net('my ETH is stuck on Solana'), null);
    assert.equal(net('chain id 137 rpc down'), null);
  });

  test('a name outranks an explorer, an explorer a ticker, a ticker a bare "mainnet"', () => {
    assert.equal(net('bridging from base, etherscan shows the L1 tx fine'), 'base');
    assert.equal(net('my ETH stuck, arbiscan shows nothing'), 'arbitrum');
    assert.equal(net('megaeth mainnet halted'), 'megaeth');
    assert.equal(net('mainnet finality stalled'), 'ethereum');
    assert.equal(net('monad mainnet is down'), null);
  });

  test('a configured network gets its explorers through its name or display name', () => {
    const networks = defaultNetworkTerms([
      { name: 'base-mainnet', displayName: 'Base' },
      { name: 'arb1', displayName: 'Arbitrum One' },
    ]);
    assert.equal(net('basescan frozen', networks), 'base-mainnet');
    assert.equal(net('arbiscan frozen', networks), 'arb1');
    assert.equal(net('etherscan frozen', networks), null, 'Ethereum is not configured here');
  });
});
