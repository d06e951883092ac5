/** The request each heartbeat service gets for each verdict, and the reasons it carries (pure). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanReason, pingRequest, type HeartbeatVerdict } from '../../jobs/heartbeat';

const UUID = '0b6c9f3e-7a41-4d2e-8f10-3c5d7e9a1b2c';
const BLIND: HeartbeatVerdict = { kind: 'blind', since: Date.parse('2026-12-01T12:00:00Z'), reason: 'every endpoint unreachable' };

test('the request per service: success, failure signal, or nothing', () => {
  const hc = { url: `https://hc-ping.com/${UUID}`, kind: 'healthchecks' } as const;
  assert.deepEqual(pingRequest(hc, { kind: 'working' }), { url: hc.url, method: 'GET', headers: { 'user-agent': 'chainwatch-heartbeat' } });
  const fail = pingRequest(hc, BLIND);
  assert.equal(fail?.url, `${hc.url}/fail`);
  assert.equal(fail?.method, 'POST');
  assert.equal(fail?.body, 'chainwatch is blind since 2026-12-01T12:00:00.000Z: every endpoint unreachable');
  assert.equal(pingRequest(hc, { kind: 'not-working', reason: 'network x not observed for 90 s' }), null, 'not working: silence');

  const kuma = { url: 'https://kuma.example.org/api/push/Tok123?status=up&msg=OK&ping=', kind: 'uptime-kuma' } as const;
  assert.equal(pingRequest(kuma, { kind: 'working' })?.url, 'https://kuma.example.org/api/push/Tok123?status=up&msg=OK');
  const down = new URL(pingRequest(kuma, BLIND)!.url);
  assert.deepEqual(
    [down.pathname, down.searchParams.get('status'), down.searchParams.get('msg')?.slice(0, 19)],
    ['/api/push/Tok123', 'down', 'chainwatch is blind'],
  );

  const bs = { url: 'https://uptime.betterstack.com/api/v1/heartbeat/abc/', kind: 'betterstack' } as const;
  assert.equal(pingRequest(bs, { kind: 'working' })?.url, bs.url);
  assert.equal(pingRequest(bs, BLIND)?.url, 'https://uptime.betterstack.com/api/v1/heartbeat/abc/fail');

  const plain = { url: 'https://user:p%40ss@example.org/alive?k=1', kind: 'plain' } as const;
  const req = pingRequest(plain, { kind: 'working' });
  assert.equal(req?.url, 'https://example.org/alive?k=1', 'credentials leave the URL');
  assert.equal(req?.headers.authorization, `Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  assert.equal(pingRequest(plain, BLIND), null, 'plain: no failure signal, silence');
});

test('reasons are made inert: no controls, no bidi tricks, no URLs, one line, cut', () => {
  const raw = 'dns\u001b[31m failed\n\tfor https://rpc.example.org/v2/SECRETKEY \u202etxt\u0000 ' + 'x'.repeat(400);
  const clean = cleanReason(raw);
  assert.equal(clean.length, 300);
  assert.ok(clean.endsWith('…'));
  assert.ok(clean.startsWith('dns [31m failed for <url> txt x'), clean.slice(0, 40));
  assert.doesNotMatch(clean, /[\u0000-\u001f\u202e]|SECRETKEY/);
});
