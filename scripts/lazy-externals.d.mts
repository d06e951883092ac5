import type { Plugin } from 'esbuild';

/** Package → lighter packages whose identical exports it re-exports. */
export const LAZY: Record<string, string[]>;
/** Defines `__cwRequire` at the top of the bundle. */
export const LAZY_EXTERNALS_BANNER: string;
/** Which package each export of `pkg` is read from. */
export function exportSources(pkg: string, root: string): [key: string, from: string][];
/** The esbuild plugin; `root` is where the packages are installed. */
export function lazyExternals(root: string, packages?: string[]): Plugin;
