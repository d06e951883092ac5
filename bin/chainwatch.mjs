#!/usr/bin/env node
// Development and `npx chainwatch`: the TypeScript sources run through tsx, so `npm ci` is the
// only install step. Production (NODE_ENV=production, as in the Dockerfile) runs the bundle
// from `node scripts/bundle.mjs` when it exists: no loader, ~70 MB less memory.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.mjs', import.meta.url);
let main;
if (process.env.NODE_ENV === 'production' && existsSync(bundle)) {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
