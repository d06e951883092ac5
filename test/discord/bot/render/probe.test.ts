/** /status network:<name>'s inclusion probe line: what each figure measures, a late probe, a paused one. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretKey } from '../../../../src/config/probe';
import { probeLine } from '../../../../src/discord/bot/render/probe';
import { renderNetworkDetail } from '../../../../src/discord/bot/render/status';
import type { ProbeView } from '../../../../src/engine';
import { testNetwork } from '../../../support/network';
import { NOW, row, view } from './fixtures';

const base: ProbeView = { lastMs: 1240, lastAt: NOW - 60_000, medianMs: 1100, samples: 12, pendingForMs: null, late: false, paused: null };

test('the last and median submit → included times, each named', () => {
  assert.equal(probeLine(base, 30_000), 'Inclusion probe: last included 1.24 s after submit · median 1.1 s over the last 12');
  assert.equal(probeLine({ ...base, samples: 1, medianMs: 1240 }, 30_000), 'Inclusion probe: last included 1.24 s after submit');
  assert.equal(
    probeLine({ ...base, lastMs: null, lastAt: null, medianMs: null, samples: 0 }, 30_000),
    'Inclusion probe: no probe included yet',
  );
});

test('a late probe in flight and a paused probe say so; one in flight before its deadline does not', () => {
  assert.equal(
    probeLine({ ...base, pendingForMs: 95_000, late: true }, 30_000),
    'Inclusion probe: last included 1.24 s after submit · median 1.1 s over the last 12 · ⚠️ one pending for 1 min 35 s, past its 30 s deadline',
  );
  assert.doesNotMatch(probeLine({ ...base, pendingForMs: 5000, late: false }, 30_000), /pending/);
  assert.match(probeLine({ ...base, paused: 'budget' }, 30_000), / · paused: the daily gas budget is spent$/);
  assert.match(probeLine({ ...base, paused: 'foreign_pending' }, 30_000), /paused: its key has transactions the probe did not send$/);
});

test('the detail view carries the line for a network with a probe, and none without', () => {
  const probe = { keyEnv: 'K', key: secretKey(`0x${'11'.repeat(32)}`), everyMs: 300_000, deadlineMs: 30_000, maxDailyGasWei: '1' };
  const withProbe = row('base', 'Base', { network: testNetwork({ name: 'base', displayName: 'Base', probe }), view: view(), probe: base });
  const description = renderNetworkDetail(withProbe, [], NOW).embeds![0]!.description!;
  assert.match(description, /\nInclusion probe: last included 1\.24 s after submit/);
  assert.doesNotMatch(renderNetworkDetail(row('op', 'OP Mainnet', { view: view() }), [], NOW).embeds![0]!.description!, /Inclusion probe/);
});
