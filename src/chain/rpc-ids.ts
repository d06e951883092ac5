/**
 * JSON-RPC response ids, checked. viem 2.57 never compares a response's `id` with the request's
 * over HTTP (test/fakes/hostile-rpc.test.ts pins it: a single request takes an answer with
 * another id, a batch hands out results by the ids the server chose). A server that mislabels
 * its answers is not to be believed about the head either: the answer is `malformed`.
 *
 * The check runs as viem's `fetchFn`, inside viem's timeout (the abort signal reaches the body
 * read) and under viem's own body cap, so nothing else about a request changes.
 */
import { ResponseBodyTooLargeError } from 'viem';
import { ResponseIdMismatchError } from './classify-error';

/** viem's default `maxResponseBodySize`: the check reads no more than viem would. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch for viem's http transport that refuses a 2xx JSON answer whose ids are not the
 * request's. Non-2xx and non-JSON answers go back to viem unread by us, to classify as before.
 */
export function idCheckingFetch(inner: Fetch = fetch, maxBytes = MAX_RESPONSE_BYTES): Fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (!res.ok) return res;
    const text = await readBounded(res, maxBytes);
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (answer !== undefined && !idsMatch(parseSent(init?.body), answer)) throw new ResponseIdMismatchError();
    const type = res.headers.get('content-type');
    return new Response(text, { status: res.status, statusText: res.statusText, headers: type ? { 'content-type': type } : {} });
  };
}

type Id = string | number | null;

function parseSent(body: unknown): unknown {
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The same id (same type too: `1` is not `"1"`); `null` only on an error (the spec's answer when
 * the server could not read the id). A batch answers each request id once, in any order; a
 * batch whose server swaps results between ids cannot be told from ids alone, which is why our
 * clients never batch (src/chain/client.ts).
 */
export function idsMatch(sent: unknown, answer: unknown): boolean {
  if (Array.isArray(sent)) {
    if (!Array.isArray(answer)) return isNullIdError(answer);
    const expected = new Set(sent.map((r) => idOf(r)).filter((id) => id !== undefined));
    const seen = new Set<Id>();
    for (const a of answer) {
      const id = idOf(a);
      if (id === null && isNullIdError(a)) continue;
      if (id === undefined || !expected.has(id) || seen.has(id)) return false;
      seen.add(id);
    }
    return true;
  }
  if (sent === undefined || sent === null || typeof sent !== 'object') return true;
  if (Array.isArray(answer) || answer === null || typeof answer !== 'object') return false;
  const id = idOf(answer);
  return id === idOf(sent) || (id === null && isNullIdError(answer));
}

function idOf(x: unknown): Id | undefined {
  const id = (x as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' || id === null ? id : undefined;
}

function isNullIdError(x: unknown): boolean {
  const a = x as { id?: unknown; error?: unknown } | null;
  return !!a && typeof a === 'object' && a.id === null && typeof a.error === 'object' && a.error !== null;
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseBodyTooLargeError({ maxSize: maxBytes, size: declared });
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseBodyTooLargeError({ maxSize: maxBytes, size });
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
