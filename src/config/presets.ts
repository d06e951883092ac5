/** Network presets taken from viem's chain definitions (`chain: mainnet` in the config file). */
import * as chains from 'viem/chains';
import type { Chain } from 'viem';

export interface Preset {
  chainId: number;
  displayName: string;
  /** viem leaves blockTime out for some chains; the config must then give one. */
  blockTimeMs: number | undefined;
  rpcUrls: string[];
  explorerUrl?: string;
}

function isChain(value: unknown): value is Chain {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Chain>;
  return typeof v.id === 'number' && typeof v.rpcUrls === 'object' && v.rpcUrls !== null;
}

// A Map, not the module namespace, so names such as "toString" or "__proto__" are not chains.
const CHAINS: ReadonlyMap<string, Chain> = new Map(
  (Object.entries(chains) as [string, unknown][]).filter((entry): entry is [string, Chain] => isChain(entry[1])),
);

/** Preset for a viem/chains export name ("mainnet", "base", "arbitrum", "megaeth"), or undefined. */
export function resolvePreset(name: string): Preset | undefined {
  const chain = CHAINS.get(name);
  if (!chain) return undefined;
  const rpc = chain.rpcUrls.default;
  // HTTP first: polling `getBlock` over HTTP is what chain-poll does; websocket only when a
  // chain publishes nothing else. Extra viem URLs are usually the same provider, so only `default`.
  const rpcUrls = rpc?.http.length ? [...rpc.http] : [...(rpc?.webSocket ?? [])];
  const explorerUrl = chain.blockExplorers?.default.url;
  return {
    chainId: chain.id,
    displayName: chain.name,
    blockTimeMs: typeof chain.blockTime === 'number' && chain.blockTime > 0 ? chain.blockTime : undefined,
    rpcUrls,
    ...(explorerUrl ? { explorerUrl } : {}),
  };
}

/** Every usable preset name, for "did you mean" suggestions. */
export function presetNames(): string[] {
  return [...CHAINS.keys()];
}
