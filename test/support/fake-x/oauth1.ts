// OAuth 1.0a user context as X checks it (RFC 5849 §3.4.1, HMAC-SHA1): the signature covers the
// method, the base URL the client used and the query and oauth_* parameters; a JSON body is not
// signed. twitter-api-v2 signs the URL after plugins rewrote it, so the base URL is this fake's.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `OAuth k="v", …` -> { k: v } with values percent-decoded; null when it is not an OAuth header. */
export function parseOAuthHeader(header: string): Record<string, string> | null {
  if (!/^OAuth\s/i.test(header)) return null;
  const out: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([A-Za-z0-9_]+)="([^"]*)"/g)) {
    try {
      out[m[1]!] = decodeURIComponent(m[2]!);
    } catch {
      return null;
    }
  }
  return out;
}

export function oauthSignature(
  method: string,
  baseUrl: string,
  params: [string, string][],
  consumerSecret: string,
  tokenSecret: string,
): string {
  const encoded = params.map(([k, v]) => [percentEncode(k), percentEncode(v)] as const);
  encoded.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const paramString = encoded.map(([k, v]) => `${k}=${v}`).join('&');
  const base = `${method.toUpperCase()}&${percentEncode(baseUrl)}&${percentEncode(paramString)}`;
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(base).digest('base64');
}

/** Checks `oauth_signature` against the request as this server received it. */
export function verifyOAuth1(
  oauth: Record<string, string>,
  method: string,
  baseUrl: string,
  query: URLSearchParams,
  consumerSecret: string,
  tokenSecret: string,
): boolean {
  const given = oauth.oauth_signature;
  if (!given || oauth.oauth_signature_method !== 'HMAC-SHA1') return false;
  const params: [string, string][] = [...query.entries()];
  for (const [k, v] of Object.entries(oauth)) if (k.startsWith('oauth_') && k !== 'oauth_signature') params.push([k, v]);
  const expected = Buffer.from(oauthSignature(method, baseUrl, params, consumerSecret, tokenSecret));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
