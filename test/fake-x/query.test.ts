/** The fake's query matcher (the documented subset of X's search operators). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuerySyntaxError, containsToken, matchQuery, parseQuery } from '../support/fake-x';
import type { MatchTarget } from '../support/fake-x/query';

const post = (text: string, over: Partial<MatchTarget> = {}): MatchTarget => ({
  text,
  lang: 'en',
  username: 'alice',
  retweet: false,
  ...over,
});
const m = (q: string, p: MatchTarget) => matchQuery(parseQuery(q), p);

test('keywords: whole tokens in spaced scripts, substrings in CJK and Hangul, case-insensitive', () => {
  assert.ok(containsToken('MegaETH RPC is DOWN!', 'down'));
  assert.ok(!containsToken('countdown to launch', 'down'));
  assert.ok(!containsToken('breakdown of fees', 'down'));
  assert.ok(!containsToken('down8 percent', 'down'));
  assert.ok(containsToken('メガETHがダウンしてる', 'ダウン'));
  assert.ok(containsToken('megaethがダウンしてる', 'megaeth'), 'a change of script ends a token');
  assert.ok(containsToken('链宕机了', '宕机'));
  assert.ok(containsToken('지금 먹통이네요', '먹통'));
  assert.ok(containsToken('sistem çöktü mü?', 'çöktü'));
  assert.ok(containsToken('$MEGA dumping', '$mega'));
  assert.ok(!containsToken('$MEGA dumping', 'mega'), 'a cashtag is its own token');
  assert.ok(containsToken('base fora do ar agora', 'fora do ar'));
});

test('AND binds tighter than OR; groups; negation; quoted phrases', () => {
  assert.ok(m('megaeth down OR base halted', post('base halted')));
  assert.ok(!m('megaeth down OR base halted', post('megaeth halted')));
  assert.ok(m('(megaeth OR base) (down OR halted)', post('megaeth halted')));
  assert.ok(!m('megaeth -price down', post('megaeth price down')));
  assert.ok(m('"is down" megaeth', post('megaeth is down')));
  assert.ok(!m('"is down" megaeth', post('megaeth down is')));
  assert.ok(m('megaeth -(price OR pump)', post('megaeth stuck')));
  assert.ok(!m('megaeth -(price OR pump)', post('megaeth pump')));
});

test('operators: is:retweet, lang:, from:, to:, has:links, url:', () => {
  assert.ok(!m('megaeth -is:retweet', post('RT @x: megaeth', { retweet: true })));
  assert.ok(m('megaeth is:retweet', post('RT @x: megaeth', { retweet: true })));
  assert.ok(m('megaeth lang:ja', post('megaeth', { lang: 'ja' })));
  assert.ok(!m('megaeth lang:ja', post('megaeth')));
  assert.ok(m('from:alice', post('anything')));
  assert.ok(!m('megaeth -from:alice', post('megaeth')));
  assert.ok(m('megaeth to:bob', post('megaeth', { replyToUsername: 'bob' })));
  assert.ok(m('megaeth has:links', post('megaeth https://status.example.com')));
  assert.ok(m('url:status.example', post('see https://status.example.com/x')));
});

test('invalid queries throw QuerySyntaxError', () => {
  for (const q of [
    '',
    '(megaeth',
    'megaeth)',
    '"megaeth',
    'megaeth OR',
    'foo:bar megaeth',
    'is:nonsense megaeth',
    '-is:retweet',
    'lang:en -megaeth',
  ]) {
    assert.throws(() => parseQuery(q), QuerySyntaxError, q);
  }
  assert.doesNotThrow(() => parseQuery('megaeth https://x.com 12:03'));
});
