/**
 * An esbuild plugin for scripts/bundle.mjs: packages that a process with the example config (no
 * `discord:`, no `x:`) never calls are loaded on first use instead of at start. Each alone adds
 * to an idle process's RSS (`node --expose-gc -e "await import(PKG)"`, RSS after a GC, against a
 * bare node at 39.5 MB): discord.js +47 MB, twitter-api-v2 +19 MB, twitter-text +13 MB, resvg's
 * native module +6 MB.
 *
 * How: an import of one of them resolves to a CommonJS module of getters, one per export of the
 * package (listed at build time), each requiring the package when first read. esbuild reads a
 * bundled CommonJS module's exports where they are used, not where they are imported
 * (`import_x.Client`), so the package loads when code first touches one of its values. An
 * export that a lighter package holds too is read from that package: discord.js re-exports its
 * builders, formatters and discord-api-types, the same objects (checked here by identity), so
 * `escapeMarkdown` or `MessageFlags` never load discord.js. Types are erased either way.
 * Default and namespace imports of these packages would read the getters too; a top-level
 * `class X extends Client` would load the package at start (correct, only not lazy).
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

/** Package → lighter packages whose identical exports it re-exports (tried in order). */
export const LAZY = {
  'discord.js': ['@discordjs/formatters', 'discord-api-types/v10', '@discordjs/util', '@discordjs/collection', '@discordjs/builders'],
  'twitter-api-v2': [],
  'twitter-text': [],
  '@resvg/resvg-js': [],
};

/** Defines `__cwRequire` at the top of the bundle: packages resolve from the bundle's own place. */
export const LAZY_EXTERNALS_BANNER =
  "import { createRequire as __cwCreateRequire } from 'node:module'; const __cwRequire = __cwCreateRequire(import.meta.url);";

const escape = (name) => name.replace(/[.\\/]/g, (c) => `\\${c}`);

/** Which package each export of `pkg` is read from. */
export function exportSources(pkg, root) {
  const req = createRequire(resolve(root, 'package.json'));
  const real = req(pkg);
  const lighter = (LAZY[pkg] ?? []).map((name) => [name, req(name)]);
  return Object.keys(real).map((key) => {
    const hit = lighter.find(([, m]) => Object.prototype.hasOwnProperty.call(m, key) && m[key] === real[key]);
    return [key, hit ? hit[0] : pkg];
  });
}

/** The plugin; `root` is where the packages are installed (the checkout). */
export function lazyExternals(root, packages = Object.keys(LAZY)) {
  return {
    name: 'lazy-externals',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${packages.map(escape).join('|')})$`) }, (args) => ({
        path: args.path,
        namespace: 'lazy-external',
      }));
      b.onLoad({ filter: /.*/, namespace: 'lazy-external' }, (args) => ({
        contents: [
          `for (const [key, from] of ${JSON.stringify(exportSources(args.path, root))})`,
          '  Object.defineProperty(module.exports, key, { enumerable: true, get: () => __cwRequire(from)[key] });',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}
