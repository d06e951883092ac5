import { escapeMarkdown } from 'discord.js';
import { MESSAGE_CONTENT_MAX, truncate } from './limits';

/**
 * Making untrusted text inert before it goes into a Discord message (DESIGN.md principle 7).
 * Text from the community, a moderator, an RPC error body or an endpoint label must not
 * ping anyone, hide a phishing link under an innocent label, disguise itself with invisible
 * or right-to-left characters, or break the message with a wall of newlines or markdown.
 *
 * `allowed_mentions: { parse: [] }` on every payload is the real guard against pings; the
 * zero-width spaces inserted here only keep the text from looking like a mention.
 */

/**
 * Every escapeMarkdown option on. `maskedLink` is off by default in discord.js 14.28, which
 * leaves `[innocent](https://phish)` clickable (reference/apis.md §1).
 */
const ESCAPE_ALL = {
  codeBlock: true,
  inlineCode: true,
  bold: true,
  italic: true,
  underline: true,
  strikethrough: true,
  spoiler: true,
  codeBlockContent: true,
  inlineCodeContent: true,
  escape: true,
  heading: true,
  bulletedList: true,
  numberedList: true,
  maskedLink: true,
} as const;

const ZWSP = '\u200b';

/**
 * C0/C1 controls except \n, plus characters that hide or reorder text: zero-width
 * (U+200B–U+200F, U+2060–U+2064, U+FEFF), bidi embeddings/overrides/isolates (U+202A–U+202E,
 * U+2066–U+2069), the Arabic letter mark U+061C and soft hyphen U+00AD. A right-to-left
 * override can make "moc.evil" read as "live.com". Stripping U+200D also splits emoji
 * joined by it (a family becomes its members): an acceptable cost for inert text.
 */
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Markdown that escapeMarkdown leaves alone or only half-escapes: runs of `*` (ten stars
 * come back with `**` unescaped), `~`, `|`, `[` `]` outside its link patterns. Escaped one by
 * one below, except inside bare URLs, where a backslash would break the link.
 */
const MARKUP_CHARS = new Set(['*', '_', '~', '|', '`', '[', ']']);
const BARE_URL = /\bhttps?:\/\/[^\s<>]+/gi;

/** Quoted text keeps its line breaks (up to one blank line); `max` defaults to a message's content limit. */
export function escapeQuoted(text: string, max: number = MESSAGE_CONTENT_MAX): string {
  return inert(text, max, false);
}

/** Names and labels (a moderator's name, a network's display name): one line. */
export function escapeInline(text: string, max: number = MESSAGE_CONTENT_MAX): string {
  return inert(text, max, true);
}

/**
 * For places Discord shows verbatim, where a backslash would be visible: thread names and
 * button labels render no markdown and ping no one, but still must not carry invisible or
 * control characters, newlines or more than `max` characters.
 */
export function plainText(text: string, max: number): string {
  const { text: bounded, cut } = bound(text, max);
  const clean = normalise(bounded, true);
  return truncate(cut ? `${clean}…` : clean, max);
}

function inert(text: string, max: number, oneLine: boolean): string {
  const { text: bounded, cut } = bound(text, max);
  let s = normalise(bounded, oneLine);
  s = escapeMarkdown(s, ESCAPE_ALL);
  s = escapeLineStarts(s);
  s = escapeRemaining(s);
  s = neutraliseMentions(s);
  return dropDanglingEscape(truncate(cut ? `${s}…` : s, max));
}

/** A cut between a backslash and the character it escaped would show the backslash. */
function dropDanglingEscape(text: string): string {
  return text.replace(/(?<!\\)((?:\\\\)*)\\…$/, '$1…');
}

/**
 * Work on at most a few times `max`: a 1 MB post costs no more than a 10 kB one. Escaping
 * only grows text, so the bound loses nothing that could have been shown, unless the input
 * is mostly invisible characters, in which case the '…' still says it was cut.
 */
function bound(text: string, max: number): { text: string; cut: boolean } {
  const cap = Math.max(max, 1) * 4 + 64;
  if (text.length <= cap) return { text, cut: false };
  const code = text.charCodeAt(cap - 1);
  return { text: text.slice(0, code >= 0xd800 && code <= 0xdbff ? cap - 1 : cap), cut: true };
}

function normalise(text: string, oneLine: boolean): string {
  let s = text.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n').replace(/\t/g, ' ');
  s = s.replace(INVISIBLE, '');
  if (oneLine) return s.replace(/\s*\n\s*/g, ' ').trim();
  // A run of blank lines (possibly holding spaces) becomes one blank line.
  return s.replace(/\n(?:[ \t]*\n){2,}/g, '\n\n').trim();
}

/** Block quotes (`>`, `>>>`) and subtext (`-#`) at a line start, which escapeMarkdown skips. */
function escapeLineStarts(text: string): string {
  return text.replace(/^([ \t]*)(>|-#)/gm, '$1\\$2');
}

/**
 * Escapes every markup character not already escaped. A character is escaped when an odd
 * number of backslashes precede it (escapeMarkdown's `escape` option has doubled the
 * original backslashes, so only its own escapes are odd).
 */
function escapeRemaining(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(BARE_URL)) {
    out += escapeRun(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapeRun(text.slice(last));
}

function escapeRun(run: string): string {
  let out = '';
  let backslashes = 0;
  for (const ch of run) {
    if (MARKUP_CHARS.has(ch) && backslashes % 2 === 0) out += '\\';
    out += ch;
    backslashes = ch === '\\' ? backslashes + 1 : 0;
  }
  return out;
}

/**
 * `@everyone`, `@here` and `<@id>`, `<@!id>`, `<@&id>`, `<#id>`, `</cmd:id>` stop being
 * mention syntax once a zero-width space follows the '@' or '<'. Applied last, after the
 * invisible characters were stripped, so this is the only zero-width space in the result.
 */
function neutraliseMentions(text: string): string {
  return text.replace(/@(?=everyone|here)/gi, `@${ZWSP}`).replace(/<(?=[@#/])/g, `<${ZWSP}`);
}
