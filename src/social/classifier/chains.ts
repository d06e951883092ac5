/**
 * What people write when they mean a chain without naming it: its block explorers, its
 * public RPC hostnames and its chain id. Keyed by the same normalized keys as the built-in
 * network aliases (terms.ts), so a configured network called "base" or "Base Mainnet" gets
 * Base's explorers. Chains nobody configured still match — as "another chain" — so that
 * "sepolia.etherscan.io" or "polygonscan" is not read as Ethereum ("etherscan") or nothing:
 * an unknown network (null) beats a wrong one.
 *
 * Chain ids are from viem's chain definitions (src/config/presets.ts reads the same); MegaETH
 * mainnet is 4326, its public testnets 6342 (old) and 6343 — posts about "megaeth" rarely say
 * which, so the testnets count as MegaETH here, while Ethereum's testnets (Sepolia, Holesky,
 * Hoodi) and the L2s' Sepolia deployments are other chains.
 */

export interface KnownChain {
  /** Normalized keys (lowercase letters and digits only) of the configured network this chain is. */
  keys: readonly string[];
  chainIds: readonly number[];
  /** Explorer names and hostnames, RPC hostnames: matched as whole words, lowercased. */
  hints: readonly string[];
  /**
   * Words that mean this chain only when no other chain is named: a bare "mainnet" is
   * Ethereum's, "MegaETH mainnet" is MegaETH's, "Monad mainnet" is nobody's here.
   */
  generic?: readonly string[];
}

