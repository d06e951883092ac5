import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../../src/config';

function errorOf(yaml: string, env: Record<string, string | undefined> = {}): ConfigError {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  return assert.fail('expected a ConfigError');
}
const issuesOf = (yaml: string, env: Record<string, string | undefined> = {}) =>
  errorOf(yaml, env).issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));

/** One network on base with `extra` YAML lines (indented 4) appended. */
const base = (extra: string) => `networks:\n  - name: a\n    chain: base\n${extra}`;

test('unknown keys are named, with the nearest known key, in file order', () => {
  assert.deepEqual(
    issuesOf(`
redis: { prefx: x }
networks:
  - name: a
    chain: base
    endpoint: []
    thresholds: { stal: 1m, wat: 1 }
colour: blue
`),
    [
      'redis.prefx: unknown key (did you mean "prefix"?)',
      'networks[0].endpoint: unknown key (did you mean "endpoints"?)',
      'networks[0].thresholds.stal: unknown key (did you mean "stall"?)',
      'networks[0].thresholds.wat: unknown key',
      'colour: unknown key',
    ],
  );
});

test('durations: not a duration, ranges, and the bare-number trap', () => {
  assert.deepEqual(
    issuesOf(base(`    thresholds: { stall: 5 parsecs, pollInterval: 5 years, requestTimeout: 1m, endpointStuck: 60, confirm: -1s }\n`)),
    [
      'networks[0].thresholds.stall: not a duration ("5 parsecs")',
      'networks[0].thresholds.pollInterval: must be at most 10m',
      'networks[0].thresholds.requestTimeout: must be less than 1m',
      'networks[0].thresholds.endpointStuck: must be at least 1s (a bare number is milliseconds)',
      'networks[0].thresholds.confirm: not a duration ("-1s")',
    ],
  );
  assert.deepEqual(issuesOf(base(`    blockTime: soon\n`)), ['networks[0].blockTime: not a duration ("soon")']);
});

test('counts: whole, positive, in range', () => {
  assert.deepEqual(
    issuesOf(
      base(
        `    thresholds: { endpointDownFailures: 0, endpointLagBlocks: 2.5, slowFactor: 1, safeLagBlocks: many, reorgMinDepth: true }\n`,
      ),
    ),
    [
      'networks[0].thresholds.endpointDownFailures: must be at least 1',
      'networks[0].thresholds.endpointLagBlocks: must be a whole number',
      'networks[0].thresholds.slowFactor: must be greater than 1',
      'networks[0].thresholds.safeLagBlocks: must be a whole number',
      'networks[0].thresholds.reorgMinDepth: must be a whole number',
    ],
  );
});

test('rules between thresholds blame the layer that set the value', () => {
  assert.deepEqual(
    issuesOf(`
defaults:
  thresholds: { stall: 3s }
networks:
  - name: a
    chain: mainnet
  - name: b
    chain: base
    thresholds: { reorgMinDepth: 5, reorgMajorDepth: 4, slowWindow: 5s, pollInterval: 20s }
`),
    [
      'defaults.thresholds.stall: must be longer than pollInterval (4s) for networks[0]',
      'defaults.thresholds.stall: must be longer than pollInterval (20s) for networks[1]',
      'networks[1].thresholds.reorgMajorDepth: must be at least reorgMinDepth (5)',
      'networks[1].thresholds.slowWindow: must cover at least 3 blocks (6s)',
      'networks[1].thresholds.pollInterval: must be shorter than endpointStuck (10s)',
    ],
  );
});

test('endpoints: URL, protocol, label, duplicates, at least one', () => {
  assert.deepEqual(
    issuesOf(`
networks:
  - name: a
    chain: base
    endpoints:
      - { label: one, url: "not a url" }
      - { label: two, url: "ftp://files.example/x" }
      - { label: one, url: "https://x.example" }
      - { label: "-bad", url: "https://y.example" }
      - { url: "https://z.example" }
  - name: b
    chain: base
    endpoints: []
  - name: c
    chainId: 5
    blockTime: 1s
`),
    [
      'networks[0].endpoints[0].url: not a URL',
      'networks[0].endpoints[1].url: protocol must be http(s) or ws(s)',
      'networks[0].endpoints[3].label: must be 1-40 letters, digits, ".", "_" or "-", starting with a letter or digit',
      'networks[0].endpoints[4].label: required',
      'networks[1].endpoints: must list at least one endpoint',
      'networks[2].endpoints: required when no `chain` is given',
    ],
  );
  assert.deepEqual(issuesOf(base(`    endpoints: [{ label: x, url: "https://a.example" }, { label: x, url: "https://b.example" }]\n`)), [
    'networks[0].endpoints[1].label: duplicate label "x" (also endpoints[0])',
  ]);
});

test('chain, chainId and blockTime', () => {
  assert.deepEqual(
    issuesOf(`
networks:
  - { name: a, chain: mainet }
  - { name: b, chain: base, chainId: 1 }
  - { name: c, endpoints: [{ label: x, url: "https://x.example" }] }
  - { name: d, chain: base, chainId: 0 }
`),
    [
      'networks[0].chain: unknown viem chain "mainet" (did you mean "mainnet"?)',
      'networks[1].chainId: 1 does not match chain "base" (chain id 8453)',
      'networks[2].chainId: required when no `chain` is given',
      'networks[2].blockTime: required when no `chain` is given',
      'networks[3].chainId: must be at least 1',
    ],
  );
});

