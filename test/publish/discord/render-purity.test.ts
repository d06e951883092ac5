/**
 * The Discord renderers and the slash-command reply renderers are pure (DESIGN.md principle 1):
 * no I/O, no clock, no client. discord.js is imported only for pure helpers (escapeMarkdown,
 * time) and enums; a REST or Client construction would show up here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FILES = [
  'src/publish/discord/limits.ts',
  'src/publish/discord/escape.ts',
  ...readdirSync(join(ROOT, 'src/publish/discord'))
    .filter((f) => /^render.*\.ts$/.test(f))
    .map((f) => `src/publish/discord/${f}`),
  ...readdirSync(join(ROOT, 'src/bot/render')).map((f) => `src/bot/render/${f}`),
];

for (const file of FILES) {
  test(`${file} does no I/O and reads no clock`, () => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    assert.doesNotMatch(source, /from\s+['"](viem|ioredis|bullmq|pino|node:[a-z_]+|fs|net|http|undici)['"]/);
    assert.doesNotMatch(source, /\bimport\s*\(/, 'no dynamic import');
    assert.doesNotMatch(source, /Date\.now|new Date\(\)|performance\.now|process\.|Math\.random/);
    assert.doesNotMatch(source, /new (REST|Client|WebhookClient)\b|\.rest\b|fetch\(/);
  });
}
