import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyDelivery } from '../../src/publish/delivery';

test('the whole delivery table', () => {
  const rows: [number | null, number | undefined, string][] = [
    [200, undefined, 'ok'],
    [201, undefined, 'ok'],
    [204, undefined, 'ok'],
    [null, undefined, 'retry'],
    [408, undefined, 'retry'],
    [425, undefined, 'retry'],
    [500, undefined, 'retry'],
    [502, undefined, 'retry'],
    [503, undefined, 'retry'],
    [504, undefined, 'retry'],
    [429, 1500, 'retry-after:1500'],
    [429, undefined, 'retry-after:1000'],
    [429, 10, 'retry-after:250'],
    [400, undefined, 'fatal:bad request (payload refused)'],
    [401, undefined, 'fatal:unauthorized (check the token)'],
    [403, undefined, 'fatal:forbidden (missing permission)'],
    [404, undefined, 'fatal:not found (unknown channel or message)'],
    [413, undefined, 'fatal:HTTP 413'],
  ];
  for (const [status, after, expected] of rows) {
    const d = classifyDelivery(status, after);
    const got = d.kind === 'retry-after' ? `${d.kind}:${d.ms}` : d.kind === 'fatal' ? `${d.kind}:${d.reason}` : d.kind;
    assert.equal(got, expected, `status ${status}`);
  }
});
