/**
 * The two scans shaped for speed (src/social/classifier/compile.ts `alternation`, networks.ts
 * `mentionScan`) find exactly what the plain alternations they replaced find: every lexicon
 * rule hit and every network mention, on the corpus, the check set and hand-picked edge cases.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  compileLexicon,
  expandBoundaries,
  hasTopLevelAlternation,
  scanLexicon,
  type CompiledLexicon,
} from '../../../src/social/classifier/compile';
import { common, LEXICONS } from '../../../src/social/classifier/lexicon';
import { compileNetworks, findMentions, MENTION_GUARD_CLASS } from '../../../src/social/classifier/networks';
import { textForms } from '../../../src/social/classifier/normalize';
import { readJsonl, type CorpusLine } from '../../../scripts/classifier/lib';
import { EXAMPLE_NETWORKS, loadExamples } from '../examples/dataset';

const DATA = join(import.meta.dirname, '../../../data/classifier');
const EDGES = [
  'xbase链 down',
  'base链挂了',
  'rpc挂了 megaeth的区块',
  '@megaeth is down',
  'megaethereum is fine',
  '베이스가 멈췄어요',
  '데이터베이스 down',
  'мегаэфира не работает',
  'ÿbase down',
  '_base down',
  '9base down',
  '\u0485base down',
  '𝐛base down',
  'arbitrum novax halted',
  'basescan.org says latest block 14 min ago',
  'down 30% down by 5 percent — down bad',
  '-5% down, x-5% down',
  '',
];
const texts = [
  ...[...loadExamples('holdout'), ...loadExamples('train')].map((e) => e.text),
  ...readJsonl<CorpusLine>(join(DATA, 'corpus.jsonl')).map((l) => l.text),
  ...readJsonl<CorpusLine>(join(DATA, 'check.jsonl')).map((l) => l.text),
  ...EDGES,
];

test('the shared guard before Latin and Cyrillic terms only rules out characters that the boundary check rules out too', () => {
  const boundary = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Nd}_]/u;
  let inGuard = 0;
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c);
    if (!MENTION_GUARD_CLASS.test(ch)) continue;
    inGuard++;
    assert.ok(boundary.test(ch), `U+${c.toString(16)} is in the guard but not a word character to boundaryEnd`);
  }
  assert.ok(inGuard > 600, `${inGuard} characters in the guard`);
});

test('network mentions behind the shared guard are the mentions of one plain longest-first alternation', () => {
  const c = compileNetworks(EXAMPLE_NETWORKS);
  const plain = { ...c, re: new RegExp(c.bodies.join('|'), 'gu'), sticky: [] };
  let mentions = 0;
  for (const text of texts) {
    const lower = textForms(text).lower;
    const got = findMentions(c, lower);
    mentions += got.length;
    assert.deepEqual(got, findMentions(plain, lower), text);
  }
  assert.ok(mentions > 2000, `${mentions} mentions compared`);
});

test('a lexicon with its word boundaries written once per run of rules hits the same rules as one group per rule', () => {
  let hits = 0;
  let factored = 0;
  for (const lexicon of [common, ...Object.values(LEXICONS)]) {
    const c = compileLexicon(lexicon);
    const sources = lexicon.rules.map((r) => `(${lexicon.unicodeWords ? expandBoundaries(r.pattern) : r.pattern})`);
    const plain: CompiledLexicon = { ...c, scan: new RegExp(sources.join('|'), 'gu') };
    // CJK and Korean rules open with no word boundary: only the others are rewritten.
    if (lexicon.rules.some((r) => r.pattern.startsWith(String.raw`\b`))) {
      factored++;
      assert.notEqual(c.scan.source, plain.scan.source, `${lexicon.lang}: nothing was factored`);
    }
    for (const text of texts) {
      const forms = textForms(text);
      const form = lexicon.form === 'folded' ? forms.folded : lexicon.form === 'hans' ? forms.hans : forms.lower;
      const a: string[] = [];
      const b: string[] = [];
      scanLexicon(c, form, (r) => a.push(r.label));
      scanLexicon(plain, form, (r) => b.push(r.label));
      assert.deepEqual(a, b, `${lexicon.lang}: ${text}`);
      hits += a.length;
    }
  }
  assert.ok(hits > 3000, `${hits} rule hits compared`);
  assert.ok(factored >= 8, `${factored} lexicons factored`);
});

test('hasTopLevelAlternation sees a | outside groups and classes only', () => {
  assert.equal(hasTopLevelAlternation(String.raw`\bfoo|bar`), true);
  assert.equal(hasTopLevelAlternation(String.raw`\b(?:foo|bar)\b`), false);
  assert.equal(hasTopLevelAlternation(String.raw`\bfoo[|]bar`), false);
  assert.equal(hasTopLevelAlternation(String.raw`\bfoo\|bar`), false);
  assert.equal(hasTopLevelAlternation(String.raw`\b[\]|]x`), false);
  assert.equal(hasTopLevelAlternation(String.raw`\b(a)(b)|c`), true);
});
