import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const BIN = join(import.meta.dirname, '../../bin/chainwatch.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

test('chainwatch replay prints one JSON object per incident in the DESIGN.md shape', () => {
  const r = run('replay', 'examples/rpc-unreachable.jsonl');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 1);
  assert.deepEqual(
    Object.keys(lines[0]).sort(),
    ['id', 'kind', 'network', 'openedAt', 'resolvedAt', 'severity', 'signals', 'status', 'title'].sort(),
  );
  assert.match(r.stderr, /replayed 423 lines/);
});

test('--events adds the timeline', () => {
  const r = run('replay', 'examples/reorg.jsonl', '--events');
  assert.equal(r.status, 0, r.stderr);
  const inc = JSON.parse(r.stdout.trim());
  assert.deepEqual(
    inc.events.map((e: { type: string }) => e.type),
    ['opened', 'recovered', 'resolved'],
  );
});

test('a file with bad lines exits 1 and names them; a missing file is a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-replay-'));
  const file = join(dir, 'bad.jsonl');
  writeFileSync(file, '{"type":"network","name":"n","blockTimeMs":1000,"endpoints":["a"]}\n{oops\n');
  const bad = run('replay', file);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /bad\.jsonl: line 2: /);
  const missing = run('replay', join(dir, 'nope.jsonl'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /ENOENT|no such file/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace for a user error');
});

test('usage errors and a bad config exit 2 with the reason', () => {
  const r = run('replay');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /replay needs a timeline file/);
  const dir = mkdtempSync(join(tmpdir(), 'cw-config-'));
  const cfg = join(dir, 'c.yaml');
  writeFileSync(cfg, 'networks:\n  - name: a\n    chainId: 1\n    blockTime: 1s\n    endpoints: [{ label: x, url: "nope" }]\n');
  const s = run('start', '--config', cfg);
  assert.equal(s.status, 2);
  assert.match(s.stderr, /networks\[0\]\.endpoints\[0\]\.url: not a URL/);
});
