import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatUptime, incidentLevel, networkStatus, uptimeBars, type OutageWindow } from '../../../src/http/status/model';
import { endpoint, incident, NOW, row, view } from '../../discord/bot/render/fixtures';

test('incident level: halted/unreachable/critical is a major outage, major a partial one, the rest degraded', () => {
  const table: [Parameters<typeof incidentLevel>[0], string][] = [
    [{ kind: 'halted', severity: 'minor' }, 'major'],
    [{ kind: 'rpc_unreachable', severity: 'major' }, 'major'],
    [{ kind: 'slow_blocks', severity: 'critical' }, 'major'],
    [{ kind: 'endpoint_down', severity: 'critical' }, 'major'],
    [{ kind: 'slow_blocks', severity: 'major' }, 'partial'],
    [{ kind: 'reorg', severity: 'major' }, 'partial'],
    [{ kind: 'social_reports', severity: 'major' }, 'partial'],
    [{ kind: 'endpoint_down', severity: 'major' }, 'degraded'],
    [{ kind: 'endpoint_lagging', severity: 'minor' }, 'degraded'],
    [{ kind: 'safe_lag', severity: 'minor' }, 'degraded'],
    [{ kind: 'memory_pressure', severity: 'minor' }, 'degraded'],
  ];
  for (const [input, want] of table) assert.equal(incidentLevel(input), want, JSON.stringify(input));
});

test('network status: maintenance wins; suspected stays hidden; monitoring is degraded; endpoints and no data', () => {
  const silence = { until: NOW + 60_000, reason: 'upgrade', by: 'mod' };
  assert.equal(networkStatus(row('a', 'A', { incident: incident(), silence }), NOW), 'maintenance');
  assert.equal(networkStatus(row('a', 'A', { incident: incident(), silence: { ...silence, until: NOW - 1 } }), NOW), 'major');
  assert.equal(networkStatus(row('a', 'A', { incident: incident({ kind: 'slow_blocks' }) }), NOW), 'partial');
  assert.equal(networkStatus(row('a', 'A', { incident: incident({ status: 'monitoring' }) }), NOW), 'degraded');
  assert.equal(networkStatus(row('a', 'A', { incident: incident({ status: 'suspected', confirmedAt: null }) }), NOW), 'operational');
  assert.equal(networkStatus(row('a', 'A', { incident: incident({ status: 'resolved' }) }), NOW), 'operational');
  assert.equal(
    networkStatus(row('a', 'A', { view: view({ endpoints: [endpoint('rpc-a'), endpoint('rpc-b', { status: 'down' })] }) }), NOW),
    'degraded',
  );
  assert.equal(networkStatus(row('a', 'A', { view: null }), NOW), 'unknown');
  assert.equal(networkStatus(row('a', 'A'), NOW), 'operational');
});

const DAY = 86_400_000;
const day0 = Math.floor(NOW / DAY) * DAY;
const w = (startedAt: number, ms: number, over: Partial<OutageWindow> = {}): OutageWindow => ({
  startedAt,
  endedAt: startedAt + ms,
  severity: 'major',
  kind: 'halted',
  title: 'Block production halted',
  ...over,
});

test('90 daily bars: no data before watching began, worst outage of the day, uptime over watched time', () => {
  const since = day0 - 10 * DAY;
  const { bars, ratio } = uptimeBars(
    [
      w(day0 - 2 * DAY + 3600_000, 3 * 3600_000),
      w(day0 - 2 * DAY + 12 * 3600_000, 600_000, { kind: 'endpoint_down', severity: 'minor', title: 'RPC provider x down' }),
      w(day0 - 5 * DAY + 23 * 3600_000, 2 * 3600_000, { kind: 'slow_blocks' }),
    ],
    since,
    NOW,
  );
  assert.equal(bars.length, 90);
  assert.equal(bars.at(-1)!.date, '2025-03-07');
  assert.deepEqual(
    bars.slice(0, 79).map((b) => b.status),
    Array(79).fill('unknown'),
  );
  assert.equal(bars[79]!.status, 'operational', 'the day watching began');
  assert.deepEqual(bars[87], {
    date: '2025-03-05',
    status: 'major',
    downMs: 3 * 3600_000,
    titles: ['Block production halted', 'RPC provider x down'],
  });
  // A window across midnight colours both days.
  assert.equal(bars[84]!.status, 'partial');
  assert.equal(bars[85]!.status, 'partial');
  assert.equal(bars[84]!.downMs + bars[85]!.downMs, 2 * 3600_000);
  const watched = NOW - since;
  assert.equal(ratio, 1 - (5 * 3600_000) / watched, 'degraded time is not downtime');
  assert.equal(formatUptime(ratio!), '98.01 %');
  assert.equal(formatUptime(0.99999), '99.99 %', 'never rounded up to 100');
});

test('overlapping windows count once; an open window runs to now; nothing watched means no ratio', () => {
  const { bars } = uptimeBars([w(NOW - 3600_000, 1800_000), w(NOW - 2700_000, 1800_000)], day0 - DAY, NOW);
  assert.equal(bars.at(-1)!.downMs, 2700_000);
  assert.deepEqual(uptimeBars([], null, NOW).ratio, null);
  assert.equal(
    uptimeBars([], null, NOW).bars.every((b) => b.status === 'unknown'),
    true,
  );
});
