// X API v2 media upload and metadata, as twitter-api-v2 1.29's `v2.uploadMedia` and
// `v2.createMediaMetadata` call them (https://docs.x.com/x-api/media/quickstart/media-upload-chunked):
//   POST /2/media/upload/initialize   JSON { media_type, total_bytes, media_category?, additional_owners? }
//   POST /2/media/upload/:id/append   multipart: segment_index (0-999), media (bytes, ≤ 5 MB... server 8 MB)
//   POST /2/media/upload/:id/finalize -> { data: { id, media_key, size, expires_after_secs } }
//   GET  /2/media/upload?command=STATUS&media_id=
//   POST /2/media/metadata            JSON { id, metadata: { alt_text: { text ≤ 1000 } } }
// Every route needs OAuth 1.0a user context; the media belongs to the signing user. Images are
// checked for what they claim to be (PNG, JPEG, GIF, WEBP signatures) and for X's 5 MB limit.
import { type Answer, invalidRequest, problem } from './problems';
import type { Route, RouteContext } from './routes';
import type { Part } from './multipart';
import type { FakeXState } from './state';

/** https://docs.x.com/x-api/media/quickstart/best-practices: images ≤ 5 MB; 4 images per post. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_SEGMENT_BYTES = 8 * 1024 * 1024;
export const MAX_ALT_TEXT = 1000;
export const MEDIA_EXPIRES_SECS = 86_400;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/pjpeg', 'image/tiff']);
const CATEGORIES = new Set(['tweet_image', 'tweet_video', 'tweet_gif', 'dm_image', 'dm_video', 'dm_gif', 'subtitles', 'amplify_video']);

export interface StoredMedia {
  id: string;
  mediaKey: string;
  ownerId: string;
  mediaType: string;
  category: string;
  totalBytes: number;
  segments: Map<number, Buffer>;
  finalized: boolean;
  createdAt: number;
  expiresAt: number;
  altText?: string;
  /** The assembled file, once finalized. */
  data?: Buffer;
}

