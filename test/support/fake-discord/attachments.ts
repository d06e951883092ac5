// Files on messages, as Discord takes them (https://discord.com/developers/docs/reference#uploading-files,
// .../resources/message#attachment-object-attachment-request-structure, #edit-message):
// multipart parts named `files[n]` beside `payload_json`; `attachments[]` in the JSON names each
// new file by `id: n` (its files[n]) and, on an edit, every existing attachment to keep (API v10:
// the list is what the message has afterwards); an embed shows a file as `attachment://<filename>`,
// and Discord stores the file's CDN URL in its place.
//
// Stricter than Discord where a bug of ours would otherwise pass unseen: a part declared as an
// image whose bytes are not that image, an `attachment://` name no file on the message has, and
// an attachment entry without its file are refused with 400 Invalid Form Body.
import { type ApiAnswer, apiError, FormErrors } from './limits';
import type { FakeMessage, RecordedFile } from './state';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** "The default limit is 20 MiB" per file (reference#uploading-files). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Attachment description (alt text): 1024 characters. */
export const MAX_DESCRIPTION = 1024;

export type Sniffed = 'png' | 'jpeg' | 'gif' | 'webp' | null;

export function sniff(data: Buffer): Sniffed {
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

/** Width and height from a PNG's IHDR chunk (the first chunk, right after the signature). */
export function pngSize(data: Buffer): { width: number; height: number } | null {
  if (sniff(data) !== 'png' || data.length < 24 || data.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** What the fake records of a file part; for an image (declared or sniffed), also its bytes, what they are, and a PNG's size. */
export function describeFile(field: string, filename: string, contentType: string, data: Buffer): RecordedFile {
  const base = { field, filename, contentType, size: data.length };
  const signature = sniff(data);
  if (!signature && !contentType.toLowerCase().startsWith('image/')) return base;
  const size = pngSize(data);
  return { ...base, signature, data, ...(size ? { width: size.width, height: size.height } : {}) };
}

function refs(embeds: unknown): { path: (string | number)[]; name: string }[] {
  const out: { path: (string | number)[]; name: string }[] = [];
  if (!Array.isArray(embeds)) return out;
  embeds.forEach((raw, i) => {
    for (const key of ['image', 'thumbnail'] as const) {
      const url = obj(obj(raw)[key]).url;
      if (typeof url === 'string' && url.startsWith('attachment://'))
        out.push({ path: ['embeds', i, key, 'url'], name: url.slice('attachment://'.length) });
    }
  });
  return out;
}

/**
 * Checks the files and `attachments` of a create (no `existing`) or an edit. Returns Discord's
 * error answer or null.
 */
export function checkAttachments(body: Obj, files: readonly RecordedFile[], existing?: FakeMessage): ApiAnswer | null {
  const e = new FormErrors();
  const byIndex = new Map<string, RecordedFile>();
  files.forEach((f, i) => {
    const m = /^files\[(\d+)\]$/.exec(f.field);
    if (!m) return e.add(['files', i], 'BASE_TYPE_BAD_NAME', `File part "${f.field}" is not named files[n].`);
    byIndex.set(m[1]!, f);
    if (f.size > MAX_FILE_BYTES) return;
    const declared = f.contentType.split(';')[0]!.trim().toLowerCase();
    const want = ({ 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' } as Record<string, Sniffed>)[
      declared
    ];
    if (want && f.signature !== want) e.add([`files[${m[1]}]`], 'FILE_TYPE_INVALID', `Content is not a valid ${declared} file.`);
  });
  if (files.some((f) => f.size > MAX_FILE_BYTES)) return apiError(413, 40005, 'Request entity too large');

  const list = Array.isArray(body.attachments) ? (body.attachments as unknown[]).map(obj) : null;
  const existingIds = new Set((existing?.attachments ?? []).map((a) => a.id));
  let names: string[] = existing ? existing.attachments.map((a) => a.filename) : [];
  if (list) {
    names = [];
    list.forEach((a, i) => {
      const id = String(a.id ?? '');
      if (typeof a.description === 'string' && a.description.length > MAX_DESCRIPTION) {
        e.add(['attachments', i, 'description'], 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_DESCRIPTION} or fewer in length.`);
      }
      const file = byIndex.get(id);
      const kept = existing?.attachments.find((x) => x.id === id);
      if (file) names.push(typeof a.filename === 'string' ? a.filename : file.filename);
      else if (kept && existingIds.has(id)) names.push(kept.filename);
      else
        e.add(
          ['attachments', i, 'id'],
          'ATTACHMENT_NOT_FOUND',
          `Unknown attachment ${id}: no files[${id}] in the request and none on the message.`,
        );
    });
    // Files not listed in `attachments` are still added (only metadata is missing).
    for (const [n, f] of byIndex) if (!list.some((a) => String(a.id) === n)) names.push(f.filename);
  } else {
    for (const f of byIndex.values()) names.push(f.filename);
  }
  const embeds = body.embeds !== undefined ? body.embeds : existing?.embeds;
  for (const r of refs(embeds)) {
    if (!names.includes(r.name)) e.add(r.path, 'ATTACHMENT_NOT_FOUND', `attachment://${r.name} names no file of this message.`);
  }
  return e.answer();
}

/** Discord replaces `attachment://<name>` in embeds with the stored file's URL. */
export function resolveAttachmentRefs(message: FakeMessage): void {
  for (const embed of message.embeds) {
    for (const key of ['image', 'thumbnail'] as const) {
      const media = embed[key];
      if (!media?.url.startsWith('attachment://')) continue;
      const file = message.attachments.find((a) => a.filename === media.url.slice('attachment://'.length));
      if (!file) continue;
      embed[key] = {
        ...media,
        url: file.url,
        proxy_url: file.proxy_url,
        ...(file.width ? { width: file.width, height: file.height ?? 0 } : {}),
      };
    }
  }
}
