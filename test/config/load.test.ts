import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, defaultThresholds, loadConfig, parseConfig } from '../../src/config';

/** The ConfigError's issues as "path: message" lines; fails if nothing was thrown. */
function issuesOf(yaml: string, env: Record<string, string | undefined> = {}): string[] {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  }
  return assert.fail('expected a ConfigError');
}

test('the example config loads with an empty environment', () => {
  const config = loadConfig('config/example.yaml', {});
  assert.deepEqual(config.redis, { url: 'redis://127.0.0.1:6379', prefix: 'chainwatch' });
  assert.deepEqual(config.log, { level: 'info' });
  assert.deepEqual(config.worker, { concurrency: 8 });
  assert.deepEqual(
    config.networks.map((n) => [n.name, n.displayName, n.chainId, n.blockTimeMs]),
    [
      ['ethereum', 'Ethereum', 1, 12000],
      ['base', 'Base', 8453, 2000],
      ['arbitrum', 'Arbitrum One', 42161, 250],
      ['optimism', 'OP Mainnet', 10, 2000],
      ['megaeth', 'MegaETH', 4326, 1000],
    ],
  );
  for (const n of config.networks) {
    const labels = n.endpoints.map((e) => e.label);
    assert.equal(new Set(labels).size, labels.length, `${n.name} labels unique`);
    if (n.name === 'megaeth') assert.equal(n.endpoints.length, 1);
    else assert.ok(n.endpoints.length >= 2, `${n.name} has independent providers`);
  }
  const eth = config.networks[0]!;
  assert.equal(eth.thresholds.reorgMinDepth, 2);
  assert.equal(eth.thresholds.endpointLagBlocks, 3);
  assert.equal(eth.thresholds.stallMs, 60000);
  assert.equal(config.networks[2]!.thresholds.stallMs, 10000);
  assert.ok(config.networks.every((n) => n.thresholds.resolveAfterMs === 300000));
});

test('a custom network without a preset', () => {
  const config = parseConfig(
    `
networks:
  - name: devnet
    chainId: 31337
    blockTime: 2s
    explorerUrl: https://explorer.example
    endpoints:
      - { label: anvil, url: "http://127.0.0.1:8545" }
      - { label: anvil-ws, url: "ws://127.0.0.1:8545" }
`,
    {},
  );
  assert.deepEqual(config.networks, [
    {
      name: 'devnet',
      displayName: 'devnet',
      chainId: 31337,
      blockTimeMs: 2000,
      endpoints: [
        { label: 'anvil', url: 'http://127.0.0.1:8545' },
        { label: 'anvil-ws', url: 'ws://127.0.0.1:8545' },
      ],
      thresholds: defaultThresholds(2000),
      explorerUrl: 'https://explorer.example',
      // No `social:` section: names derive the terms, the evidence model keeps its defaults.
      social: {
        terms: [],
        discordChannels: [],
        windowMs: 600_000,
        minReporters: 3,
        reporterErrorRate: 0.4,
        minConfidence: 0.9,
        baselineFactor: 3,
      },
    },
  ]);
});

test('a preset fills endpoints labelled "default" when none are given, and takes overrides', () => {
  const [n] = parseConfig(
    `
networks:
  - { name: mega, chain: megaeth, displayName: Mega, blockTime: 500ms, chainId: 4326 }
`,
    {},
  ).networks;
  assert.deepEqual(n?.endpoints, [{ label: 'default', url: 'https://mainnet.megaeth.com/rpc' }]);
  assert.equal(n?.displayName, 'Mega');
  assert.equal(n?.blockTimeMs, 500);
  assert.deepEqual(n?.thresholds, defaultThresholds(500));
});

test('precedence: built-in < defaults.thresholds < network thresholds', () => {
  const config = parseConfig(
    `
defaults:
  thresholds: { stall: 2m, confirm: 45s, safeLagBlocks: null }
networks:
  - name: a
    chain: mainnet
    thresholds: { stall: 90s, reorgMinDepth: 2 }
  - name: b
    chain: base
`,
    {},
  );
  const [a, b] = config.networks;
  assert.deepEqual(a?.thresholds, { ...defaultThresholds(12000), stallMs: 90000, confirmMs: 45000, safeLagBlocks: null, reorgMinDepth: 2 });
  assert.deepEqual(b?.thresholds, { ...defaultThresholds(2000), stallMs: 120000, confirmMs: 45000, safeLagBlocks: null });
});