/** The chains chainwatch has presets for and that posts refer to by explorer or hostname. */
export const KNOWN_CHAINS: readonly KnownChain[] = [
  {
    keys: ['ethereum', 'mainnet', 'eth', 'ethereummainnet', 'homestead'],
    chainIds: [1],
    hints: [
      'etherscan',
      'etherscan.io',
      'eth.blockscout.com',
      'beaconcha.in',
      'beaconscan',
      'ethplorer',
      'ethereum.reth.rs',
      'eth.llamarpc.com',
      'eth-mainnet.g.alchemy.com',
      'mainnet.infura.io',
      'cloudflare-eth.com',
      'ethereum-rpc.publicnode.com',
      'ethereum.publicnode.com',
      'eth.drpc.org',
      'rpc.flashbots.net',
      'rpc.ankr.com/eth',
      'eth.merkle.io',
    ],
    generic: ['mainnet', 'l1 mainnet', 'メインネット', '主网', '主網', '메인넷', 'мейннет', 'мейннета', 'мейннете', 'мейнет'],
  },
  {
    keys: ['base', 'basemainnet'],
    chainIds: [8453],
    hints: [
      'basescan',
      'basescan.org',
      'base.blockscout.com',
      'mainnet.base.org',
      'mainnet-sequencer.base.org',
      'base-mainnet.g.alchemy.com',
      'base.llamarpc.com',
      'base-rpc.publicnode.com',
      'base.drpc.org',
      'base-mainnet.public.blastapi.io',
      'status.base.org',
    ],
  },
  {
    keys: ['arbitrum', 'arbitrumone', 'arb', 'arbitrummainnet'],
    chainIds: [42161],
    hints: [
      'arbiscan',
      'arbiscan.io',
      'arbitrum.blockscout.com',
      'arb1',
      'arb1.arbitrum.io',
      'arb1-sequencer.arbitrum.io',
      'arb-mainnet.g.alchemy.com',
      'arbitrum-mainnet.infura.io',
      'arbitrum.llamarpc.com',
      'arbitrum-one.publicnode.com',
      'arbitrum-one-rpc.publicnode.com',
      'arbitrum.drpc.org',
      'status.arbitrum.io',
    ],
  },
  {
    keys: ['optimism', 'op', 'opmainnet', 'optimismmainnet'],
    chainIds: [10],
    hints: [
      'optimistic.etherscan.io',
      'optimistic.etherscan',
      'optimism.blockscout.com',
      'explorer.optimism.io',
      'mainnet.optimism.io',
      'mainnet-sequencer.optimism.io',
      'opt-mainnet.g.alchemy.com',
      'optimism-mainnet.infura.io',
      'optimism.llamarpc.com',
      'optimism-rpc.publicnode.com',
      'optimism.drpc.org',
      'status.optimism.io',
    ],
  },
  {
    keys: ['megaeth', 'megaethmainnet', 'mega'],
    chainIds: [4326, 6342, 6343],
    hints: [
      'mega.etherscan.io',
      'mega.etherscan',
      'megaeth.blockscout.com',
      'megaeth-testnet.blockscout.com',
      'megaeth-testnet-v2.blockscout.com',
      'megaexplorer.xyz',
      'megaexplorer',
      'testnet-mega.etherscan.io',
      'mainnet.megaeth.com',
      'carrot.megaeth.com',
      'uptime.megaeth.com',
      'rpc.megaeth.com',
      'miniblocks.io',
    ],
  },
  // Chains that are not (usually) watched. Listed so that their explorers and names are
  // "another chain", not a watched one; a deployment that configures one of them gets it.
  {
    keys: ['sepolia', 'ethereumsepolia'],
    chainIds: [11155111],
    hints: ['sepolia', 'sepolia.etherscan.io', 'sepolia.etherscan', 'eth-sepolia.blockscout.com', 'rpc.sepolia.org', 'sepolia.infura.io'],
  },
  { keys: ['holesky'], chainIds: [17000], hints: ['holesky', 'holesky.etherscan.io', 'holesky.etherscan'] },
  { keys: ['hoodi'], chainIds: [560048], hints: ['hoodi', 'hoodi.etherscan.io', 'hoodi.etherscan'] },
  { keys: ['goerli'], chainIds: [5], hints: ['goerli', 'goerli.etherscan.io', 'goerli.etherscan'] },
  {
    keys: ['basesepolia'],
    chainIds: [84532],
    hints: ['base sepolia', 'sepolia.basescan.org', 'sepolia.basescan', 'sepolia.base.org', 'base-sepolia.blockscout.com'],
  },
  { keys: ['arbitrumnova', 'nova'], chainIds: [42170], hints: ['arbitrum nova', 'nova.arbiscan.io', 'nova.arbiscan', 'nova.arbitrum.io'] },
  {
    keys: ['arbitrumsepolia'],
    chainIds: [421614],
    hints: ['arbitrum sepolia', 'sepolia.arbiscan.io', 'sepolia.arbiscan', 'sepolia-rollup.arbitrum.io'],
  },
  {
    keys: ['opsepolia', 'optimismsepolia'],
    chainIds: [11155420],
    hints: [
      'op sepolia',
      'optimism sepolia',
      'sepolia-optimism.etherscan.io',
      'sepolia-optimism.etherscan',
      'optimism-sepolia.blockscout.com',
      'sepolia.optimism.io',
    ],
  },
  {
    keys: ['polygon', 'polygonpos', 'matic'],
    chainIds: [137],
    hints: ['polygon', 'polygon pos', 'polygonscan', 'polygonscan.com', 'polygon-rpc.com', 'matic', 'ポリゴン', '폴리곤', 'полигон'],
  },
  { keys: ['polygonzkevm'], chainIds: [1101], hints: ['polygon zkevm', 'zkevm.polygonscan.com'] },
  {
    keys: ['bsc', 'bnb', 'bnbchain', 'bnbsmartchain'],
    chainIds: [56],
    hints: ['bsc', 'bnb chain', 'bnb smart chain', 'binance smart chain', 'bscscan', 'bscscan.com'],
  },
  { keys: ['avalanche', 'avax'], chainIds: [43114], hints: ['avalanche', 'avax', 'snowtrace', 'snowtrace.io', 'snowscan', 'アバランチ'] },
  { keys: ['fantom', 'sonic'], chainIds: [250, 146], hints: ['fantom', 'ftmscan', 'sonicscan'] },
  { keys: ['gnosis', 'xdai'], chainIds: [100], hints: ['gnosis chain', 'gnosisscan', 'xdai'] },
  { keys: ['celo'], chainIds: [42220], hints: ['celo', 'celoscan'] },
  { keys: ['linea'], chainIds: [59144], hints: ['linea mainnet', 'lineascan', 'lineascan.build', 'linea network'] },
  { keys: ['scroll'], chainIds: [534352], hints: ['scrollscan', 'scroll mainnet', 'scroll zkevm'] },
  {
    keys: ['zksync', 'zksyncera'],
    chainIds: [324],
    hints: ['zksync', 'zksync era', 'era.zksync.network', 'explorer.zksync.io', 'mainnet.era.zksync.io'],
  },
  { keys: ['blast'], chainIds: [81457], hints: ['blastscan', 'blast l2', 'blast mainnet'] },
  { keys: ['mantle'], chainIds: [5000], hints: ['mantlescan', 'mantle network'] },
  { keys: ['zora'], chainIds: [7777777], hints: ['zora network', 'explorer.zora.energy', 'rpc.zora.energy'] },
  { keys: ['unichain'], chainIds: [130], hints: ['unichain', 'uniscan'] },
  { keys: ['ink'], chainIds: [57073], hints: ['ink chain', 'explorer.inkonchain.com'] },
  { keys: ['starknet'], chainIds: [], hints: ['starknet', 'starkscan', 'voyager.online'] },
  { keys: ['monad'], chainIds: [143], hints: ['monad', 'monadscan', 'monadexplorer'] },
  { keys: ['hyperliquid', 'hyperevm'], chainIds: [999], hints: ['hyperliquid', 'hyperevm', 'hyperevmscan'] },
  { keys: ['berachain'], chainIds: [80094], hints: ['berachain', 'berascan'] },
  {
    keys: ['solana'],
    chainIds: [],
    hints: ['solana', 'solscan', 'solana.fm', 'explorer.solana.com', 'ソラナ', '솔라나', '索拉纳', 'солана'],
  },
  {
    keys: ['bitcoin', 'btc'],
    chainIds: [],
    hints: ['bitcoin', 'mempool.space', 'blockstream.info', 'ビットコイン', '비트코인', '比特币', 'биткоин', 'биткойн'],
  },
  { keys: ['tron'], chainIds: [], hints: ['tron', 'tronscan', '波场'] },
  { keys: ['cardano'], chainIds: [], hints: ['cardano', 'cardanoscan'] },
  { keys: ['aptos'], chainIds: [], hints: ['aptos', 'aptoscan'] },
  { keys: ['cosmos', 'cosmoshub'], chainIds: [], hints: ['cosmos hub', 'mintscan'] },
  { keys: ['polkadot'], chainIds: [], hints: ['polkadot', 'subscan'] },
  { keys: ['dogecoin'], chainIds: [], hints: ['dogecoin'] },
  { keys: ['xrpl', 'ripple'], chainIds: [], hints: ['xrpl', 'xrp ledger'] },
];

/** Lowercase letters and digits only: "OP Mainnet" → "opmainnet", "op-mainnet" → "opmainnet". */
export function chainKey(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The known chain a configured network is, by its name, or by one of its terms read as a key. */
export function knownChainOf(name: string, terms: readonly string[]): KnownChain | undefined {
  const byName = chainKey(name);
  const exact = KNOWN_CHAINS.find((c) => c.keys.includes(byName));
  if (exact) return exact;
  // A config key such as "eth-mainnet" or "arb1": try the display name and longer terms too.
  for (const t of terms) {
    if (typeof t !== 'string' || t.length < 4 || t.startsWith('$') || t.startsWith('@')) continue;
    const k = chainKey(t);
    const c = KNOWN_CHAINS.find((x) => x.keys.includes(k));
    if (c) return c;
  }
  return undefined;
}
