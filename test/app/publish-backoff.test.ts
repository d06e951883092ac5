import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publishBackoff } from '../../src/app/queues';

test('publish backoff doubles from 1 s, is capped at 1 min (±20% jitter), and spans about three days of attempts', () => {
  for (const [attempt, base] of [
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [500, 60_000],
  ] as const) {
    for (let i = 0; i < 50; i++) {
      const ms = publishBackoff(attempt);
      assert.ok(ms >= base * 0.8 && ms <= base * 1.2, `attempt ${attempt}: ${ms} ms`);
    }
  }
  let total = 0;
  for (let a = 1; a < 4320; a++) total += publishBackoff(a);
  const days = total / 86_400_000;
  assert.ok(days > 2.5 && days < 3.5, `${days.toFixed(2)} days of retries`);
});
