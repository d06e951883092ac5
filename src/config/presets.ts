/**
 * Network presets (`chain: mainnet` in the config file), from the generated table of viem's
 * chains (src/config/chains.ts, written by scripts/generate-chains.ts). Not from `viem/chains`
 * itself: loading it at run time costs ~20 MB of RSS per process for five fields per chain.
 */
import { CHAIN_ROWS, type ChainRow } from './chains';

export interface Preset {
  chainId: number;
  displayName: string;
  /** viem leaves blockTime out for some chains; the config must then give one. */
  blockTimeMs: number | undefined;
  rpcUrls: string[];
  explorerUrl?: string;
}

// A Map, not an object, so names such as "toString" or "__proto__" are not chains.
let byName: ReadonlyMap<string, ChainRow> | undefined;
const rows = () => (byName ??= new Map(CHAIN_ROWS.map((row) => [row[0], row])));

/** Preset for a viem/chains export name ("mainnet", "base", "arbitrum", "megaeth"), or undefined. */
export function resolvePreset(name: string): Preset | undefined {
  const row = rows().get(name);
  if (!row) return undefined;
  const [, chainId, displayName, blockTimeMs, rpcUrls, explorerUrl] = row;
  return {
    chainId,
    displayName,
    blockTimeMs: blockTimeMs ?? undefined,
    rpcUrls: [...rpcUrls],
    ...(explorerUrl ? { explorerUrl } : {}),
  };
}

/** Every usable preset name, for "did you mean" suggestions. */
export function presetNames(): string[] {
  return [...rows().keys()];
}
