/**
 * The detectors are a functional core (DESIGN.md principle 1): no client, no Redis, no
 * clock. Checked by reading the sources, as STYLE.md §4 suggests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '../../../src/chain/detectors');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

/** Modules a pure detector may import: its siblings and the shared pure types and helpers. */
const ALLOWED_IMPORT = /^(\.\/[\w-]+|\.\.\/types|\.\.\/\.\.\/config\/network|\.\.\/\.\.\/incidents\/types|\.\.\/\.\.\/util\/format)$/;

test('the detector directory is not empty', () => {
  assert.ok(files.includes('index.ts') && files.includes('halt.ts') && files.includes('reorg.ts'), files.join(', '));
});

for (const file of files) {
  test(`${file} does no I/O and reads no clock`, () => {
    const source = readFileSync(join(dir, file), 'utf8');
    assert.doesNotMatch(source, /from\s+['"](viem|ioredis|bullmq|node:|fs|net|http)/);
    assert.doesNotMatch(source, /\bimport\s*\(/, 'no dynamic import');
    assert.doesNotMatch(source, /Date\.now|new Date\(|performance\.now|process\.|Math\.random/);
    for (const [, spec] of source.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
      assert.match(spec!, ALLOWED_IMPORT, `${file} imports ${spec}`);
    }
  });
}
