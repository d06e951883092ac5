import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config';
import { incidentPageUrl, publicBasePath } from '../../src/http/links';

/** The `http:` section: status page keys, Bull Board credentials from the environment. */
const base = (http: string) =>
  `networks:\n  - { name: a, chainId: 1, blockTime: 1s, endpoints: [{ label: x, url: "http://127.0.0.1:8545" }] }\nhttp: ${http}\n`;

function issuesOf(yaml: string, env: Record<string, string | undefined> = {}): string[] {
  try {
    parseConfig(yaml, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  }
  return assert.fail('expected a ConfigError');
}

test('defaults: status page on, default title, loopback, no public URL, no Bull Board', () => {
  assert.deepEqual(parseConfig(base('{}'), {}).http, { port: 9464, host: '127.0.0.1', statusPage: true, title: 'chainwatch status' });
  assert.equal(parseConfig(base('null'), {}).http, undefined, 'an empty http: key is off, as before');
});

test('publicUrl, statusPage and title', () => {
  const http = parseConfig(
    base('{ publicUrl: "https://status.example.org/chains/", statusPage: false, title: "Example status" }'),
    {},
  ).http;
  assert.deepEqual(http, {
    port: 9464,
    host: '127.0.0.1',
    publicUrl: 'https://status.example.org/chains',
    statusPage: false,
    title: 'Example status',
  });
});

test('clear errors naming the key', () => {
  assert.deepEqual(issuesOf(base('{ publicUrl: "ftp://x.example", statusPage: "yes", title: "" }')), [
    'http.publicUrl: protocol must be http(s)',
    'http.statusPage: must be true or false',
    'http.title: must not be empty',
  ]);
  assert.deepEqual(issuesOf(base('{ publicUrl: "https://x.example/?a=1" }')), [
    'http.publicUrl: must be a base URL without ?query or #fragment',
  ]);
  assert.deepEqual(issuesOf(base('{ publicURL: "https://x.example" }')), ['http.publicURL: unknown key (did you mean "publicUrl"?)']);
  assert.deepEqual(issuesOf(base('{ statuspage: true }')), ['http.statuspage: unknown key (did you mean "statusPage"?)']);
});

test('Bull Board credentials from the environment or *_FILE, both or neither, never quoted', () => {
  const env = { CHAINWATCH_ADMIN_USER: 'ops', CHAINWATCH_ADMIN_PASSWORD: 's3cret-pass' };
  assert.deepEqual(parseConfig(base('{}'), env).http?.admin, { user: 'ops', password: 's3cret-pass' });
  const files: Record<string, string> = { '/run/secrets/pw': 'from-file\n' };
  const fromFile = parseConfig(
    base('{}'),
    { CHAINWATCH_ADMIN_USER: 'ops', CHAINWATCH_ADMIN_PASSWORD_FILE: '/run/secrets/pw' },
    { readFile: (p) => files[p]! },
  );
  assert.deepEqual(fromFile.http?.admin, { user: 'ops', password: 'from-file' });
  const one = issuesOf(base('{}'), { CHAINWATCH_ADMIN_PASSWORD: 's3cret-pass' });
  assert.deepEqual(one, [
    'http: Bull Board needs both CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD (or *_FILE); CHAINWATCH_ADMIN_USER is missing',
  ]);
  assert.ok(!one.join('\n').includes('s3cret'));
  assert.deepEqual(issuesOf(base('{}'), { CHAINWATCH_ADMIN_USER: 'a:b', CHAINWATCH_ADMIN_PASSWORD: 'x' }), [
    'http: CHAINWATCH_ADMIN_USER must not contain ":" (HTTP Basic splits on it)',
  ]);
  assert.equal(parseConfig(base('{}').replace(/http: .*\n/, ''), env).http, undefined, 'no http section: credentials unused');
});

test('incidentPageUrl: only with a public URL and the page on', () => {
  const on = { http: { port: 1, host: 'h', publicUrl: 'https://status.example.org/x', statusPage: true, title: 't' } };
  assert.equal(incidentPageUrl(on, 'megaeth-20250307T120301Z'), 'https://status.example.org/x/incident/megaeth-20250307T120301Z');
  assert.equal(incidentPageUrl({ http: { ...on.http, statusPage: false } }, 'a-20250307T120301Z'), undefined);
  assert.equal(incidentPageUrl({ http: { port: 1, host: 'h' } }, 'a-20250307T120301Z'), undefined);
  assert.equal(incidentPageUrl({}, 'a-20250307T120301Z'), undefined);
  assert.equal(publicBasePath('https://status.example.org/x'), '/x');
  assert.equal(publicBasePath('https://status.example.org'), '');
  assert.equal(publicBasePath(undefined), '');
});
