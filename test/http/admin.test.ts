import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBasicAuth } from '../../src/http/admin';

const creds = { user: 'ops', password: 'pa:ss wörd' };
const basic = (s: string) => `Basic ${Buffer.from(s, 'utf8').toString('base64')}`;

test('HTTP Basic: exact user and password (a colon in the password is kept)', () => {
  assert.equal(checkBasicAuth(basic('ops:pa:ss wörd'), creds), true);
  assert.equal(checkBasicAuth(`basic  ${Buffer.from('ops:pa:ss wörd').toString('base64')}`, creds), true, 'scheme is case-insensitive');
  for (const bad of [
    undefined,
    '',
    'Bearer x',
    basic('ops:pa:ss word'),
    basic('ops:'),
    basic('ops'),
    basic(':pa:ss wörd'),
    basic('OPS:pa:ss wörd'),
    basic('ops:pa:ss wörd '),
    'Basic !!!',
  ]) {
    assert.equal(checkBasicAuth(bad, creds), false, String(bad));
  }
});
