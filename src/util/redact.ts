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
