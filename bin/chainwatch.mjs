#!/usr/bin/env -S node --max-semi-space-size=1 --heap-growing-percent=10 --v8-pool-size=1
// The flags (V8's are not allowed in NODE_OPTIONS, hence here): a 1 MB young generation, an old
// generation that grows 10% past what is live before it is collected, and one V8 worker thread
// instead of four keep an idle `start` with the example config at 110 MiB instead of 173
// (`npm run bench -- --only memory`), for some more time in garbage collection. `node
// bin/chainwatch.mjs …` runs with V8's defaults; the Dockerfile and `npm start` pass the same flags.
// Runs dist/cli.mjs (the bundle that `npm ci` and the Dockerfile build with scripts/bundle.mjs:
// no TypeScript loader, ~45 MiB less memory) while it was built from exactly the sources on disk;
// otherwise, and with CHAINWATCH_BUNDLE=0, the TypeScript sources through tsx, so an edit in
// src/ always runs as edited. bin/fresh-bundle.mjs holds the rule.
import { fileURLToPath } from 'node:url';
import { staleReason } from './fresh-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stale = process.env.CHAINWATCH_BUNDLE === '0' ? 'CHAINWATCH_BUNDLE=0' : staleReason(root);
let main;
if (stale === null) {
  ({ main } = await import('../dist/cli.mjs'));
} else {
  // A production image is built to run its bundle: say why it does not (stderr, once).
  if (process.env.NODE_ENV === 'production') process.stderr.write(`chainwatch: running the sources through tsx: ${stale}\n`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
