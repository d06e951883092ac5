/**
 * Network terms from the config: the network's key and display name, plus, for networks
 * everyone writes about in many languages, the tickers, handles and transliterations people
 * actually use. A config can always give its own terms instead.
 */
import type { NetworkTerms } from '../types';

interface Aliases {
  /** Normalized keys (lowercase, no spaces or punctuation) that identify the network by name or display name. */
  keys: readonly string[];
  terms: readonly string[];
}

const BUILT_IN: readonly Aliases[] = [
  {
    keys: ['ethereum', 'mainnet', 'eth', 'ethereummainnet', 'homestead'],
    terms: [
      'Ethereum',
      'ETH',
      '$ETH',
      '@ethereum',
      'Ethereum mainnet',
      '以太坊',
      'イーサリアム',
      '이더리움',
      'Эфириум',
      'эфир',
      'эфира',
      'эфиру',
      'эфиром',
      'Эфириума',
      '이더',
      // Japanese shorten it to イーサ ("イーサの送金"); イーサネット (Ethernet) is ruled out in networks.ts.
      'イーサ',
    ],
  },
  {
    keys: ['base', 'basemainnet'],
    terms: ['Base', '@base', 'Base chain', 'Base mainnet', '@buildonbase', 'ベースチェーン', '베이스 체인', '베이스'],
  },
  {
    keys: ['arbitrum', 'arbitrumone', 'arb', 'arbitrummainnet'],
    terms: ['Arbitrum', 'Arbitrum One', 'Arb', 'ARB', '$ARB', '@arbitrum', '阿比特龙', 'アービトラム', 'アビトラ', '아비트럼', 'Арбитрум'],
  },
  {
    keys: ['optimism', 'op', 'opmainnet', 'optimismmainnet'],
    terms: ['Optimism', 'OP Mainnet', 'OP', '$OP', '@optimism', 'OP主网', 'オプティミズム', '옵티미즘', 'Оптимизм'],
  },
  {
    keys: ['megaeth', 'megaethmainnet', 'mega'],
    terms: ['MegaETH', 'Mega ETH', '@megaeth', '@megaeth_labs', '$MEGA', 'メガイーサ', '메가이더', 'МегаЭфир'],
  },
];

const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** "Arbitrum One" → also "Arbitrum"; "OP Mainnet" stays, "MegaETH Mainnet" → also "MegaETH". */
function withoutSuffix(displayName: string): string | undefined {
  const m = /^(.{3,}?)\s+(?:mainnet|one|network|chain)$/i.exec(displayName.trim());
  return m?.[1];
}

export function defaultNetworkTerms(networks: readonly { name: string; displayName: string }[]): NetworkTerms[] {
  return networks.map(({ name, displayName }) => {
    const terms: string[] = [];
    const add = (t: string | undefined) => {
      const v = t?.trim();
      if (v && !terms.includes(v)) terms.push(v);
    };
    add(displayName);
    add(withoutSuffix(displayName ?? ''));
    // A key such as "op-mainnet" reads as words in a post: "op mainnet".
    add(name.replace(/[-_]+/g, ' '));
    const keys = new Set([key(name), key(displayName ?? ''), key(withoutSuffix(displayName ?? '') ?? '')]);
    const builtIn = BUILT_IN.find((a) => a.keys.some((k) => keys.has(k)));
    for (const t of builtIn?.terms ?? []) add(t);
    return { name, terms };
  });
}
