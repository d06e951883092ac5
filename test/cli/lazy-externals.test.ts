/**
 * The bundle loads discord.js, twitter-api-v2, twitter-text and resvg on first use, not at start
 * (scripts/lazy-externals.mjs): a bundle built with the plugin loads none of them on import,
 * values that a lighter package re-exports come from it, and a value read through a getter is
 * the package's own object. Then the real bundle (scripts/bundle.mjs): importing it loads none
 * of the four, `replay` runs from it, and viem is bundled with its package.json among the inputs
 * that decide whether the bundle is fresh. Each check runs in a fresh child process, since
 * require's cache is per process.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { build } from 'esbuild';
import { lazyExternals, LAZY_EXTERNALS_BANNER } from '../../scripts/lazy-externals.mjs';

const ROOT = join(import.meta.dirname, '../..');
// Inside the checkout, so the bundles find node_modules as dist/cli.mjs does.
mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
const dir = mkdtempSync(join(ROOT, 'test-artifacts/lazy-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const run = promisify(execFile);

/** Loaded packages, as a snippet for the child: which of the four are in require's cache. */
const LOADED = `(await import('node:module')).createRequire(import.meta.url).cache;
const loaded = () => {
  const cache = loadedCache;
  const names = new Set(Object.keys(cache).map((p) => (/node_modules\\/((@[^/]+\\/)?[^/]+)\\//.exec(p) ?? [])[1]));
  return ['discord.js', 'twitter-api-v2', 'twitter-text', '@resvg/resvg-js', '@discordjs/formatters'].filter((n) => names.has(n));
};`;

async function child(file: string, code: string): Promise<Record<string, unknown>> {
  writeFileSync(file, code);
  const { stdout } = await run(process.execPath, [file], { cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

test('with the plugin, an import loads nothing; a re-exported value comes from the lighter package; a getter gives the real object', async () => {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `import { Client, escapeMarkdown, MessageFlags } from 'discord.js';
import { TwitterApi } from 'twitter-api-v2';
import twitter from 'twitter-text';
export const escaped = () => escapeMarkdown('*a*') + MessageFlags.SuppressEmbeds;
export const discordClient = () => Client;
export const x = () => [TwitterApi, twitter.parseTweet];
`,
  );
  await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: join(dir, 'entry.mjs'),
    plugins: [lazyExternals(ROOT)],
    banner: { js: LAZY_EXTERNALS_BANNER },
    logLevel: 'error',
  });
  const got = await child(
    join(dir, 'check.mjs'),
    `const loadedCache = ${LOADED}
const m = await import('./entry.mjs');
const atImport = loaded();
const escaped = m.escaped();
const afterFormatters = loaded();
const { createRequire } = await import('node:module');
const req = createRequire(import.meta.url);
const sameClient = m.discordClient() === req('discord.js').Client;
const [api, parse] = m.x();
const sameX = api === req('twitter-api-v2').TwitterApi && parse === req('twitter-text').parseTweet;
console.log(JSON.stringify({ atImport, escaped, afterFormatters, sameClient, sameX, end: loaded() }));
`,
  );
  assert.deepEqual(got.atImport, [], 'nothing loaded on import');
  assert.equal(got.escaped, '\\*a\\*4');
  assert.deepEqual(got.afterFormatters, ['@discordjs/formatters'], 'escapeMarkdown and MessageFlags without discord.js');
  assert.equal(got.sameClient, true);
  assert.equal(got.sameX, true);
  assert.deepEqual(got.end, ['discord.js', 'twitter-api-v2', 'twitter-text', '@discordjs/formatters']);
});

test('the real bundle loads none of them on import, and runs a replay', async () => {
  const out = relative(ROOT, join(dir, 'dist'));
  await run(process.execPath, ['scripts/bundle.mjs', '--outdir', out], { cwd: ROOT, timeout: 120_000 });
  const got = await child(
    join(dir, 'main.mjs'),
    `const loadedCache = ${LOADED}
const { main } = await import('./dist/cli.mjs');
const atImport = loaded();
const lines = [];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => (lines.push(String(chunk)), true);
const code = await main(['replay', 'examples/regular-1s-halt.jsonl']);
process.stdout.write = write;
console.log(JSON.stringify({ atImport, code, incidents: lines.join('').trim().split('\\n').filter((l) => l.startsWith('{')).length }));
`,
  );
  // The formatters are light and some module calls them at start: only the four heavy ones count here.
  assert.deepEqual(
    (got.atImport as string[]).filter((n) => n !== '@discordjs/formatters'),
    [],
  );
  assert.equal(got.code, 0);
  assert.ok(Number(got.incidents) >= 1, `${got.incidents} incidents replayed`);
  // viem is inside the bundle, and its package.json among the inputs: an upgrade makes it stale.
  // (A boolean, not assert.doesNotMatch: that would print the whole bundle when it fails.)
  assert.ok(!/from ["']viem/.test(readFileSync(join(dir, 'dist/cli.mjs'), 'utf8')), 'viem is bundled, not imported');
  const inputs = (JSON.parse(readFileSync(join(dir, 'dist/cli.inputs.json'), 'utf8')) as { inputs: { path: string }[] }).inputs;
  for (const path of ['node_modules/viem/package.json', 'scripts/lazy-externals.mjs', 'scripts/bundle.mjs', 'src/cli/main.ts'])
    assert.ok(
      inputs.some((i) => i.path === path),
      path,
    );
});
