import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePreset } from '../../src/config';

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
