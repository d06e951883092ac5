/** buildSearchQuery: network terms AND outage words, -is:retweet, within X's 512 characters. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_QUERY_LENGTH,
  OUTAGE_WORDS,
  SUPPORTED_LANGS,
  SearchQueryTooLongError,
  buildSearchQuery,
  formatTerm,
  queryLength,
} from '../../src/x/query';
import { parseQuery } from '../support/fake-x';

test('shape: (terms) (outage words) -is:retweet; multi-word terms quoted; cashtags and handles as they are', () => {
  const q = buildSearchQuery(['megaeth', 'MegaETH', '$MEGA', '@megaeth', 'mega eth', '#MegaETH']);
  assert.ok(q.startsWith('(megaeth OR $MEGA OR @megaeth OR "mega eth" OR #MegaETH) (down OR outage OR '), q);
  assert.ok(q.endsWith(' -is:retweet'));
  assert.ok(queryLength(q) <= MAX_QUERY_LENGTH);
  for (const w of [
    'ダウン',
    '停止',
    '宕机',
    '먹통',
    'caído',
    '"fora do ar"',
    '"не работает"',
    'çöktü',
    'sập',
    '"en panne"',
    'ausgefallen',
  ]) {
    assert.ok(q.includes(w), `${w} in ${q}`);
  }
  assert.doesNotThrow(() => parseQuery(q), 'the fake (X subset) parses it');
});

test('every supported language has outage words; one term gives the full list under 512', () => {
  for (const lang of SUPPORTED_LANGS)
    assert.ok(
      OUTAGE_WORDS.some((w) => w.langs.includes(lang) && w.tier === 1),
      lang,
    );
  const q = buildSearchQuery(['base']);
  assert.ok(queryLength(q) <= 512, String(queryLength(q)));
  const words = new Set(OUTAGE_WORDS.map((w) => formatTerm(w.text)!));
  for (const w of words) assert.ok(q.includes(w), `${w} kept when there is room`);
});

test('long term lists: lower tiers dropped first, tier 1 of every language kept, always ≤ 512', () => {
  const terms = [
    'arbitrum',
    'Arbitrum One',
    '$ARB',
    '@arbitrum',
    '@OffchainLabs',
    'arb1',
    '"arbitrum nova"',
    'arbiscan',
    'Arbitrum Sepolia',
  ];
  const q = buildSearchQuery(terms, { excludeFrom: ['@chainwatch_bot'] });
  assert.ok(queryLength(q) <= 512, `${queryLength(q)}: ${q}`);
  assert.ok(q.endsWith('-is:retweet -from:chainwatch_bot'));
  for (const w of OUTAGE_WORDS.filter((w) => w.tier === 1)) assert.ok(q.includes(formatTerm(w.text)!), `tier 1 ${w.text} kept`);
  assert.ok(!q.includes('лежит'), 'the last tier-3 word goes first');
  // Growing term lists shrink the outage list monotonically and never exceed the limit.
  let prevWords = Infinity;
  for (let n = 1; n <= 20; n++) {
    const list = Array.from({ length: n }, (_, i) => `network${i}`);
    const qq = buildSearchQuery(list);
    assert.ok(queryLength(qq) <= 512, `${n} terms: ${queryLength(qq)}`);
    const outage = qq.slice(qq.indexOf(') (') + 3, qq.lastIndexOf(')')).split(' OR ').length;
    assert.ok(outage <= prevWords);
    prevWords = outage;
  }
});

test('languages option restricts the outage words', () => {
  const q = buildSearchQuery(['megaeth'], { langs: ['ja', 'ko'] });
  assert.equal(q, 'megaeth (ダウン OR 停止 OR 먹통 OR 障害 OR 중단 OR 落ちてる OR 繋がらない OR 故障 OR 장애 OR 다운) -is:retweet');
});

test('terms that would be syntax are quoted; empty and duplicate terms dropped', () => {
  assert.equal(formatTerm('-megaeth'), '"megaeth"');
  assert.equal(formatTerm('OR'), '"OR"');
  assert.equal(formatTerm('mega(eth)'), '"mega(eth)"');
  assert.equal(formatTerm('lang:ja'), '"lang:ja"');
  assert.equal(formatTerm(' "quoted" '), 'quoted');
  assert.equal(formatTerm('   '), null);
  const q = buildSearchQuery(['Base', 'base', 'BASE', '']);
  assert.ok(q.startsWith('Base ('));
  assert.throws(() => buildSearchQuery([]), /no network terms/);
  assert.throws(() => buildSearchQuery(['x'], { excludeFrom: ['not a handle'] }), /not an X handle/);
});

test('network terms alone too long: SearchQueryTooLongError with a useful message', () => {
  const terms = Array.from({ length: 60 }, (_, i) => `averyveryverylongnetworkname${i}`);
  assert.throws(
    () => buildSearchQuery(terms),
    (e: unknown) => e instanceof SearchQueryTooLongError && /limit is 512/.test(e.message),
  );
});
