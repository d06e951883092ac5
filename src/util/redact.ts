/** Text that may carry a secret, made safe to print, log or publish. */

/** `redis://user:pass@host:6379/0` -> `redis://host:6379/0`: safe to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '[invalid url]';
  }
}

/** Removes URLs from text that may quote one (e.g. an upstream error body). */
export function redactUrls(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi, '<url>');
}

/**
 * Key-like tokens: long runs of letters and digits as API keys are written (`sk_live_…`,
 * 32-hex keys, JWTs). Ordinary words and block hashes in error text are shorter or hex with a
 * 0x prefix, which is kept (a hash is evidence, not a secret).
 */
const KEY_LIKE = /\b(?!0x)(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}\b/g;
/** C0 and C1 controls, DEL, and the escape sequences terminals act on (CSI, OSC). */
const TERMINAL_ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u0000-\u001f\u007f-\u009f]/g;
/** Zero-width and bidi controls: they hide or reorder text on a page and in a terminal. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Text an upstream service wrote (an RPC provider's error body, a scrape's answer) made safe to
 * log: its first line, URLs and key-like tokens redacted, control characters and terminal
 * escapes removed, white space folded, cut to `max` characters. Never published: public text
 * carries only chainwatch's classified summary.
 */
export function safeUpstreamText(text: string, max = 200): string {
  const line = (text.split(/\r?\n/)[0] ?? '').replace(TERMINAL_ESCAPES, ' ').replace(INVISIBLE, '');
  const clean = redactUrls(line).replace(KEY_LIKE, '<redacted>').replace(/\s+/g, ' ').replace(/^"|"$/g, '').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
