import type { APIEmbed } from 'discord-api-types/v10';

/**
 * Discord's hard limits. A payload over any of them is rejected with 400 Bad Request, and a
 * rejected alert is a missed alert, so every renderer cuts to these before sending.
 *
 * Message: https://discord.com/developers/docs/resources/message#create-message
 * Embeds:  https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 * Threads: https://discord.com/developers/docs/resources/channel#start-thread-from-message
 * Buttons: https://discord.com/developers/docs/components/reference#button
 *
 * Discord counts characters (code points) and trims surrounding whitespace before counting;
 * we measure UTF-16 code units, which are never fewer, so a fit here is a fit there.
 */
export const MESSAGE_CONTENT_MAX = 2000;
export const MESSAGE_EMBEDS_MAX = 10;
export const EMBED_TITLE_MAX = 256;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_FIELDS_MAX = 25;
export const EMBED_FIELD_NAME_MAX = 256;
export const EMBED_FIELD_VALUE_MAX = 1024;
export const EMBED_FOOTER_MAX = 2048;
export const EMBED_AUTHOR_MAX = 256;
/** Sum of title, description, field names and values, footer and author over ALL embeds of one message. */
export const EMBEDS_TOTAL_MAX = 6000;
export const THREAD_NAME_MAX = 100;
/** Attachment `description` (alt text): https://discord.com/developers/docs/resources/message#attachment-object */
export const ATTACHMENT_DESCRIPTION_MAX = 1024;
export const CUSTOM_ID_MAX = 100;
export const BUTTON_LABEL_MAX = 80;
/** https://discord.com/developers/docs/components/reference#action-row */
export const BUTTONS_PER_ROW = 5;

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with '…' when anything was cut. Never
 * splits a surrogate pair: half an emoji is an invalid string that Discord rejects.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, Math.max(end, 0)).trimEnd() + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** What Discord counts towards EMBEDS_TOTAL_MAX for one embed. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

export function embedsLength(embeds: readonly APIEmbed[]): number {
  return embeds.reduce((sum, e) => sum + embedLength(e), 0);
}

/**
 * Whether an embed list is acceptable to Discord as far as lengths and counts go. Renderers
 * build within limits by construction; tests and the publisher's last check use this.
 */
export function embedsWithinLimits(embeds: readonly APIEmbed[]): boolean {
  if (embeds.length > MESSAGE_EMBEDS_MAX || embedsLength(embeds) > EMBEDS_TOTAL_MAX) return false;
  return embeds.every(
    (e) =>
      (e.title?.length ?? 0) <= EMBED_TITLE_MAX &&
      (e.description?.length ?? 0) <= EMBED_DESCRIPTION_MAX &&
      (e.footer?.text.length ?? 0) <= EMBED_FOOTER_MAX &&
      (e.author?.name.length ?? 0) <= EMBED_AUTHOR_MAX &&
      (e.fields?.length ?? 0) <= EMBED_FIELDS_MAX &&
      (e.fields ?? []).every((f) => f.name.length <= EMBED_FIELD_NAME_MAX && f.value.length <= EMBED_FIELD_VALUE_MAX),
  );
}

/**
 * Packs lines into chunks of at most `chunkMax` units, at most `maxChunks` chunks and
 * `totalMax` units overall. Lines that do not fit are counted, and the last chunk ends with
 * `more(n)` ("… and 12 more") so a reader knows the list is cut. Each line is first cut to
 * `lineMax` so one long line cannot push out all the others.
 */
export function packLines(
  lines: readonly string[],
  opts: { chunkMax: number; maxChunks: number; totalMax: number; lineMax?: number; more: (n: number) => string },
): string[] {
  const lineMax = Math.min(opts.lineMax ?? opts.chunkMax, opts.chunkMax);
  const reserve = opts.more(lines.length).length + 1;
  const chunks: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = truncate(lines[i]!, lineMax);
    // Room for "\n… and N more" is kept only while lines remain after this one.
    const budget = i === lines.length - 1 ? 0 : reserve;
    const last = chunks.length - 1;
    if (last >= 0 && chunks[last]!.length + 1 + line.length <= opts.chunkMax - budget && used + 1 + line.length <= opts.totalMax - budget) {
      chunks[last] += `\n${line}`;
      used += 1 + line.length;
    } else if (chunks.length < opts.maxChunks && line.length <= opts.chunkMax - budget && used + line.length <= opts.totalMax - budget) {
      chunks.push(line);
      used += line.length;
    } else {
      const more = opts.more(lines.length - i);
      if (last < 0) chunks.push(more);
      else chunks[last] += `\n${more}`;
      break;
    }
  }
  return chunks;
}
