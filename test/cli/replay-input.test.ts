/**
 * `chainwatch replay` input: lines are bounded like `classify`'s (an over-long line is a bad
 * line, skipped without being held in memory) and times are ISO 8601 with a zone only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_LINE_CHARS } from '../../src/cli/classify';
import { runReplay } from '../../src/cli/replay';
import { HeadLine } from '../../src/replay/format';

const BIN = join(import.meta.dirname, '../../bin/chainwatch.mjs');
const dir = mkdtempSync(join(tmpdir(), 'cw-replay-input-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const NETWORK = JSON.stringify({ type: 'network', name: 'n', blockTimeMs: 1000, endpoints: ['a'] });
const head = (t: string, number: number) =>
  JSON.stringify({
    t,
    type: 'head',
    network: 'n',
    endpoint: 'a',
    number,
    hash: `0x${String(number).padStart(64, '0')}`,
    parentHash: `0x${String(number - 1).padStart(64, '0')}`,
    timestamp: 1741348800 + number,
  });

/** A post line whose text is `mb` MiB long, written in pieces (the test itself never holds it). */
function fileWithLongLine(name: string, mb: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, `${NETWORK}\n{"t":"2025-03-07T12:00:00.000Z","type":"post","source":"x","id":"1","author":"a","text":"`);
  const chunk = 'x'.repeat(1 << 20);
  for (let i = 0; i < mb; i++) writeSync(fd, chunk);
  writeSync(fd, `"}\n${head('2025-03-07T12:00:01.000Z', 1)}\n`);
  closeSync(fd);
  return path;
}

test('a 64 MiB line: reported as a bad line and skipped, memory stays flat', async () => {
  const path = fileWithLongLine('long.jsonl', 64);
  const before = process.resourceUsage().maxRSS;
  const code = await runReplay([path]);
  const grewKb = process.resourceUsage().maxRSS - before;
  assert.equal(code, 1, 'a bad line makes the exit code 1');
  // Read whole (readline), the line alone is 64 MiB of UTF-16 twice over; bounded, it is never held.
  assert.ok(grewKb < 32 * 1024, `peak RSS grew by ${Math.round(grewKb / 1024)} MiB`);
});

test('the over-long line is named with its number; the lines after it still replay', () => {
  const path = fileWithLongLine('long-cli.jsonl', 2);
  const r = spawnSync(process.execPath, [BIN, 'replay', path], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`long-cli\\.jsonl: line 2: longer than ${MAX_LINE_CHARS} characters, skipped`));
  assert.match(r.stderr, /replayed 3 lines \(1 samples\)/, 'line 3 (a head) was replayed');
});

test('times: ISO 8601 with a zone only; "June 5", February 30 and a zone-less time are bad lines', () => {
  const ok = (t: string) => HeadLine.safeParse(JSON.parse(head(t, 1))).success;
  assert.equal(ok('2025-03-07T12:00:00.000Z'), true);
  assert.equal(ok('2025-03-07T12:00:00Z'), true);
  assert.equal(ok('2025-03-07T14:00:00+02:00'), true);
  assert.equal(ok('2025-03-07T12:00Z'), true);
  for (const bad of [
    'June 5',
    '2025-03-07',
    '2025-02-30T00:00:00Z',
    '2025-03-07T12:00:00',
    '2025-13-01T00:00:00Z',
    '1741348800000',
    ' 2025-03-07T12:00:00Z',
  ])
    assert.equal(ok(bad), false, bad);

  const path = join(dir, 'times.jsonl');
  writeFileSync(path, `${NETWORK}\n${head('June 5', 1)}\n${head('2025-03-07T12:00:02.000Z', 2)}\n`);
  const r = spawnSync(process.execPath, [BIN, 'replay', path], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /times\.jsonl: line 2: t: not an ISO 8601 time with a zone/);
  assert.match(r.stderr, /replayed 3 lines \(1 samples\)/);
});
