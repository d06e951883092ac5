/**
 * The functional core (DESIGN.md principle 1) outside the detectors, which have their own
 * check: the correlator, event texts, renderers, replay and formatting import no client and
 * read no clock. `new Date(ms)` formats a given time and is allowed; `new Date()` reads the clock.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const PURE = [
  'src/incidents/correlator.ts',
  'src/incidents/conditions.ts',
  'src/incidents/event-text.ts',
  'src/incidents/titles.ts',
  'src/incidents/evaluate-chain.ts',
  'src/publish/console/render.ts',
  'src/replay/replayer.ts',
  'src/replay/format.ts',
  'src/replay/network.ts',
  'src/util/format.ts',
  'src/incidents/actions.ts',
  'src/incidents/evaluate-social.ts',
  'src/incidents/evaluate-tick.ts',
  'src/social/evidence.ts',
  'src/social/attribute.ts',
  'src/social/classify.ts',
  'src/publish/delivery.ts',
];

for (const file of PURE) {
  test(`${file} does no I/O and reads no clock`, () => {
    const source = readFileSync(join(import.meta.dirname, '..', file), 'utf8');
    assert.doesNotMatch(source, /from\s+['"](viem|ioredis|bullmq|pino|node:[a-z_]+|fs|net|http)['"]/);
    assert.doesNotMatch(source, /\bimport\s*\(/, 'no dynamic import');
    assert.doesNotMatch(source, /Date\.now|new Date\(\)|performance\.now|process\.|Math\.random/);
  });
}
