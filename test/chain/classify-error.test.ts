import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HttpRequestError,
  InternalRpcError,
  InvalidInputRpcError,
  LimitExceededRpcError,
  ResponseBodyTooLargeError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  UnknownRpcError,
  WebSocketRequestError,
} from 'viem';
import { classifyRpcError, ResponseIdMismatchError } from '../../src/chain/classify-error';
import { redactUrls } from '../../src/util/redact';

// Every error below carries this URL, as viem's would; no message may show any of it.
const url = 'https://rpc.example.com/v2/KEYPATH?apikey=SECRET123';
const body = { method: 'eth_getBlockByNumber', params: ['latest', false] };

function systemError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function assertRedacted(message: string): void {
  for (const part of ['SECRET123', 'KEYPATH', 'rpc.example.com', 'https://']) {
    assert.ok(!message.includes(part), `"${message}" leaks ${part}`);
  }
  assert.ok(message.length <= 160, `"${message}" is too long`);
}

const cases: { name: string; err: unknown; kind: string; status?: number; message?: RegExp; detail?: RegExp }[] = [
  { name: 'viem TimeoutError', err: new TimeoutError({ body, url }), kind: 'timeout', message: /timed out/ },
  {
    name: 'DOMException TimeoutError (AbortSignal.timeout)',
    err: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    kind: 'timeout',
  },
  {
    name: 'HTTP 500',
    err: new HttpRequestError({ body, url, status: 500, details: '"Internal Server Error"' }),
    kind: 'http',
    status: 500,
    message: /^HTTP 500 \(server error\)$/,
    detail: /^Internal Server Error$/,
  },
  {
    name: 'HTTP 429 with a non-RPC JSON body',
    err: new HttpRequestError({ body, url, status: 429, details: '"too many requests"' }),
    kind: 'http',
    status: 429,
  },
  {
    name: 'HTTP 429 whose body is a JSON-RPC error (viem wraps it per code)',
    err: new LimitExceededRpcError(new RpcRequestError({ body, url, status: 429, error: { code: -32005, message: 'rate limited' } })),
    kind: 'http',
    status: 429,
    message: /^HTTP 429 \(rate limited\)$/,
    detail: /^rate limited$/,
  },
  {
    name: 'refused connection (fetch failed, ECONNREFUSED)',
    err: new HttpRequestError({
      body,
      url,
      cause: new TypeError('fetch failed', { cause: systemError('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED') }),
    }),
    kind: 'unreachable',
    message: /^connection failed \(ECONNREFUSED\)$/,
  },
  {
    name: 'socket hang up (undici other side closed)',
    err: new HttpRequestError({
      body,
      url,
      cause: new TypeError('fetch failed', { cause: systemError('other side closed', 'UND_ERR_SOCKET') }),
    }),
    kind: 'unreachable',
    message: /UND_ERR_SOCKET/,
  },
  {
    name: 'DNS failure names the code, not the host',
    err: new HttpRequestError({
      body,
      url,
      cause: new TypeError('fetch failed', { cause: systemError('getaddrinfo ENOTFOUND rpc.example.com', 'ENOTFOUND') }),
    }),
    kind: 'unreachable',
    message: /ENOTFOUND/,
  },
  {
    name: '200 with a non-JSON body',
    err: new HttpRequestError({ body, url, cause: new SyntaxError('Unexpected token \'<\', "<html>" is not valid JSON') }),
    kind: 'malformed',
    message: /not JSON/,
  },
  {
    name: 'JSON-RPC error, unmapped code',
    err: new RpcRequestError({ body, url, error: { code: -39001, message: 'unknown block' } }),
    kind: 'rpc',
    status: -39001,
    message: /^RPC error -39001$/,
    detail: /^unknown block$/,
  },
  {
    name: 'JSON-RPC error mapped by viem (-32000 InvalidInputRpcError)',
    err: new InvalidInputRpcError(new RpcRequestError({ body, url, error: { code: -32000, message: 'header not found' } })),
    kind: 'rpc',
    status: -32000,
    message: /^RPC error -32000 \(server error\)$/,
    detail: /header not found/,
  },
  {
    name: 'JSON-RPC internal error (-32603)',
    err: new InternalRpcError(new RpcRequestError({ body, url, error: { code: -32603, message: `boom at ${url}` } })),
    kind: 'rpc',
    status: -32603,
    message: /^RPC error -32603 \(internal error\)$/,
    detail: /^boom at <url>$/,
  },
  {
    name: 'response too large',
    err: new ResponseBodyTooLargeError({ maxSize: 10, size: 20 }),
    kind: 'malformed',
  },
  {
    name: 'WebSocket closed',
    err: new WebSocketRequestError({ body, url, cause: new SocketClosedError({ url }) }),
    kind: 'unreachable',
  },
  {
    name: 'WebSocket ErrorEvent wrapped by viem as UnknownRpcError (code -1 is not a JSON-RPC code)',
    err: new UnknownRpcError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
        error: systemError('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
      }),
    ),
    kind: 'unreachable',
    message: /ECONNREFUSED/,
  },
  { name: 'plain Error quoting the URL', err: new Error(`request to ${url} failed`), kind: 'unreachable' },
  { name: 'a thrown string', err: `failed ${url}`, kind: 'unreachable' },
  { name: 'undefined', err: undefined, kind: 'unreachable' },
];

for (const c of cases) {
  test(`classifyRpcError: ${c.name} -> ${c.kind}`, () => {
    const got = classifyRpcError(c.err);
    assert.equal(got.kind, c.kind);
    assert.equal(got.status, c.status);
    if (c.message) assert.match(got.message, c.message);
    if (c.detail) assert.match(got.detail ?? '', c.detail);
    assert.ok(got.message.length > 0);
    assertRedacted(got.message);
    if (got.detail) assertRedacted(got.detail);
  });
}

test('classifyRpcError: long server messages are cut, and only ever in the detail', () => {
  const err = new RpcRequestError({ body, url, error: { code: -32000, message: 'x '.repeat(1000) } });
  const got = classifyRpcError(err);
  assert.equal(got.kind, 'rpc');
  assert.equal(got.message, 'RPC error -32000 (server error)');
  assert.ok(got.detail!.length <= 200);
  assert.ok(got.detail!.endsWith('…'));
});

test('classifyRpcError: an upstream body with a key and terminal escapes is never in the message, and safe in the detail', () => {
  const key = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc'].join('_');
  const err = new InvalidInputRpcError(
    new RpcRequestError({
      body,
      url,
      error: { code: -32000, message: `\u001b[31minvalid api key ${key}\u001b[0m\u0007 see https://x.io/k` },
    }),
  );
  const got = classifyRpcError(err);
  assert.equal(got.message, 'RPC error -32000 (server error)');
  assert.equal(got.detail, 'invalid api key <redacted> see <url>');
  assert.doesNotMatch(JSON.stringify(got), /\\u001b|\u0007|sk_live/);
});

test('classifyRpcError: a JSON-RPC answer to another request is malformed', () => {
  assert.deepEqual(classifyRpcError(new ResponseIdMismatchError()), {
    kind: 'malformed',
    message: 'JSON-RPC response id does not match the request',
  });
});

test('classifyRpcError: viem messages do carry the URL, which is why they are never used', () => {
  const err = new HttpRequestError({ body, url, status: 500 });
  assert.ok(err.message.includes('SECRET123'));
  assertRedacted(classifyRpcError(err).message);
});

test('redactUrls replaces every URL and keeps the rest', () => {
  assert.equal(redactUrls('a https://x.io/k?apikey=1 b wss://y/z c'), 'a <url> b <url> c');
});
