/** The status page's renderers are pure (DESIGN.md principle 1): no I/O, no clock. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const PURE = ['model.ts', 'chart.ts', 'intervals.ts', 'html.ts', 'parts.ts', 'pages.ts', 'feeds.ts'];

for (const file of PURE) {
  test(`src/http/status/${file} does no I/O and reads no clock`, () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', '..', 'src', 'http', 'status', file), 'utf8');
    assert.doesNotMatch(source, /from\s+['"](viem|ioredis|bullmq|pino|express|node:[a-z_]+|fs|net|http)['"]/);
    assert.doesNotMatch(source, /\bimport\s*\(/, 'no dynamic import');
    assert.doesNotMatch(source, /Date\.now|new Date\(\)|performance\.now|process\.|Math\.random/);
  });
}