const mediaStore = (state: FakeXState): Map<string, StoredMedia> => state.media;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function matchesType(type: string, data: Buffer): boolean {
  switch (type) {
    case 'image/png':
      return data.subarray(0, 8).equals(PNG);
    case 'image/jpeg':
    case 'image/pjpeg':
      return data[0] === 0xff && data[1] === 0xd8;
    case 'image/gif':
      return data.subarray(0, 4).toString('latin1') === 'GIF8';
    case 'image/webp':
      return data.subarray(8, 12).toString('latin1') === 'WEBP';
    default:
      return true;
  }
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const notFound = (id: string) =>
  problem(404, 'Not Found Error', `Could not find media with id: [${id}].`, 'https://api.twitter.com/2/problems/resource-not-found');

function initialize(ctx: RouteContext): Answer {
  const b = obj(ctx.body);
  const type = typeof b.media_type === 'string' ? b.media_type : '';
  const total = Number(b.total_bytes);
  if (!type) return invalidRequest('media_type is required', { media_type: [] });
  if (!Number.isInteger(total) || total <= 0)
    return invalidRequest('total_bytes must be a positive integer', { total_bytes: [String(b.total_bytes)] });
  const category = typeof b.media_category === 'string' ? b.media_category : IMAGE_TYPES.has(type) ? 'tweet_image' : 'tweet_video';
  if (!CATEGORIES.has(category)) return invalidRequest(`media_category [${category}] is not valid`, { media_category: [category] });
  if (category.endsWith('_image') && (!IMAGE_TYPES.has(type) || total > MAX_IMAGE_BYTES)) {
    return invalidRequest(`Image of type ${type} and ${total} bytes is not supported (images: JPG, PNG, GIF, WEBP up to 5 MB)`, {
      total_bytes: [String(total)],
    });
  }
  const now = ctx.state.now();
  const id = ctx.state.newId(now);
  mediaStore(ctx.state).set(id, {
    id,
    mediaKey: `3_${id}`,
    ownerId: ctx.userId!,
    mediaType: type,
    category,
    totalBytes: total,
    segments: new Map(),
    finalized: false,
    createdAt: now,
    expiresAt: now + MEDIA_EXPIRES_SECS * 1000,
  });
  return { status: 200, body: { data: { id, media_key: `3_${id}`, expires_after_secs: MEDIA_EXPIRES_SECS } } };
}

function owned(ctx: RouteContext): StoredMedia | Answer {
  const id = ctx.params[0]!;
  const m = mediaStore(ctx.state).get(id);
  if (!m || m.ownerId !== ctx.userId || m.expiresAt <= ctx.state.now()) return notFound(id);
  return m;
}

function append(ctx: RouteContext): Answer {
  const m = owned(ctx);
  if ('status' in m) return m;
  if (m.finalized) return invalidRequest('Media is already finalized', { id: [m.id] });
  const parts = obj(ctx.body).parts as Part[] | undefined;
  if (!Array.isArray(parts)) return invalidRequest('The request must be multipart/form-data', { body: [] });
  const seg = parts.find((p) => p.name === 'segment_index')?.data.toString('utf8') ?? '';
  const media = parts.find((p) => p.name === 'media');
  if (!/^\d{1,3}$/.test(seg)) return invalidRequest('segment_index must be between 0 and 999', { segment_index: [seg] });
  if (!media || media.data.length === 0) return invalidRequest('media is required', { media: [] });
  if (media.data.length > MAX_SEGMENT_BYTES) return invalidRequest('Segment is larger than 8 MB', { media: [] });
  m.segments.set(Number(seg), Buffer.from(media.data));
  return { status: 200, body: { data: { expires_at: Math.floor(m.expiresAt / 1000) } } };
}

function finalize(ctx: RouteContext): Answer {
  const m = owned(ctx);
  if ('status' in m) return m;
  const indexes = [...m.segments.keys()].sort((a, b) => a - b);
  if (indexes.some((n, i) => n !== i)) return invalidRequest('Segments are missing', { id: [m.id] });
  const data = Buffer.concat(indexes.map((i) => m.segments.get(i)!));
  if (data.length !== m.totalBytes)
    return invalidRequest(`File size ${data.length} does not match total_bytes ${m.totalBytes}`, { total_bytes: [String(m.totalBytes)] });
  if (!matchesType(m.mediaType, data)) return invalidRequest(`The media is not a valid ${m.mediaType} file`, { media_type: [m.mediaType] });
  m.finalized = true;
  m.data = data;
  return {
    status: 200,
    body: {
      data: { id: m.id, media_key: m.mediaKey, size: data.length, expires_after_secs: Math.floor((m.expiresAt - ctx.state.now()) / 1000) },
    },
  };
}

function status(ctx: RouteContext): Answer {
  const id = ctx.query.get('media_id') ?? '';
  const m = mediaStore(ctx.state).get(id);
  if (!m || m.ownerId !== ctx.userId) return notFound(id);
  return {
    status: 200,
    body: {
      data: { id: m.id, media_key: m.mediaKey, ...(m.finalized ? { processing_info: { state: 'succeeded', progress_percent: 100 } } : {}) },
    },
  };
}

function metadata(ctx: RouteContext): Answer {
  const b = obj(ctx.body);
  const id = typeof b.id === 'string' ? b.id : '';
  const text = obj(obj(b.metadata).alt_text).text;
  const m = mediaStore(ctx.state).get(id);
  if (!m || m.ownerId !== ctx.userId) return notFound(id);
  if (typeof text !== 'string' || text.length === 0)
    return invalidRequest('metadata.alt_text.text is required', { 'metadata.alt_text.text': [] });
  if (Array.from(text).length > MAX_ALT_TEXT)
    return invalidRequest(`alt_text must be ${MAX_ALT_TEXT} characters or fewer`, { 'metadata.alt_text.text': [text.slice(0, 50)] });
  m.altText = text;
  return { status: 200, body: { data: { id, associated_metadata: { alt_text: { text } } } } };
}

/**
 * `media.media_ids` of a new post: 1-4 ids of finalized media of this user, not expired; at
 * most 4 images, or one GIF or video. Returns the ids or X's 400.
 */
export function checkPostMedia(state: FakeXState, userId: string, media: unknown): string[] | Answer {
  if (media === undefined) return [];
  const ids = obj(media).media_ids;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 4 || !ids.every((i) => typeof i === 'string' && /^\d{1,19}$/.test(i))) {
    return invalidRequest('media.media_ids must be 1 to 4 media ids', { 'media.media_ids': [JSON.stringify(ids)] });
  }
  const store = mediaStore(state);
  for (const id of ids as string[]) {
    const m = store.get(id);
    if (!m || m.ownerId !== userId || !m.finalized || m.expiresAt <= state.now()) {
      return invalidRequest(`Your media IDs are invalid: ${id}`, { 'media.media_ids': [id] });
    }
    if (!m.category.startsWith('tweet_'))
      return invalidRequest(`Media ${id} has category ${m.category}, not for posts`, { 'media.media_ids': [id] });
    if (m.category !== 'tweet_image' && ids.length > 1)
      return invalidRequest('A post takes up to 4 images, or 1 GIF or video', { 'media.media_ids': [id] });
  }
  return ids as string[];
}

export const MEDIA_ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/2\/media\/upload\/initialize$/, endpoint: 'mediaUpload', userContext: true, handler: initialize },
  { method: 'POST', pattern: /^\/2\/media\/upload\/(\d{1,19})\/append$/, endpoint: 'mediaUpload', userContext: true, handler: append },
  { method: 'POST', pattern: /^\/2\/media\/upload\/(\d{1,19})\/finalize$/, endpoint: 'mediaUpload', userContext: true, handler: finalize },
  { method: 'GET', pattern: /^\/2\/media\/upload$/, endpoint: 'mediaStatus', userContext: true, handler: status },
  { method: 'POST', pattern: /^\/2\/media\/metadata$/, endpoint: 'mediaMetadata', userContext: true, handler: metadata },
];
