/**
 * foldDiacritics folds code point by code point where that gives what NFD over the whole text
 * gives (src/social/classifier/normalize.ts). Here the whole-text definition is written out
 * again and compared on every code point of the first three planes, alone and next to letters
 * and marks, and on random mixed strings, so a wrong shortcut cannot hide.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldDiacritics } from '../../../src/social/classifier/normalize';

const EXTRA: Record<string, string> = { ß: 'ss', ı: 'i', ø: 'o', æ: 'ae', œ: 'oe', đ: 'd', ł: 'l' };
const byDefinition = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßıøæœđł]/g, (c) => EXTRA[c]!);

test('folding agrees with NFD over the whole text on every code point of the first three planes', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (let cp = 0; cp < 0x30000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    // Alone, after a letter, before one and two marks (reordered by NFD), between folded letters.
    for (const s of [c, `a${c}`, `${c}\u0301`, `${c}\u0323\u0301`, `é${c}ü`]) {
      checked++;
      if (foldDiacritics(s) !== byDefinition(s) && wrong.length < 5) wrong.push(`U+${cp.toString(16)} in ${JSON.stringify(s)}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 900_000, `only ${checked} strings checked`);
});

test('folding agrees with NFD over the whole text on random strings of Latin, marks, kana, Hangul and emoji', () => {
  const pool: number[] = [];
  const add = (from: number, to: number) => {
    for (let cp = from; cp < to; cp++) pool.push(cp);
  };
  add(0x20, 0x2500);
  add(0x1e00, 0x1f00);
  add(0x3040, 0x3100);
  add(0xac00, 0xac80);
  add(0x1f300, 0x1f700);
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  let changed = 0;
  for (let k = 0; k < 100_000; k++) {
    let s = '';
    const length = 1 + Math.floor(random() * 8);
    for (let j = 0; j < length; j++) s += String.fromCodePoint(pool[Math.floor(random() * pool.length)]!);
    const want = byDefinition(s);
    assert.equal(foldDiacritics(s), want, JSON.stringify(s));
    if (want !== s) changed++;
  }
  assert.ok(changed > 10_000, `only ${changed} strings had anything to fold`);
});

test('folding keeps lone surrogates and folds the letters around them', () => {
  assert.equal(foldDiacritics('é\ud800ß'), byDefinition('é\ud800ß'));
  assert.equal(foldDiacritics('caído ÇA'.toLowerCase()), 'caido ca');
});
