/** The `probe:` section: the key from the environment only, never shown; clear errors naming the key path. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config';
import { parseNativeAmount } from '../../src/config/probe';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const yaml = (probe: string, url = 'http://127.0.0.1:8545') =>
  `networks:\n  - { name: local, chainId: 31337, blockTime: 2s, endpoints: [{ label: a, url: "${url}" }], probe: ${probe} }\n`;

function issuesOf(text: string, env: Record<string, string | undefined>, readFile?: (p: string) => string): string[] {
  try {
    parseConfig(text, env, readFile ? { readFile } : {});
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return assert.fail('expected a ConfigError');
}

test('defaults: every 5 min, deadline 10 blocks (at least 30 s); the amount in wei; the key read from the variable', () => {
  const probe = parseConfig(yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH" }'), { PROBE_KEY: KEY }).networks[0]!.probe!;
  assert.deepEqual(
    [probe.keyEnv, probe.everyMs, probe.deadlineMs, probe.maxDailyGasWei],
    ['PROBE_KEY', 300_000, 30_000, '2000000000000000'],
  );
  assert.equal(probe.key.reveal(), KEY);
  const slow = parseConfig(yaml('{ keyEnv: PROBE_KEY, every: 1m, deadline: 45s, maxDailyGas: "50000 gwei" }'), { PROBE_KEY: KEY.slice(2) });
  assert.deepEqual([slow.networks[0]!.probe!.everyMs, slow.networks[0]!.probe!.deadlineMs], [60_000, 45_000]);
  assert.equal(slow.networks[0]!.probe!.maxDailyGasWei, '50000000000000');
  assert.equal(slow.networks[0]!.probe!.key.reveal(), KEY, 'without 0x, as some tools print it');
});

test('the key never prints: JSON of the whole config, string conversion and util.inspect', () => {
  const config = parseConfig(yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH" }'), { PROBE_KEY: KEY });
  const bare = KEY.slice(2);
  for (const text of [JSON.stringify(config), String(config.networks[0]!.probe!.key), inspect(config, { depth: 10 })]) {
    assert.ok(!text.includes(bare), 'the key is in the output');
    assert.match(text, /\[redacted\]/);
  }
});

test('from <keyEnv>_FILE (Docker and Kubernetes secrets)', () => {
  const config = parseConfig(
    yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH" }'),
    { PROBE_KEY_FILE: '/run/secrets/probe' },
    { readFile: () => `${KEY}\n` },
  );
  assert.equal(config.networks[0]!.probe!.key.reveal(), KEY);
});

test('a missing or malformed key is named by its variable, and its value is never quoted', () => {
  assert.deepEqual(issuesOf(yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH" }'), {}), [
    "networks[0].probe.keyEnv: environment variable PROBE_KEY is not set (nor PROBE_KEY_FILE): the probe's private key is read from the environment only",
  ]);
  const wrong = `${KEY.slice(0, 60)}zz`;
  const issues = issuesOf(yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH" }'), { PROBE_KEY: wrong });
  assert.deepEqual(issues, [
    'networks[0].probe.keyEnv: PROBE_KEY is not a private key (expected 32 bytes as 64 hex digits, optionally 0x-prefixed)',
  ]);
  assert.ok(!issues.join('').includes(wrong.slice(2, 40)));
  const zero = issuesOf(yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH" }'), { PROBE_KEY: `0x${'0'.repeat(64)}` });
  assert.match(zero[0]!, /is not a private key/);
  assert.deepEqual(issuesOf(yaml(`{ keyEnv: PROBE_KEY, key: "${KEY}", maxDailyGas: "0.002 ETH" }`), { PROBE_KEY: KEY }), [
    'networks[0].probe.key: the probe key is read from the environment (the variable keyEnv names), never from the file',
  ]);
});

test('every, deadline and maxDailyGas: bounds and units, each named by its path', () => {
  const env = { PROBE_KEY: KEY };
  assert.deepEqual(issuesOf(yaml('{ keyEnv: probe_key, maxDailyGas: "0.002 ETH" }'), env), [
    'networks[0].probe.keyEnv: must be an environment variable name (capitals, digits, "_")',
  ]);
  assert.deepEqual(issuesOf(yaml('{ keyEnv: PROBE_KEY, every: 5s, deadline: 4s, maxDailyGas: 0.002 }'), env), [
    'networks[0].probe.every: not a duration from 10s to 24h (e.g. "5m")',
    'networks[0].probe.deadline: not a duration from 6s (3 block times, at least 5s) to 1h',
    'networks[0].probe.maxDailyGas: not an amount of the native currency with its unit, above 0: e.g. "0.002 ETH", "50000 gwei"',
  ]);
  assert.deepEqual(issuesOf(yaml('{ keyEnv: PROBE_KEY }'), env), ['networks[0].probe.maxDailyGas: required']);
  assert.deepEqual(issuesOf(yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH", evry: 1m }'), env), [
    'networks[0].probe.evry: unknown key (did you mean "every"?)',
  ]);
  assert.deepEqual(issuesOf(yaml('{ keyEnv: PROBE_KEY, maxDailyGas: "0.002 ETH" }', 'ws://127.0.0.1:8545'), env), [
    'networks[0].probe: needs at least one http(s) endpoint to send the probe through',
  ]);
});

test('amounts of the native currency', () => {
  assert.equal(parseNativeAmount('1 ETH'), 10n ** 18n);
  assert.equal(parseNativeAmount('0.5 ether'), 5n * 10n ** 17n);
  assert.equal(parseNativeAmount('1.5 gwei'), 1_500_000_000n);
  assert.equal(parseNativeAmount('21000 wei'), 21_000n);
  for (const bad of ['1', '1.5 wei', 'ETH', '-1 ETH', '1e3 gwei', '0.1234567890123456789 ETH', 5])
    assert.equal(parseNativeAmount(bad), undefined, String(bad));
});
