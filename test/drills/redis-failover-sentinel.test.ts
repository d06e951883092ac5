import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECOVERY_BOUND_MS, runFailoverDrill } from './support/failover';

/**
 * Drill: kill -9 of the Sentinel-managed primary mid-incident (the sentinels promote the replica).
 * See test/drills/support/failover.ts for what runs and what is counted.
 */
test(
  'kill -9 of the sentinel primary mid-incident: no committed event lost, none posted twice, polls again within bounds',
  { timeout: 240_000 },
  async (t) => {
    const f = await runFailoverDrill('sentinel');
    t.diagnostic(`sentinel failover figures ${JSON.stringify(f)}`);
    assert.ok(f.committedBeforeKill >= 1, 'events were committed before the kill');
    assert.equal(f.lost, 0, 'every event committed before the kill is in the timeline');
    assert.deepEqual([f.discordDuplicates, f.xDuplicates], [0, 0], 'no Discord message or X post went out twice');
    assert.ok(f.firstPollAfterMs < RECOVERY_BOUND_MS, `polls committed again ${f.firstPollAfterMs} ms after the kill`);
  },
);
