import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { resolvePreset } from '../../src/config';
import { presetNames } from '../../src/config/presets';
import { CHAIN_ROWS } from '../../src/config/chains';
import { viemChainFacts } from '../../scripts/generate-chains';

test('MegaETH preset comes from viem/chains', () => {
  assert.deepEqual(resolvePreset('megaeth'), {
    chainId: 4326,
    displayName: 'MegaETH',
    blockTimeMs: 1000,
    rpcUrls: ['https://mainnet.megaeth.com/rpc'],
    explorerUrl: 'https://mega.etherscan.io',
  });
});

test('the four other example chains have ids and block times', () => {
  const got = ['mainnet', 'base', 'arbitrum', 'optimism'].map((n) => {
    const p = resolvePreset(n);
    return [n, p?.chainId, p?.blockTimeMs, p?.displayName];
  });
  assert.deepEqual(got, [
    ['mainnet', 1, 12000, 'Ethereum'],
    ['base', 8453, 2000, 'Base'],
    ['arbitrum', 42161, 250, 'Arbitrum One'],
    ['optimism', 10, 2000, 'OP Mainnet'],
  ]);
});

test('names that are not chains give undefined', () => {
  for (const name of ['mainet', 'toString', '__proto__', 'defineChain', '']) {
    assert.equal(resolvePreset(name), undefined, name);
  }
});

// A viem upgrade that changes one of these chains (an id, a name, a block time, the default RPC
// or explorer) fails here until `npm run generate:chains` rewrites src/config/chains.ts.
test('the generated table matches viem/chains for every chain of the example config', () => {
  const example = parse(readFileSync(new URL('../../config/example.yaml', import.meta.url), 'utf8')) as { networks: { chain?: string }[] };
  const names = example.networks.map((n) => n.chain).filter((c): c is string => typeof c === 'string');
  assert.ok(names.length >= 5, `example chains: ${names.join(', ')}`);
  const viem = new Map(viemChainFacts());
  for (const name of names) {
    const facts = viem.get(name);
    assert.ok(facts, `${name} is a viem chain`);
    const { explorerUrl, blockTimeMs, ...rest } = facts;
    assert.deepEqual(
      resolvePreset(name),
      { ...rest, blockTimeMs: blockTimeMs ?? undefined, ...(explorerUrl ? { explorerUrl } : {}) },
      `${name}: regenerate src/config/chains.ts (npm run generate:chains)`,
    );
  }
});

test('the table has one row per name, each usable as a preset', () => {
  const names = CHAIN_ROWS.map((r) => r[0]);
  assert.ok(names.length > 700, `${names.length} chains`);
  assert.equal(new Set(names).size, names.length, 'no name twice');
  assert.deepEqual(presetNames(), names);
  for (const [name, id, display, blockTime, urls] of CHAIN_ROWS) {
    assert.ok(Number.isSafeInteger(id) && id > 0, `${name}: chain id ${id}`);
    assert.ok(display.length > 0, `${name}: display name`);
    assert.ok(blockTime === null || blockTime > 0, `${name}: block time ${blockTime}`);
    for (const u of urls) assert.ok(URL.canParse(u), `${name}: RPC URL ${u}`);
  }
});
