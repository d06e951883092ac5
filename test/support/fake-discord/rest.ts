// HTTP side of the fake: parses requests the way Discord accepts them (JSON or multipart with
// `payload_json`, https://discord.com/developers/docs/reference#uploading-files), checks the bot
// token, applies injected faults, routes, and answers with Discord's rate-limit headers
// (https://discord.com/developers/docs/topics/rate-limits#header-format).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeFile } from './attachments';
import { type ApiAnswer, apiError, errors } from './limits';
import type { FailAnswer, FakeState, RecordedFile, RecordedRequest } from './state';

export interface RouteContext {
  state: FakeState;
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
  params: string[];
}
export type Handler = (ctx: RouteContext) => ApiAnswer | Promise<ApiAnswer>;
export interface Route {
  method: string;
  pattern: RegExp;
  /** false for routes authenticated by the token in the URL (interaction callbacks, webhooks). */
  auth: boolean;
  handler: Handler;
}

const API_PREFIX = '/api/v10';
/** "The maximum request size when sending a message is 25 MiB" (Create Message). */
const MAX_BODY = 25 * 1024 * 1024;
/** Bucket numbers the fake advertises: generous, constant, so clients never wait on us unasked. */
const LIMIT = 5;
const RESET_AFTER = 1;

function bucketOf(key: string): string {
  return createHash('md5').update(key).digest('hex');
}

function rateLimitHeaders(bucket: string, remaining = LIMIT - 1, resetAfter = RESET_AFTER): Record<string, string> {
  return {
    'x-ratelimit-limit': String(LIMIT),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': resetAfter.toFixed(3),
    'x-ratelimit-bucket': bucket,
  };
}

/** Answer for an injected fault, shaped like the real one. */
function faultAnswer(a: FailAnswer, bucket: string): ApiAnswer {
  if (a.status === 429 && 'retryAfterSec' in a) {
    const global = a.global ?? a.scope === 'global';
    const scope = a.scope ?? (global ? 'global' : 'user');
    // The documented global example carries only Retry-After, X-RateLimit-Global and -Scope.
    const headers: Record<string, string> = global ? { 'x-ratelimit-global': 'true' } : { ...rateLimitHeaders(bucket, 0, a.retryAfterSec) };
    headers['retry-after'] = String(Math.ceil(a.retryAfterSec));
    headers['x-ratelimit-scope'] = scope;
    const message = scope === 'shared' ? 'The resource is being rate limited.' : 'You are being rate limited.';
    const body = { message, retry_after: a.retryAfterSec, global, ...(a.code !== undefined ? { code: a.code } : {}) };
    return { status: 429, body, headers };
  }
  if ('code' in a && 'message' in a) return apiError(a.status, a.code, a.message);
  const text: Record<number, string> = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
  return apiError(a.status, 0, `${a.status}: ${text[a.status] ?? 'Server Error'}`);
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: RecordedFile[] } | 'invalid'> {
  if (raw.length === 0) return { body: undefined, files: [] };
  try {
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const files: RecordedFile[] = [];
      let body: unknown;
      for (const [field, value] of form) {
        if (typeof value === 'string') {
          if (field === 'payload_json') body = JSON.parse(value);
        } else {
          files.push(describeFile(field, value.name, value.type, Buffer.from(await value.arrayBuffer())));
        }
      }
      return { body, files };
    }
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return 'invalid';
  }
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function redact(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  if (out.authorization !== undefined) out.authorization = out.authorization.startsWith('Bot ') ? 'Bot [redacted]' : '[redacted]';
  return out;
}

export function createRestHandler(state: FakeState, routes: Route[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://fake-discord');
    const versioned = url.pathname.startsWith(`${API_PREFIX}/`);
    // @discordjs/rest percent-encodes path segments (`/messages/%40original`); Discord decodes them.
    const decoded = safeDecode(url.pathname);
    const path = versioned ? decoded.slice(API_PREFIX.length) : decoded;
    const authorized = req.headers.authorization === `Bot ${state.opts.token}`;
    const raw = await readBody(req);
    const parsed = raw ? await parseBody(raw, req.headers['content-type'] ?? '') : { body: undefined, files: [] };
    const body = parsed === 'invalid' ? raw?.toString('utf8') : parsed.body;
    const files = parsed === 'invalid' ? [] : parsed.files;

    let answer: ApiAnswer;
    let bucketKey = `${method} ${path}`;
    try {
      const route = versioned ? routes.find((r) => r.method === method && r.pattern.test(path)) : undefined;
      if (route) bucketKey = `${method} ${route.pattern.source}`;
      const fault = state.faults.take(method, path);
      if (fault) answer = faultAnswer(fault, bucketOf(bucketKey));
      else if (!raw) answer = errors.tooLarge();
      else if (!route) answer = errors.notFound();
      else if (route.auth && !authorized) answer = errors.unauthorized();
      else if (parsed === 'invalid') answer = apiError(400, 50109, 'The request body contains invalid JSON.');
      else {
        const params = (route.pattern.exec(path) ?? []).slice(1).map((p) => p ?? '');
        answer = await route.handler({ state, method, path, query: url.searchParams, body, files, params });
      }
    } catch (err) {
      // A bug in the fake should look like a Discord 500, and be visible in the test output.
      console.error('fake-discord handler error', err);
      answer = apiError(500, 0, '500: Internal Server Error');
    }

    await state.faults.holdIfArmed({ method, path, body, remotePort: req.socket.remotePort, at });
    const headers: Record<string, string> = answer.headers ?? rateLimitHeaders(bucketOf(bucketKey));
    const payload = answer.body === undefined ? undefined : JSON.stringify(answer.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    res.writeHead(answer.status, headers);
    res.end(payload);

    const recorded: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: redact(req.headers),
      authorized,
      at,
      status: answer.status,
      ...(files.length ? { files } : {}),
    };
    state.record(recorded);
  };
}
