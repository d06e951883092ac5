/**
 * The incident picture on X: uploaded with twitter-api-v2's `v2.uploadMedia` (X API v2
 * chunked upload: POST /2/media/upload/initialize (JSON: media_type, total_bytes,
 * media_category), POST /2/media/upload/{id}/append (multipart: segment_index, media),
 * POST /2/media/upload/{id}/finalize; answers `{ data: { id, media_key, ... } }`), then its
 * alt text with POST /2/media/metadata. The id goes in the root post's
 * `media: { media_ids: [id] }`. https://docs.x.com/x-api/media/quickstart/media-upload-chunked
 *
 * Limits and cost: images ≤ 5 MB (ours are ~60 KB: one append); initialize, append and finalize
 * 1,875 per 15 min per user, metadata 500 (X's rate-limit table); uploads are not billed in
 * X's pay-per-use price list, only the post is. Media expires unused after a day.
 *
 * Crash safety: an upload creates nothing anyone sees. A crash after it leaves an orphaned
 * media id that X lets expire; the retry uploads again. So uploading sits inside the send,
 * after the in-flight marker, and a failure just means a post without the picture.
 */
import type { TwitterApi } from 'twitter-api-v2';
import type { IncidentImage } from '../publish/image/incident-image';

/** POST /2/media/metadata: alt_text.text, at most 1,000 characters. */
export const X_ALT_TEXT_MAX = 1000;

export interface UploadedPicture {
  mediaId: string;
  /** The alt text was accepted. */
  alt: boolean;
}

export async function uploadPicture(write: TwitterApi, image: IncidentImage): Promise<UploadedPicture> {
  const mediaId = await write.v2.uploadMedia(image.png, { media_type: 'image/png', media_category: 'tweet_image' });
  const text = Array.from(image.alt).slice(0, X_ALT_TEXT_MAX).join('');
  try {
    await write.v2.createMediaMetadata(mediaId, { alt_text: { text } });
    return { mediaId, alt: true };
  } catch {
    // The picture without alt text is still worth posting; the caller logs it.
    return { mediaId, alt: false };
  }
}
