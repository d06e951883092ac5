/** X spend planning with concrete numbers (June 2026: 30 days; $0.005 per post read). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthBounds, planSearchInterval, postCost, projectMonth, readsPerDay, type SearchPlanInput, X_PRICES } from '../../src/x/budget';

const JUNE_1 = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const june = monthBounds(JUNE_1);

function plan(over: Partial<SearchPlanInput> = {}) {
  return planSearchInterval({
    monthlyBudgetUsd: 50,
    pricePerReadUsd: X_PRICES.readUsd,
    spentThisMonthUsd: 0,
    now: JUNE_1,
    monthStart: june.monthStart,
    monthEnd: june.monthEnd,
    expectedReadsPerPoll: 3,
    networks: 5,
    heat: 'quiet',
    ...over,
  });
}

test('monthBounds: UTC calendar month', () => {
  assert.deepEqual(monthBounds(Date.parse('2026-06-15T23:59:59Z')), {
    month: '2026-06',
    monthStart: JUNE_1,
    monthEnd: Date.UTC(2026, 6, 1),
  });
  assert.equal(monthBounds(Date.parse('2026-12-31T23:00:00Z')).monthEnd, Date.parse('2027-01-01T00:00:00Z'));
  assert.equal(monthBounds(Date.parse('2028-02-10T00:00:00Z')).monthEnd - Date.parse('2028-02-01T00:00:00Z'), 29 * DAY);
});

test('$50/month, 5 networks, ~3 reads per poll: quiet every 81 min (≈267 reads/day), open every 16.2 min', () => {
  // 10,000 reads a month; fair share per network = 30 d / (10,000 / 3 / 5) = 64.8 min.
  const quiet = plan();
  assert.equal(quiet.intervalMs, 4_860_000); // 64.8 min / 0.8
  assert.equal(quiet.limitedBy, 'budget', 'the budget, not the 15-min ceiling: money is the hard limit');
  assert.equal(quiet.allowed, true);
  assert.ok(Math.abs(quiet.projectedMonthUsd - 40) < 1e-9, `${quiet.projectedMonthUsd}: quiet leaves a 20% reserve`);
  assert.ok(Math.abs(readsPerDay(quiet.intervalMs, 5, 3) - 266.67) < 0.01);

  const open = plan({ heat: 'open' });
  assert.equal(open.intervalMs, 972_000); // 4× the fair share
  assert.equal(open.quietIntervalMs, 4_860_000);
  // One network open all month, four quiet: 2,666.7 + 4 × 533.3 polls × $0.015.
  assert.ok(Math.abs(open.projectedMonthUsd - 72) < 1e-9, String(open.projectedMonthUsd));
  assert.equal(plan({ heat: 'suspected' }).intervalMs, 972_000);
});

test('selective query (0.2 reads per poll): same reads/day, much shorter intervals', () => {
  const quiet = plan({ expectedReadsPerPoll: 0.2 });
  assert.equal(quiet.intervalMs, 324_000); // 5.4 min
  assert.ok(Math.abs(readsPerDay(quiet.intervalMs, 5, 0.2) - 266.67) < 0.01);
  const open = plan({ expectedReadsPerPoll: 0.2, heat: 'open' });
  assert.equal(open.intervalMs, 64_800);
});

test('floor, rate limit and ceiling', () => {
  // Nothing read per poll: only the floor (15 s) holds it back.
  const free = plan({ expectedReadsPerPoll: 0 });
  assert.deepEqual([free.intervalMs, free.limitedBy, free.projectedMonthUsd], [15_000, 'floor', 0]);
  // 20 networks share 450 requests/15 min (90% used): 900 s × 20 / 405 = 44.4 s.
  const many = plan({ expectedReadsPerPoll: 0, networks: 20 });
  assert.deepEqual([many.intervalMs, many.limitedBy], [44_444, 'rate']);
  // Three pages per poll, 5 networks: 33.3 s.
  assert.equal(plan({ expectedReadsPerPoll: 0, requestsPerPoll: 3 }).intervalMs, 33_333);
  // A big budget with an open incident: the floor.
  assert.equal(plan({ monthlyBudgetUsd: 5000, heat: 'open' }).limitedBy, 'floor');
  // $250: fair share 12.96 min, quiet would be 16.2 min > 15-min ceiling, which the budget affords.
  const capped = plan({ monthlyBudgetUsd: 250 });
  assert.deepEqual([capped.intervalMs, capped.limitedBy], [900_000, 'ceiling']);
});

test('mid-month: re-spreads what is left; a burst is paid back later; spent → not allowed', () => {
  const mid = Date.UTC(2026, 5, 16); // 15 days gone, 15 left
  assert.equal(projectMonth(30, mid, june.monthStart, june.monthEnd), 60);
  const p = plan({ now: mid, spentThisMonthUsd: 30 });
  // $20 over 15 days: 4,444 polls → fair 81 min per network, quiet 101.25 min.
  assert.equal(p.intervalMs, 6_075_000);
  assert.ok(p.projectedMonthUsd <= 50);
  const cheaper = plan({ now: mid, spentThisMonthUsd: 10 });
  assert.ok(cheaper.intervalMs < p.intervalMs);

  const spent = plan({ now: mid, spentThisMonthUsd: 50.01 });
  assert.equal(spent.allowed, false);
  assert.equal(spent.limitedBy, 'spent');
  assert.equal(spent.remainingUsd, 0);
  assert.equal(spent.projectedMonthUsd, 50.01);
});

test('projectMonth edge cases; post prices', () => {
  assert.equal(projectMonth(5, JUNE_1, june.monthStart, june.monthEnd), 5);
  assert.equal(projectMonth(5, june.monthEnd + DAY, june.monthStart, june.monthEnd), 5);
  assert.equal(projectMonth(1, JUNE_1 + 3 * DAY, june.monthStart, june.monthEnd), 10);
  assert.equal(postCost(false), 0.015);
  assert.equal(postCost(true), 0.2);
  assert.equal(postCost(true, { postUsd: 0.01, postWithUrlUsd: 0.05 }), 0.05);
});

test('bad inputs are rejected', () => {
  assert.throws(() => plan({ speedup: { open: 0 }, heat: 'open' }), RangeError);
  assert.throws(() => plan({ rateLimit: { requests: 0, windowMs: 1 } }), RangeError);
});
