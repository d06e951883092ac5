/** escapeQuoted / escapeInline / plainText: untrusted text made inert and cut to size. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeInline, escapeQuoted, plainText } from '../../src/discord/escape';
import { ALL_HOSTILE, assertInert, HOSTILE } from './hostile';

const ZWSP = '\u200b';

test('snapshot: mentions get a zero-width space after @ or <', () => {
  assert.equal(
    escapeQuoted('@everyone @here <@123> <@!4> <@&5> <#6> </cmd:7>'),
    `@${ZWSP}everyone @${ZWSP}here <${ZWSP}@123> <${ZWSP}@!4> <${ZWSP}@&5> <${ZWSP}#6> <${ZWSP}/cmd:7>`,
  );
});

test('snapshot: a masked link shows its real URL instead of a label', () => {
  assert.equal(escapeQuoted('[innocent](https://phish.example)'), '\\[innocent\\](https://phish.example)');
});

test('snapshot: markdown is escaped, bare URLs are left clickable', () => {
  assert.equal(
    escapeQuoted('**bold** _it_ ~~s~~ ||spoiler|| `code`'),
    '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\`code\\`',
  );
  assert.equal(escapeQuoted('see https://status.example/a_b_c'), 'see https://status.example/a_b_c');
  assert.equal(escapeQuoted('> quote\n# heading\n-# small\n- item\n1. one'), '\\> quote\n\\# heading\n\\-# small\n\\- item\n1\\. one');
  assert.equal(escapeQuoted('a\\*b'), 'a\\\\\\*b', 'an escape in the input cannot un-escape ours');
});

test('a run of stars comes out fully escaped (escapeMarkdown alone leaves some)', () => {
  assert.equal(escapeQuoted('*'.repeat(10)), '\\*'.repeat(10));
});

test('invisible, bidi and control characters are stripped; hidden mentions are caught', () => {
  assert.equal(escapeQuoted(HOSTILE.invisible), 'megaeth down\\[31m');
  assert.equal(escapeQuoted(HOSTILE.rtl), 'visit moc.elgoog for refunds');
  assert.equal(escapeQuoted(HOSTILE.hiddenEveryone), `@${ZWSP}everyone and <${ZWSP}@&1>`);
});

test('runs of blank lines collapse to one; CRLF becomes LF', () => {
  assert.equal(escapeQuoted('a\r\n\r\n\r\n\r\nb\n \n\t\n\nc\rd'), 'a\n\nb\n\nc\nd');
});

test('escapeInline puts everything on one line', () => {
  assert.equal(escapeInline('alice\n\n@everyone\tops'), `alice @${ZWSP}everyone ops`);
});

test('plainText strips without escaping (thread names, labels)', () => {
  assert.equal(plainText('rpc_a *down*\n\u202eok', 100), 'rpc_a *down* ok');
  assert.equal(plainText('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
});

test('every hostile input is inert and within the limit asked for', () => {
  for (const [name, text] of Object.entries({ ...HOSTILE, all: ALL_HOSTILE })) {
    for (const max of [80, 256, 1024, 2000, 4096]) {
      const q = escapeQuoted(text, max);
      assert.ok(q.length <= max, `${name} @${max}: ${q.length}`);
      assertInert(q, `${name} quoted @${max}`);
      const i = escapeInline(text, max);
      assert.ok(i.length <= max && !i.includes('\n'), `${name} inline @${max}`);
      assertInert(i, `${name} inline @${max}`);
    }
  }
});

test('cut text ends with …, even when the input was bounded before escaping', () => {
  assert.ok(escapeQuoted(HOSTILE.huge, 2000).endsWith('…'));
  assert.ok(escapeQuoted('\u200b'.repeat(100_000) + 'tail', 100).endsWith('…'));
  assert.equal(escapeQuoted('short', 2000), 'short');
});
