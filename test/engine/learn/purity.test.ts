/**
 * src/engine/learn/ is pure: it reads no clock, draws no random numbers, does no I/O and
 * imports nothing but its own siblings; its states are plain JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', '..', '..', 'src', 'engine', 'learn');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

test('the learn/ folder has its modules', () => {
  for (const f of ['interval-sketch.ts', 'thresholds.ts', 'throughput.ts', 'rhythm.ts', 'stats.ts']) assert.ok(files.includes(f), f);
});

for (const file of files) {
  test(`src/engine/learn/${file} is pure`, () => {
    const source = readFileSync(join(DIR, file), 'utf8');
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const m of code.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) {
      assert.match(m[1]!, /^\.\/[a-z-]+$/, `${file} imports ${m[1]}: only siblings`);
    }
    assert.doesNotMatch(code, /\bimport\s*\(/, 'no dynamic import');
    assert.doesNotMatch(code, /\brequire\s*\(/);
    assert.doesNotMatch(code, /Date\.now|new Date\b|Date\(|performance\.|process\.|Math\.random|setTimeout|setInterval|globalThis/);
    assert.doesNotMatch(code, /\bnew (Map|Set|WeakMap)\b|\bBigInt\b|\d+n\b/, 'states stay plain JSON');
  });
}
