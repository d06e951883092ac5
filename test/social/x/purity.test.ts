/** The pure parts of the X source (DESIGN.md principle 1): no I/O, no clock, no client. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

for (const file of ['src/social/x/query.ts', 'src/social/x/budget.ts']) {
  test(`${file} does no I/O and reads no clock`, () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', '..', file), 'utf8');
    assert.doesNotMatch(source, /from\s+['"](twitter-api-v2|viem|ioredis|bullmq|pino|node:[a-z_]+|fs|net|http)['"]/);
    assert.doesNotMatch(source, /\bimport\s*\(/, 'no dynamic import');
    assert.doesNotMatch(source, /Date\.now|new Date\(\)|performance\.now|process\.|Math\.random/);
  });
}