test('durations take numbers (ms) and ms strings; counts take digit strings from the environment', () => {
  const config = parseConfig(
    `
worker: { concurrency: "\${WORKERS}" }
networks:
  - name: a
    chain: base
    thresholds: { stall: 15000, endpointStuck: "\${STUCK:-1m}", slowWindow: 1h, endpointLagBlocks: "\${LAG}" }
`,
    { WORKERS: '16', LAG: '12' },
  );
  assert.equal(config.worker.concurrency, 16);
  const t = config.networks[0]!.thresholds;
  assert.deepEqual([t.stallMs, t.endpointStuckMs, t.slowWindowMs, t.endpointLagBlocks], [15000, 60000, 3600000, 12]);
});

test('${VAR}, ${VAR:-default} and $${ in any string', () => {
  const yaml = `
redis: { url: "\${REDIS_URL:-redis://127.0.0.1:6379}", prefix: "\${PREFIX}" }
log: { level: "\${LEVEL:-info}" }
networks:
  - name: a
    chain: base
    displayName: "Price $\${USD}"
    endpoints:
      - { label: alchemy, url: "https://base-mainnet.g.alchemy.com/v2/\${ALCHEMY_KEY}" }
`;
  const config = parseConfig(yaml, { PREFIX: 'cw-test', ALCHEMY_KEY: 'abc123', LEVEL: '' });
  assert.deepEqual(config.redis, { url: 'redis://127.0.0.1:6379', prefix: 'cw-test' });
  assert.equal(config.log.level, 'info', 'an empty variable takes the default, as in sh');
  assert.equal(config.networks[0]?.displayName, 'Price ${USD}');
  assert.equal(config.networks[0]?.endpoints[0]?.url, 'https://base-mainnet.g.alchemy.com/v2/abc123');
  assert.equal(parseConfig(yaml, { PREFIX: 'x', ALCHEMY_KEY: 'k', REDIS_URL: 'rediss://r:6380' }).redis.url, 'rediss://r:6380');
});

test('VAR_FILE is read (trimmed) when VAR is unset; VAR wins over it', () => {
  const yaml = `
networks:
  - name: a
    chain: base
    endpoints: [{ label: alchemy, url: "https://base-mainnet.g.alchemy.com/v2/\${ALCHEMY_KEY}" }]
`;
  const url = (env: Record<string, string>) => parseConfig(yaml, env).networks[0]?.endpoints[0]?.url;
  assert.equal(url({ ALCHEMY_KEY_FILE: 'test/config/fixtures/alchemy-key.txt' }), 'https://base-mainnet.g.alchemy.com/v2/k3y-from-file');
  assert.equal(
    url({ ALCHEMY_KEY: 'direct', ALCHEMY_KEY_FILE: 'test/config/fixtures/alchemy-key.txt' }),
    'https://base-mainnet.g.alchemy.com/v2/direct',
  );
  const injected = parseConfig(
    yaml,
    { ALCHEMY_KEY_FILE: '/run/secrets/alchemy' },
    {
      readFile: (p) => (p === '/run/secrets/alchemy' ? '  injected\n' : assert.fail(p)),
    },
  );
  assert.equal(injected.networks[0]?.endpoints[0]?.url, 'https://base-mainnet.g.alchemy.com/v2/injected');
  assert.deepEqual(issuesOf(yaml, { ALCHEMY_KEY_FILE: 'test/config/fixtures/missing.txt' }), [
    'networks[0].endpoints[0].url: ALCHEMY_KEY_FILE names "test/config/fixtures/missing.txt", which cannot be read (ENOENT: no such file)',
  ]);
});

test('loadConfig: a missing file is a ConfigError naming the path', () => {
  assert.throws(
    () => loadConfig('config/nope.yaml', {}),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.source, 'config/nope.yaml');
      assert.match(err.message, /cannot read config file "config\/nope\.yaml" \(ENOENT\)/);
      return true;
    },
  );
});

test('quorum: a count of endpoints, no more than are listed', () => {
  const yaml = (q: number) => `
networks:
  - name: devnet
    chainId: 31337
    blockTime: 1s
    quorum: ${q}
    endpoints:
      - { label: a, url: "http://127.0.0.1:8545" }
      - { label: b, url: "http://127.0.0.1:8546" }
      - { label: c, url: "http://127.0.0.1:8547" }
`;
  assert.equal(parseConfig(yaml(3), {}).networks[0]!.quorum, 3);
  assert.equal(parseConfig(yaml(2).replace('    quorum: 2\n', ''), {}).networks[0]!.quorum, undefined, 'absent: the default rule');
  assert.deepEqual(issuesOf(yaml(4)), ['networks[0].quorum: 4 is more than the 3 endpoints listed']);
  assert.equal(issuesOf(yaml(0)).length, 1);
});
