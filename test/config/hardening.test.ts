/**
 * Config inputs that used to hide problems or crash: errors in several sections at once (the
 * `http:` section's used to be read only when every other section was fine), a billion-laughs
 * YAML (exit 1 with a stack; now a config error, exit 2), and `http.adminWrite`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config';
import { writeTempConfig } from '../support/spawn-cli';

const BIN = join(import.meta.dirname, '../../bin/chainwatch.mjs');

function issuesOf(yaml: string, env: Record<string, string | undefined> = {}): string[] {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  }
  return assert.fail('expected a ConfigError');
}

const NETWORK = 'networks:\n  - name: a\n    chain: base\n';

test('problems in several sections are all listed, the http section included', () => {
  const issues = issuesOf(`
redis: { prefx: x }
log: { level: loud }
worker: { concurrency: 0 }
networks:
  - name: A
    chain: base
http: { port: 99999, hots: 0.0.0.0, statusPage: maybe, adminWrite: yes }
`);
  for (const expected of [
    /^redis\.prefx: unknown key/,
    /^log\.level: /,
    /^worker\.concurrency: /,
    /^networks\[0\]\.name: /,
    /^http\.port: /,
    /^http\.hots: unknown key/,
    /^http\.statusPage: must be true or false/,
    /^http\.adminWrite: must be true or false/,
  ])
    assert.ok(
      issues.some((i) => expected.test(i)),
      `${expected} in:\n${issues.join('\n')}`,
    );
});

test('the http section is checked even when only another section is wrong, and its admin credentials too', () => {
  const issues = issuesOf(`${NETWORK}    thresholds: { stall: never }\nhttp: { port: -1 }\n`, { CHAINWATCH_ADMIN_USER: 'ops' });
  assert.ok(
    issues.some((i) => i.startsWith('networks[0].thresholds.stall:')),
    issues.join('\n'),
  );
  assert.ok(
    issues.some((i) => i.startsWith('http.port:')),
    issues.join('\n'),
  );
  assert.ok(
    issues.some((i) => /^http: Bull Board needs both CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD/.test(i)),
    issues.join('\n'),
  );
});

test('adminWrite: absent or false is read-only, true turns the write actions on', () => {
  assert.equal(parseConfig(`${NETWORK}http: { port: 9464 }\n`, {}).http?.adminWrite, undefined);
  assert.equal(parseConfig(`${NETWORK}http: { adminWrite: false }\n`, {}).http?.adminWrite, undefined);
  assert.equal(parseConfig(`${NETWORK}http: { adminWrite: true }\n`, {}).http?.adminWrite, true);
});

/** Nine aliases of nine aliases …: a few hundred bytes that would expand to 9^9 strings. */
const LAUGHS = `${['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n')}\nnetworks: *i\n`;

test('a billion-laughs YAML is a config error naming the reason, not a crash', () => {
  const started = Date.now();
  const issues = issuesOf(LAUGHS);
  assert.ok(Date.now() - started < 2000, 'refused before expanding');
  assert.deepEqual(issues, ['YAML aliases expand too far (more than 100 uses of anchors): write the values out or use fewer aliases']);
  // A few aliases, as people write them, still work.
  const ok = parseConfig(
    `defaults: &d { thresholds: { stall: 1m } }\nnetworks:\n  - name: a\n    chain: base\n    thresholds: { stall: 2m }\n`,
    {},
  );
  assert.equal(ok.networks[0]!.thresholds.stallMs, 120_000);
});

test('chainwatch start with a billion-laughs config: exit 2, the problem on stderr, no stack', () => {
  const path = writeTempConfig(LAUGHS);
  const r = spawnSync(process.execPath, [BIN, 'start', '--config', path], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /invalid config .* \(1 problem\):\nYAML aliases expand too far/);
  assert.doesNotMatch(r.stderr, /\n\s+at |ReferenceError/);
});
