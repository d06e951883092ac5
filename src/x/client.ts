/**
 * twitter-api-v2 clients for the X source (app-only bearer, for search) and the X publisher
 * (OAuth 1.0a user context, for posting). The library hard-codes `https://api.x.com/2/`; for an
 * egress proxy or a test fake, a plugin rewrites the URL before the request is built and, for an
 * http: base, an http Agent is passed (the library calls https.request otherwise, which refuses
 * http: URLs). See reference/apis.md §2.
 *
 * Tokens are only passed in and handed to the library: never logged, never put in errors.
 */
import http from 'node:http';
import { type ITwitterApiClientPlugin, TwitterApi, type TwitterApiReadOnly } from 'twitter-api-v2';

export const X_API_ORIGIN = 'https://api.x.com';

export interface XUserCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface XClientConfig {
  /** `https://api.x.com`, or an origin standing in for it (egress proxy, local fake). */
  apiBaseUrl: string;
  /** App-only bearer token: reading (recent search). */
  bearerToken?: string;
  /** The auto-posting account (OAuth 1.0a user context): posting, its own timeline. */
  user?: XUserCredentials;
}

export interface XClients {
  read: TwitterApiReadOnly | null;
  write: TwitterApi | null;
}

/**
 * Normalizes and checks the base URL: an origin only. A path prefix would break the library's
 * body-type detection (it sends JSON only to paths starting with `/2/`).
 */
export function normalizeApiBaseUrl(apiBaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    throw new Error(`X apiBaseUrl is not a URL: ${JSON.stringify(apiBaseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`X apiBaseUrl must be http(s): ${url.protocol}`);
  if (url.pathname !== '/' || url.search || url.hash)
    throw new Error(`X apiBaseUrl must be an origin without a path: ${url.origin}${url.pathname}`);
  if (url.username || url.password) throw new Error('X apiBaseUrl must not carry credentials');
  return url.origin;
}

/** Plugin that sends the library's `https://api.x.com/...` requests to `origin` instead. */
export function apiRedirectPlugin(origin: string): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig(args) {
      if (args.params.url.startsWith(X_API_ORIGIN)) args.params.url = origin + args.params.url.slice(X_API_ORIGIN.length);
    },
  };
}

function settingsFor(origin: string): Partial<{ plugins: ITwitterApiClientPlugin[]; httpAgent: http.Agent }> {
  if (origin === X_API_ORIGIN) return {};
  const plugins = [apiRedirectPlugin(origin)];
  return origin.startsWith('http:') ? { plugins, httpAgent: new http.Agent({ keepAlive: true }) } : { plugins };
}

export function createXClients(config: XClientConfig): XClients {
  const origin = normalizeApiBaseUrl(config.apiBaseUrl);
  const read = config.bearerToken ? new TwitterApi(config.bearerToken, settingsFor(origin)).readOnly : null;
  const u = config.user;
  const write = u
    ? new TwitterApi(
        { appKey: u.appKey, appSecret: u.appSecret, accessToken: u.accessToken, accessSecret: u.accessSecret },
        settingsFor(origin),
      )
    : null;
  return { read, write };
}
