import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryError } from '../../src/publish/delivery';
import { refusedForCertain, toDeliveryError } from '../../src/x/delivery-errors';
import { XApiError, XRateLimitedError } from '../../src/x/errors';

const now = Date.parse('2026-11-23T12:00:00Z');
const api = (status: number, detail: string | null = null) => new XApiError(`X API ${status}: x`, status, null, detail, null);

test('every X answer is classified once: retry, retry-after until the reset, or fatal', () => {
  const table: [unknown, DeliveryError['delivery']][] = [
    [api(0), { kind: 'retry' }],
    [api(500), { kind: 'retry' }],
    [api(503), { kind: 'retry' }],
    [api(408), { kind: 'retry' }],
    [new XRateLimitedError(now + 90_000, null), { kind: 'retry-after', ms: 90_000 }],
    [new XRateLimitedError(now - 5_000, null), { kind: 'retry-after', ms: 250 }],
    [api(400), { kind: 'fatal', reason: 'bad request (payload refused)' }],
    [api(401), { kind: 'fatal', reason: 'unauthorized (check the token)' }],
    [
      api(403, 'You attempted to reply to a Tweet that is deleted or not visible to you.'),
      { kind: 'fatal', reason: 'forbidden (missing permission): You attempted to reply to a Tweet that is deleted or not visible to you.' },
    ],
    [api(404), { kind: 'fatal', reason: 'not found (unknown channel or message)' }],
    [new TypeError('socket hang up'), { kind: 'retry' }],
  ];
  for (const [err, want] of table) assert.deepEqual(toDeliveryError(err, 'post', now).delivery, want, String(err));
});

test('only a definite 4xx refusal means nothing was posted', () => {
  assert.equal(refusedForCertain(toDeliveryError(api(403), 'post', now)), true);
  assert.equal(refusedForCertain(toDeliveryError(new XRateLimitedError(now, null), 'post', now)), true);
  assert.equal(refusedForCertain(toDeliveryError(api(503), 'post', now)), false);
  assert.equal(refusedForCertain(toDeliveryError(api(0), 'post', now)), false);
  assert.equal(refusedForCertain(toDeliveryError(api(408), 'post', now)), false);
});
