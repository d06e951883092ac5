import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { DEJAVU_FILES, fontOptions, renderPng } from '../../../src/publish/image/render-png';
import { renderIncidentSvg } from '../../../src/publish/image/render-svg';
import { haltChart } from './fixture';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('a 3-hour halt with 10,800 intervals renders to a 1200×675 PNG well within a second', async () => {
  const t0 = performance.now();
  const svg = renderIncidentSvg(haltChart({ intervals: 10_800 }));
  const png = await renderPng(svg);
  const ms = performance.now() - t0;
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
  assert.deepEqual(ihdr(png), { width: 1200, height: 675 });
  assert.ok(png.length > 10_000 && png.length < 5 * 1024 * 1024, `${png.length} bytes: under X's 5 MB and Discord's 10 MiB`);
  assert.ok(ms < 2000, `render took ${ms.toFixed(0)} ms`);
});

/** Dark pixels in the title's box: text drawn there, or not. */
function inkInTitle(svg: string, font: ConstructorParameters<typeof Resvg>[1]): number {
  const { pixels, width } = new Resvg(svg, font).render();
  let ink = 0;
  for (let y = 25; y < 65; y++) for (let x = 40; x < 600; x++) if (pixels[(y * width + x) * 4]! < 128) ink++;
  return ink;
}

test('text renders with the DejaVu fonts, and a machine without fonts still gets a picture', async (t) => {
  const svg = renderIncidentSvg(haltChart());
  const bare = await renderPng(svg, { fontFiles: [], loadSystemFonts: false });
  assert.ok(bare.subarray(0, 8).equals(PNG_SIGNATURE), 'no font: no failure');
  assert.equal(inkInTitle(svg, { font: { fontFiles: [], loadSystemFonts: false } }), 0, 'and no text');
  if (!DEJAVU_FILES.every((f) => existsSync(f))) return t.skip('fonts-dejavu-core is not installed here');
  assert.deepEqual(fontOptions().fontFiles, DEJAVU_FILES);
  assert.equal(fontOptions().loadSystemFonts, false, 'only the two files are loaded');
  assert.ok(inkInTitle(svg, { font: fontOptions() }) > 2000, 'the title is drawn');
});
