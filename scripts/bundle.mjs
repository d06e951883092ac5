#!/usr/bin/env node
/**
 * Production bundle: src/cli/main.ts and everything it imports as one ESM file (dist/cli.mjs),
 * dependencies left as imports (viem bundled, see BUNDLED), the heaviest of them loaded on first
 * use (lazy-externals.mjs).
 * Running it needs no TypeScript loader (`npm run bench -- --only memory`: figures
 * rss_idle_bundled_mib and rss_idle_tsx_mib side by side). `npm ci` runs this
 * (the `prepare` script) and so does the Dockerfile; bin/chainwatch.mjs runs the bundle only
 * while it is as new as its sources.
 *
 * Beside it, dist/cli.inputs.json lists every file the bundle was built from (esbuild's
 * metafile, plus this script) with its size, mtime and SHA-256: bin/chainwatch.mjs compares
 * them with the files on disk, so an edit anywhere in what the bundle holds makes it stale.
 * Both are written under temporary names and renamed, the manifest last: a bundle is never
 * taken for fresh against another build's list.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ENTRY = 'src/cli/main.ts';
// `--outdir DIR` (relative to the checkout): a build elsewhere, for the memory bench.
const at = process.argv.indexOf('--outdir');
const OUTDIR = at > 0 ? process.argv[at + 1] : 'dist';
const OUT = `${OUTDIR}/cli.mjs`;
const MANIFEST = `${OUTDIR}/cli.inputs.json`;
// `--if-possible` (the `prepare` script): a source that does not build leaves the install
// working; bin/chainwatch.mjs then finds no fresh bundle and runs the sources through tsx.
const IF_POSSIBLE = process.argv.includes('--if-possible');

if (!existsSync(resolve(ROOT, ENTRY))) {
  // `npm ci` in the Dockerfile's dependency layer runs `prepare` before the sources are copied;
  // the Dockerfile bundles them in a later step.
  console.log(`scripts/bundle.mjs: no ${ENTRY} here, nothing to bundle`);
  process.exit(0);
}

const { build } = await import('esbuild');
const { lazyExternals, LAZY_EXTERNALS_BANNER } = await import('./lazy-externals.mjs');

/**
 * Reads every source itself, stat first, and keeps what it read: the manifest then holds the
 * hash of exactly the bytes bundled, even if a file is saved again while the build runs.
 */
const read = new Map();
const fingerprint = (path, size, mtimeMs, contents) => ({
  path,
  size,
  mtimeMs,
  sha256: createHash('sha256').update(contents).digest('hex'),
});
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js', '.json': 'json' };
const recordInputs = {
  name: 'record-inputs',
  setup(b) {
    b.onLoad({ filter: /.*/ }, (args) => {
      if (args.namespace !== 'file') return undefined;
      const path = relative(ROOT, args.path);
      if (path.startsWith('node_modules/')) {
        // A bundled package (viem and what it imports): its package.json stands for it, so an
        // upgrade (npm replaces the folder) makes the bundle stale. esbuild reads the file itself.
        const pkg = `${/^node_modules\/(@[^/]+\/)?[^/]+/.exec(path)[0]}/package.json`;
        if (!read.has(pkg)) {
          const st = statSync(resolve(ROOT, pkg));
          read.set(pkg, fingerprint(pkg, st.size, st.mtimeMs, readFileSync(resolve(ROOT, pkg))));
        }
        return undefined;
      }
      const { size, mtimeMs } = statSync(args.path);
      const contents = readFileSync(args.path);
      read.set(path, fingerprint(path, size, mtimeMs, contents));
      const loader = LOADERS[path.slice(path.lastIndexOf('.'))];
      if (!loader) throw new Error(`scripts/bundle.mjs: no loader for ${path}`);
      return { contents, loader };
    });
  },
};

/**
 * Dependencies stay imports from node_modules, except these: bundled, esbuild keeps only what
 * chainwatch calls. `import 'viem'` loads all of viem's ~1,000 modules (+29 MB of RSS alone);
 * the bundle holds ~360 of them, and an idle process with the example config is ~10 MB lighter
 * (a one-off side-by-side probe of `start` with the flags of bin/chainwatch.mjs: 113 against 124 MiB).
 */
const BUNDLED = new Set(['viem']);
const dependencies = Object.keys(JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).dependencies ?? {});
const external = dependencies.filter((d) => !BUNDLED.has(d)).flatMap((d) => [d, `${d}/*`]);

const tmp = `${OUT}.${process.pid}.tmp`;
mkdirSync(resolve(ROOT, OUTDIR), { recursive: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: [ENTRY],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  outfile: tmp,
  sourcemap: 'linked',
  plugins: [recordInputs, lazyExternals(ROOT)],
  banner: { js: LAZY_EXTERNALS_BANNER },
  logLevel: 'warning',
}).catch((err) => {
  if (!IF_POSSIBLE) throw err;
  console.log(`scripts/bundle.mjs: no bundle (${err.message.split('\n')[0]}); chainwatch runs the sources through tsx`);
  process.exit(0);
});
// This script and its plugin are inputs too: new build options make a new bundle.
for (const url of [import.meta.url, new URL('./lazy-externals.mjs', import.meta.url).href]) {
  const path = relative(ROOT, fileURLToPath(url));
  const st = statSync(resolve(ROOT, path));
  read.set(path, fingerprint(path, st.size, st.mtimeMs, readFileSync(resolve(ROOT, path))));
}
const inputs = [...read.values()].sort((a, b) => (a.path < b.path ? -1 : 1));

// The map is named after the temporary file inside the bundle; point it at its final name.
const code = readFileSync(resolve(ROOT, tmp), 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '//# sourceMappingURL=cli.mjs.map');
writeFileSync(resolve(ROOT, tmp), code);
const map = JSON.parse(readFileSync(resolve(ROOT, `${tmp}.map`), 'utf8'));
writeFileSync(resolve(ROOT, `${OUT}.map`), JSON.stringify({ ...map, file: 'cli.mjs' }));
unlinkSync(resolve(ROOT, `${tmp}.map`));
renameSync(resolve(ROOT, tmp), resolve(ROOT, OUT));
writeFileSync(resolve(ROOT, `${MANIFEST}.tmp`), `${JSON.stringify({ entry: ENTRY, inputs }, null, 1)}\n`);
renameSync(resolve(ROOT, `${MANIFEST}.tmp`), resolve(ROOT, MANIFEST));
console.log(`wrote ${OUT} from ${inputs.length} files`);
