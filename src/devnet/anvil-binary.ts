import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * @foundry-rs/anvil ships the node in one optional dependency per platform, named as in
 * its const.mjs (BINARY_DISTRIBUTION_PACKAGES). We run that binary directly instead of
 * the package's bin.mjs wrapper so that killing the child stops the node itself.
 */
const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
};

const NOT_FOUND = 'anvil not found: run npm ci (it ships in @foundry-rs/anvil)';

let resolved: string | undefined;

/**
 * Absolute path of the anvil executable. `ANVIL_BINARY` overrides the lookup (e.g. a
 * foundryup install) when the npm package is not installed for this platform.
 */
export function anvilBinary(): string {
  if (resolved) return resolved;
  const override = process.env.ANVIL_BINARY;
  if (override) {
    if (!existsSync(override)) throw new Error(`anvil not found at ANVIL_BINARY=${override}`);
    return (resolved = override);
  }
  const pkg = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!pkg) throw new Error(`${NOT_FOUND}; no anvil package for ${process.platform}-${process.arch}`);
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  for (const base of lookupRoots()) {
    try {
      const bin = join(dirname(createRequire(base).resolve(`${pkg}/package.json`)), 'bin', exe);
      if (existsSync(bin)) return (resolved = bin);
    } catch {
      // not resolvable from this root: try the next
    }
  }
  throw new Error(NOT_FOUND);
}

/** The platform package is usually hoisted; if not, it sits beside @foundry-rs/anvil. */
function lookupRoots(): string[] {
  const roots = [import.meta.url];
  try {
    roots.push(createRequire(import.meta.url).resolve('@foundry-rs/anvil/package.json'));
  } catch {
    // wrapper package absent: only the hoisted lookup remains
  }
  return roots;
}
