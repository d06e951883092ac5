#!/usr/bin/env node
/**
 * The npm registry this project's machines reach lacks some other-platform builds of optional
 * native packages (e.g. @foundry-rs/anvil-darwin-amd64). `npm install` then leaves them out of
 * package-lock.json, and `npm ci` refuses the lock as "out of sync". This adds an entry for
 * every missing optional platform package, with its os/cpu, so `npm ci` skips it on other
 * platforms and fetches it on its own. Run after every `npm install`: node scripts/fix-lockfile.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = [
  [/darwin-(amd64|x64)$/, 'darwin', 'x64'],
  [/darwin-arm64$/, 'darwin', 'arm64'],
  [/linux-(amd64|x64)$/, 'linux', 'x64'],
  [/linux-arm64$/, 'linux', 'arm64'],
  [/linux-arm$/, 'linux', 'arm'],
  [/win32-(amd64|x64)$/, 'win32', 'x64'],
  [/win32-arm64$/, 'win32', 'arm64'],
];

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const added = [];
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${path}/node_modules/${name}`;
    if (lock.packages[key] || lock.packages[nested]) continue;
    const platform = PLATFORM.find(([re]) => re.test(name));
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    lock.packages[key] = { version: spec, ...(pkg.dev ? { dev: true } : {}), optional: true, os: [platform[1]], cpu: [platform[2]] };
    added.push(`${name}@${spec}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.join(', ')}` : 'lock file already complete');
