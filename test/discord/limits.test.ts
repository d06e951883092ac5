/** Discord's limits as named constants, code-point-safe truncation and line packing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EMBED_DESCRIPTION_MAX,
  EMBEDS_TOTAL_MAX,
  embedLength,
  embedsWithinLimits,
  MESSAGE_CONTENT_MAX,
  packLines,
  truncate,
} from '../../src/discord/limits';

test('the constants are the documented limits', () => {
  assert.equal(MESSAGE_CONTENT_MAX, 2000);
  assert.equal(EMBED_DESCRIPTION_MAX, 4096);
  assert.equal(EMBEDS_TOTAL_MAX, 6000);
});

test('truncate leaves short text alone and ends cut text with …, within max', () => {
  assert.equal(truncate('abc', 3), 'abc');
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abc   def', 7), 'abc…', 'no trailing space before the ellipsis');
  assert.equal(truncate('abc', 0), '');
  for (let max = 1; max < 30; max++) assert.ok(truncate('x'.repeat(100), max).length <= max);
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

test('truncate never splits a surrogate pair', () => {
  const emoji = '🚨'.repeat(10); // 20 UTF-16 units
  for (let max = 1; max <= 20; max++) {
    const cut = truncate(emoji, max);
    assert.ok(cut.length <= max, `max ${max}`);
    assert.doesNotMatch(cut, LONE_SURROGATE, `max ${max}`);
  }
});

test('embedLength counts title, description, fields, footer and author', () => {
  const embed = { title: 'ab', description: 'cde', fields: [{ name: 'f', value: 'gh' }], footer: { text: 'ij' }, author: { name: 'k' } };
  assert.equal(embedLength(embed), 11);
  assert.ok(embedsWithinLimits([embed]));
  assert.ok(!embedsWithinLimits([{ description: 'x'.repeat(4097) }]));
  assert.ok(!embedsWithinLimits([{ description: 'x'.repeat(4000) }, { description: 'x'.repeat(2001) }]));
  assert.ok(!embedsWithinLimits(Array.from({ length: 11 }, () => ({ title: 't' }))));
});

test('packLines fills chunks in order and says how many lines did not fit', () => {
  const lines = Array.from({ length: 10 }, (_, i) => `line ${i}`);
  assert.deepEqual(packLines(lines, { chunkMax: 20, maxChunks: 2, totalMax: 100, more: (n) => `+${n}` }), [
    'line 0\nline 1',
    'line 2\nline 3\n+6',
  ]);
  assert.deepEqual(packLines(lines.slice(0, 3), { chunkMax: 100, maxChunks: 1, totalMax: 100, more: (n) => `+${n}` }), [
    'line 0\nline 1\nline 2',
  ]);
});

test('packLines holds every bound for many long lines', () => {
  const lines = Array.from({ length: 500 }, (_, i) => `${i} ${'x'.repeat(i % 700)}`);
  const opts = { chunkMax: 4096, maxChunks: 10, totalMax: 5900, lineMax: 300, more: (n: number) => `… and ${n} more` };
  const chunks = packLines(lines, opts);
  assert.ok(chunks.length <= 10);
  assert.ok(chunks.every((c) => c.length <= 4096));
  assert.ok(chunks.reduce((s, c) => s + c.length, 0) <= 5900);
  const shown = chunks
    .join('\n')
    .split('\n')
    .filter((l) => !l.startsWith('…')).length;
  assert.match(chunks.at(-1)!, new RegExp(`… and ${500 - shown} more$`));
});
