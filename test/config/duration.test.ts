import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../src/config/duration';

test('numbers are milliseconds; strings take ms units', () => {
  assert.deepEqual(
    [250, '250ms', '30s', '5m', '1h', '1.5s', ' 2s ', '1000'].map(parseDuration),
    [250, 250, 30000, 300000, 3600000, 1500, 2000, 1000],
  );
});

test('anything else is not a duration', () => {
  for (const v of ['5 parsecs', '', '-5m', -1, Number.NaN, Infinity, null, true, {}, '1'.repeat(101)]) {
    assert.equal(parseDuration(v), undefined, String(v));
  }
});
