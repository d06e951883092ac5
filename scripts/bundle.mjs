#!/usr/bin/env node
/**
 * Production bundle: src/cli/main.ts and everything it imports as one ESM file, dependencies left
 * as imports. Running it needs no TypeScript loader, which saves about 70 MB of resident
 * memory per process (measured: `start` 214 MB through tsx, 140 MB bundled). The Dockerfile
 * runs this; bin/chainwatch.mjs uses the bundle when NODE_ENV=production and it exists.
 */
import { buildSync } from 'esbuild';

buildSync({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: 'dist/cli.mjs',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('wrote dist/cli.mjs');
