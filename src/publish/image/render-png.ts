/**
 * SVG -> PNG with resvg (@resvg/resvg-js: Rust, prebuilt binaries from the registry, no
 * network at run time). Rendering runs on libuv's thread pool (`renderAsync`), so a publish
 * worker's event loop (BullMQ lock renewals, other jobs) keeps turning meanwhile.
 *
 * Fonts: resvg draws no text without a font, and a slim Docker image has none. We load
 * DejaVu Sans from where Debian's `fonts-dejavu-core` puts it (the Dockerfile installs it),
 * only those files, which is faster than scanning every system font; failing that, whatever
 * system fonts exist. With no font at all the chart still renders, without its text.
 */
import { existsSync } from 'node:fs';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

export const DEJAVU_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

export interface PngFontOptions {
  /** Font files to load instead of looking for DejaVu Sans. */
  fontFiles?: string[];
  /** Also scan the system's fonts (slower). Default: only when no font file is found. */
  loadSystemFonts?: boolean;
}

let found: string[] | null = null;

export function fontOptions(opts: PngFontOptions = {}): NonNullable<ResvgRenderOptions['font']> {
  const files = opts.fontFiles ?? (found ??= DEJAVU_FILES.filter((f) => existsSync(f)));
  return {
    fontFiles: files,
    loadSystemFonts: opts.loadSystemFonts ?? files.length === 0,
    defaultFontFamily: 'DejaVu Sans',
    sansSerifFamily: 'DejaVu Sans',
  };
}

export async function renderPng(svg: string, opts: PngFontOptions = {}): Promise<Buffer> {
  const image = await renderAsync(svg, { font: fontOptions(opts), fitTo: { mode: 'original' }, logLevel: 'off' });
  return image.asPng();
}
