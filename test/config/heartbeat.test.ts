/** The `heartbeat:` section: the URL from the environment, the service from its shape, bounds on `every`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config';
import { detectHeartbeatKind } from '../../src/config/heartbeat';

const NETWORKS = 'networks:\n  - { name: megaeth, chain: megaeth }\n';
const UUID = '5f0d8c4e-1b2a-4c3d-9e8f-0a1b2c3d4e5f';
const SECRET_URL = `https://hc-ping.com/${UUID}`;

function issues(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(text, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

test('the URL comes from the environment; every defaults to 60 s; the kind from the URL', () => {
  const c = parseConfig(`${NETWORKS}heartbeat:\n  url: \${HEARTBEAT_URL}\n`, { HEARTBEAT_URL: SECRET_URL });
  assert.deepEqual(c.heartbeat, { url: SECRET_URL, everyMs: 60_000, kind: 'healthchecks' });
  const d = parseConfig(`${NETWORKS}heartbeat:\n  url: \${HEARTBEAT_URL}\n  every: 10s\n  kind: plain\n`, { HEARTBEAT_URL: SECRET_URL });
  assert.deepEqual(d.heartbeat, { url: SECRET_URL, everyMs: 10_000, kind: 'plain' }, 'an explicit kind wins over the shape');
  assert.equal(parseConfig(NETWORKS, {}).heartbeat, undefined, 'no section, no heartbeat');
});

test('the service is read from the URL shape, plain when it says nothing', () => {
  const cases: [string, string][] = [
    [`https://hc-ping.com/${UUID}`, 'healthchecks'],
    ['https://hc-ping.com/ping-key-123/backup-job', 'healthchecks'],
    [`https://hc.example.org/ping/${UUID}`, 'healthchecks'],
    ['https://hc.example.org/ping/abcKEY/chainwatch', 'healthchecks'],
    ['https://kuma.example.org/api/push/Ab12Cd34?status=up&msg=OK&ping=', 'uptime-kuma'],
    ['http://127.0.0.1:3001/api/push/tok/', 'uptime-kuma'],
    ['https://uptime.betterstack.com/api/v1/heartbeat/abcdEFGH', 'betterstack'],
    ['https://status.example.org/api/v1/heartbeat/abcdEFGH', 'betterstack'],
    ['https://example.org/ping', 'plain'],
    ['https://example.org/ping/not-a-uuid', 'plain'],
    ['https://example.org/hooks/alive?key=1', 'plain'],
  ];
  assert.deepEqual(
    cases.map(([url]) => [url, detectHeartbeatKind(new URL(url))]),
    cases,
  );
});

test('every is bounded to 10 s .. 1 h and must be a duration', () => {
  const env = { HEARTBEAT_URL: SECRET_URL };
  for (const every of ['5s', '2h', 'soon', '-1m']) {
    assert.deepEqual(issues(`${NETWORKS}heartbeat:\n  url: \${HEARTBEAT_URL}\n  every: "${every}"\n`, env), [
      'heartbeat.every: not a duration from 10s to 1h (e.g. "60s")',
    ]);
  }
  assert.equal(parseConfig(`${NETWORKS}heartbeat:\n  url: \${HEARTBEAT_URL}\n  every: 1h\n`, env).heartbeat?.everyMs, 3_600_000);
});

test('bad URLs and kinds are named, and no message quotes the URL', () => {
  const bad: [string, string][] = [
    ['ftp://example.org/x', 'heartbeat.url: protocol must be http(s)'],
    ['not a url', 'heartbeat.url: not a URL (write it as ${HEARTBEAT_URL} and set the variable)'],
    [`${SECRET_URL}/fail`, "heartbeat.url: ends in /fail: give the check's ping URL (chainwatch adds /fail itself while it is blind)"],
    [`${SECRET_URL}/0`, "heartbeat.url: ends in /0: give the check's ping URL (chainwatch adds /fail itself while it is blind)"],
    [
      'https://uptime.betterstack.com/api/v1/heartbeat/tok/fail',
      "heartbeat.url: ends in /fail: give the check's ping URL (chainwatch adds /fail itself while it is blind)",
    ],
    [`${SECRET_URL}#x`, 'heartbeat.url: must not have a #fragment'],
  ];
  for (const [url, expected] of bad) {
    const found = issues(`${NETWORKS}heartbeat:\n  url: \${HEARTBEAT_URL}\n`, { HEARTBEAT_URL: url });
    assert.deepEqual(found, [expected], url);
    assert.ok(!found.join('\n').includes(UUID), 'the key never appears in a message');
  }
  assert.deepEqual(issues(`${NETWORKS}heartbeat:\n  every: 1m\n`), ['heartbeat.url: required']);
  assert.deepEqual(issues(`${NETWORKS}heartbeat:\n  url: \${HEARTBEAT_URL}\n`), [
    'heartbeat.url: environment variable HEARTBEAT_URL is not set',
  ]);
  const kind = issues(`${NETWORKS}heartbeat:\n  url: \${HEARTBEAT_URL}\n  kind: pagerduty\n  evry: 1m\n`, { HEARTBEAT_URL: SECRET_URL });
  assert.deepEqual(kind, [
    'heartbeat.kind: must be one of healthchecks, uptime-kuma, betterstack, plain',
    'heartbeat.evry: unknown key (did you mean "every"?)',
  ]);
});

test("the heartbeat section's problems are listed beside those of other sections", () => {
  const found = issues(`networks:\n  - { name: megaeth, chain: nochain }\nheartbeat:\n  url: \${HEARTBEAT_URL}\n  every: 1s\n`, {
    HEARTBEAT_URL: SECRET_URL,
  });
  assert.ok(
    found.some((i) => i.startsWith('networks[0].chain')),
    found.join('\n'),
  );
  assert.ok(found.includes('heartbeat.every: not a duration from 10s to 1h (e.g. "60s")'), found.join('\n'));
});
