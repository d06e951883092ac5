/**
 * bin/chainwatch.mjs runs dist/cli.mjs only while every file it was built from is unchanged
 * (bin/fresh-bundle.mjs): an edit, even one that keeps the size, makes it stale; a file touched
 * without a change (a checkout, a copy) does not. Here against a throwaway tree.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { staleReason } from '../../bin/fresh-bundle.mjs';

const root = mkdtempSync(join(tmpdir(), 'cw-bundle-'));
after(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>): void {
  mkdirSync(join(root, 'dist'), { recursive: true });
  mkdirSync(join(root, 'src'), { recursive: true });
  const inputs = Object.entries(files).map(([path, text]) => {
    writeFileSync(join(root, path), text);
    const st = statSync(join(root, path));
    return { path, size: st.size, mtimeMs: st.mtimeMs, sha256: createHash('sha256').update(text).digest('hex') };
  });
  writeFileSync(join(root, 'dist/cli.mjs'), 'export const main = async () => 0;\n');
  writeFileSync(join(root, 'dist/cli.inputs.json'), JSON.stringify({ entry: 'src/a.ts', inputs }));
}

test('a bundle built from the files on disk runs; touched but unchanged files keep it fresh', () => {
  tree({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
  assert.equal(staleReason(root), null);
  utimesSync(join(root, 'src/a.ts'), new Date(), new Date(Date.now() + 5000));
  assert.equal(staleReason(root), null, 'a newer mtime with the same content');
});

test('an edit makes it stale, even one of the same size; so do a missing file and a missing manifest', () => {
  tree({ 'src/a.ts': 'export const a = 1;\n' });
  writeFileSync(join(root, 'src/a.ts'), 'export const a = 7;\n');
  assert.equal(staleReason(root), 'src/a.ts changed');
  tree({ 'src/a.ts': 'export const a = 1;\n' });
  writeFileSync(join(root, 'src/a.ts'), 'export const a = 10;\n');
  assert.equal(staleReason(root), 'src/a.ts changed');
  tree({ 'src/a.ts': 'export const a = 1;\n' });
  rmSync(join(root, 'src/a.ts'));
  assert.equal(staleReason(root), 'src/a.ts is gone');
  tree({ 'src/a.ts': 'export const a = 1;\n' });
  rmSync(join(root, 'dist/cli.inputs.json'));
  assert.match(staleReason(root) ?? '', /no bundle/);
  tree({ 'src/a.ts': 'export const a = 1;\n' });
  writeFileSync(join(root, 'dist/cli.inputs.json'), '{"inputs": []}');
  assert.match(staleReason(root) ?? '', /lists no inputs/);
});
