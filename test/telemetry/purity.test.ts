/** The telemetry core is pure like the detectors: no client, no clock (DESIGN.md principle 1). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const PURE = [
  'src/telemetry/memory-trend.ts',
  'src/telemetry/observe.ts',
  'src/telemetry/memory-metrics.ts',
  'src/telemetry/client-version.ts',
  'src/telemetry/bytes.ts',
  'src/incidents/evaluate-node.ts',
];

for (const file of PURE) {
  test(`${file} does no I/O and reads no clock`, () => {
    const source = readFileSync(join(import.meta.dirname, '..', '..', file), 'utf8');
    assert.doesNotMatch(source, /from\s+['"](viem|ioredis|bullmq|pino|node:[a-z_]+|fs|net|http)['"]/);
    assert.doesNotMatch(source, /\bimport\s*\(/, 'no dynamic import');
    assert.doesNotMatch(source, /Date\.now|new Date\(\)|performance\.now|process\.|Math\.random|fetch\(/);
  });
}