test('network names: pattern and uniqueness', () => {
  assert.deepEqual(
    issuesOf(`
networks:
  - { name: Ethereum, chain: mainnet }
  - { name: base, chain: base }
  - { name: base, chain: optimism }
  - { chain: arbitrum }
`),
    [
      'networks[0].name: must be 1-40 lowercase letters, digits or "-", starting with a letter or digit',
      'networks[2].name: duplicate network name "base" (also networks[1])',
      'networks[3].name: required',
    ],
  );
});

test('networks: required, a list, not empty; each entry a mapping', () => {
  assert.deepEqual(issuesOf('log: { level: info }\n'), ['networks: required: list at least one network']);
  assert.deepEqual(issuesOf('networks: []\n'), ['networks: must list at least one network']);
  assert.deepEqual(issuesOf('networks: { a: 1 }\n'), ['networks: expected a list, got a mapping']);
  assert.deepEqual(issuesOf('networks: [5]\n'), ['networks[0]: expected a mapping, got a number']);
  assert.deepEqual(issuesOf(''), ['the file is empty: expected a mapping with a `networks` list']);
  assert.deepEqual(issuesOf('- a\n'), ['expected a mapping, got a list']);
});

test('redis, log and worker sections', () => {
  assert.deepEqual(
    issuesOf(
      base('') +
        `
redis: { url: "http://localhost:6379", prefix: "{cw}" }
log: { level: loud }
worker: { concurrency: 0 }
`,
    ),
    [
      'redis.url: protocol must be redis or rediss',
      'redis.prefix: must be 1-64 letters, digits, ":", "_" or "-" (no braces: the hash tag is added for you)',
      'log.level: must be one of trace, debug, info, warn, error, fatal',
      'worker.concurrency: must be at least 1',
    ],
  );
});

test('YAML syntax errors give line and column', () => {
  assert.deepEqual(issuesOf('networks:\n  - name: a\n    chain: [base\n'), [
    'YAML syntax error at line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
  const [dup] = issuesOf('networks: []\nnetworks: []\n');
  assert.match(dup!, /^YAML syntax error at line 2, column 1: Map keys must be unique/);
});

test('environment references: unset, malformed', () => {
  assert.deepEqual(
    issuesOf(`
networks:
  - name: ethereum
    chain: mainnet
    endpoints:
      - { label: publicnode, url: https://ethereum-rpc.publicnode.com }
      - { label: alchemy, url: "https://eth-mainnet.g.alchemy.com/v2/\${ALCHEMY_KEY}" }
      - { label: bad, url: "https://x.example/\${lower case}" }
`),
    [
      'networks[0].endpoints[1].url: environment variable ALCHEMY_KEY is not set',
      'networks[0].endpoints[2].url: malformed reference: write ${NAME} or ${NAME:-default}',
    ],
  );
});

test('all problems at once, and the message lists them one per line', () => {
  const err = errorOf(`
log: { level: loud }
networks:
  - { name: a, chain: mainet }
  - { name: b, chain: base, thresholds: { stall: 5 parsecs } }
`);
  assert.equal(
    err.message,
    [
      'invalid config (3 problems):',
      'log.level: must be one of trace, debug, info, warn, error, fatal',
      'networks[0].chain: unknown viem chain "mainet" (did you mean "mainnet"?)',
      'networks[1].thresholds.stall: not a duration ("5 parsecs")',
    ].join('\n'),
  );
});

test('no value from the environment, and no URL path or query, reaches a message', () => {
  const SECRET = 'sk_live_9f8e7d6c5b4a';
  const FILE_KEY = 'alchemy-key-in-the-file-0123';
  const env = {
    KEY: SECRET,
    STALL: SECRET,
    CHAIN: `${SECRET}x`,
    NAME: 'dup',
    LABEL: `-${SECRET}`,
    WORKERS: SECRET,
    REDIS: `redis://:${SECRET}@`,
  };
  const err = errorOf(
    `
redis: { url: "\${REDIS}:bad:port", prefix: "\${KEY}{" }
worker: { concurrency: "\${WORKERS}" }
networks:
  - name: "\${NAME}"
    chain: "\${CHAIN}"
  - name: "\${NAME}"
    chain: base
    chainId: 2
    endpoints:
      - { label: "\${LABEL}", url: "https://eth.example/v2/\${KEY}?k=\${KEY}" }
      - { label: literal, url: "gopher://eth.example/v2/${FILE_KEY}" }
      - { label: literal, url: "https://eth.example/v2/${FILE_KEY}" }
    thresholds: { stall: "\${STALL}" }
`,
    env,
  );
  const lines = err.message.split('\n');
  assert.ok(lines.length >= 9, err.message);
  assert.ok(lines.includes('networks[0].chain: unknown viem chain'), err.message);
  assert.ok(lines.includes('networks[1].thresholds.stall: not a duration'), err.message);
  assert.ok(lines.includes('networks[1].name: duplicate network name (also networks[0])'), err.message);
  for (const text of [err.message, JSON.stringify(err.issues)]) {
    assert.ok(!text.includes(SECRET), text);
    assert.ok(!text.includes(FILE_KEY), text);
    assert.ok(!text.includes('/v2/'), text);
  }
  const syntax = errorOf(`networks:\n  - { name: a, url: "https://eth.example/v2/${FILE_KEY}" }}\n`);
  assert.ok(!syntax.message.includes(FILE_KEY), syntax.message);
});
