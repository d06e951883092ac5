/**
 * Whether dist/cli.mjs may run: it was built from exactly the files on disk now. The manifest
 * that scripts/bundle.mjs writes beside it lists every file the bundle holds with its size,
 * mtime and SHA-256; a file whose size differs, or whose mtime differs and whose content hash
 * differs too (a checkout or copy may touch a file without changing it), makes the bundle
 * stale, as does a missing file or manifest. A new file matters only once an input imports it,
 * and that input then differs. Costs one stat per input (~210), a hash only where mtimes moved.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** `null` when the bundle may run, else why not (for a message). */
export function staleReason(root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(resolve(root, 'dist/cli.inputs.json'), 'utf8'));
    statSync(resolve(root, 'dist/cli.mjs'));
  } catch {
    return 'no bundle (node scripts/bundle.mjs builds one)';
  }
  if (!Array.isArray(manifest?.inputs) || manifest.inputs.length === 0) return 'dist/cli.inputs.json lists no inputs';
  for (const input of manifest.inputs) {
    const abs = resolve(root, String(input.path));
    let st;
    try {
      st = statSync(abs);
    } catch {
      return `${input.path} is gone`;
    }
    if (st.size !== input.size) return `${input.path} changed`;
    if (st.mtimeMs === input.mtimeMs) continue;
    if (createHash('sha256').update(readFileSync(abs)).digest('hex') !== input.sha256) return `${input.path} changed`;
  }
  return null;
}
