import assert from 'node:assert/strict';
import { test } from 'node:test';
import { incidentId, keyspace, networkOfIncident, pollSchedulerId, publishJobId } from '../../src/model';

/** Names the config schema allows (`^[a-z0-9][a-z0-9-]{0,39}$`), including awkward ones. */
const NETWORKS = ['megaeth', 'op-mainnet', 'arbitrum-one', 'base-sepolia', 'zksync-era', '1', '42161', 'a-20250307', 'x-1-2-3'];
const TIMES = [Date.UTC(2025, 2, 7, 12, 3, 1), Date.UTC(2024, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 1, 0, 0, 0)];

/** The part of a key Redis Cluster hashes: the first non-empty `{…}`. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return open !== -1 && close > open + 1 ? key.slice(open + 1, close) : key;
}

test('job ids have no ":" and are never all digits (BullMQ rules)', () => {
  const ids: string[] = [];
  for (const n of NETWORKS) {
    ids.push(pollSchedulerId(n));
    for (const t of TIMES) for (const seq of [1, 9, 10, 12345]) ids.push(publishJobId(incidentId(n, t), seq));
  }
  for (const id of ids) {
    assert.ok(!id.includes(':'), `${id} contains ':'`);
    assert.doesNotMatch(id, /^\d+$/, `${id} is all digits`);
  }
  assert.equal(publishJobId('megaeth-20250307T120301Z', 3), 'megaeth-20250307T120301Z-e3');
  assert.equal(pollSchedulerId('42161'), 'poll-42161');
});

test('distinct events and networks get distinct job ids', () => {
  const id = incidentId('op-mainnet', TIMES[0]!);
  assert.notEqual(publishJobId(id, 1), publishJobId(id, 11));
  const polls = NETWORKS.map(pollSchedulerId);
  assert.equal(new Set(polls).size, polls.length);
});

test('every key of one network shares the hash tag {prefix:network}; BullMQ gets {prefix}', () => {
  const prefix = 'cw';
  const keys = keyspace(prefix);
  assert.equal(keys.bullPrefix, '{cw}');
  assert.equal(hashTag(`${keys.bullPrefix}:publish-console:wait`), 'cw');
  for (const n of NETWORKS) {
    const id = incidentId(n, TIMES[0]!);
    const all = [
      keys.networkState(n),
      keys.networkIncidents(n),
      keys.networkEvents(n),
      keys.incident(id),
      keys.timeline(id),
      keys.publication('console', id),
      keys.publishLock('console', id),
    ];
    for (const k of all) {
      assert.ok(k.startsWith(`{${prefix}:${n}}:`), k);
      assert.equal(hashTag(k), `${prefix}:${n}`, k);
    }
    assert.equal(new Set(all).size, all.length, `keys of ${n} are distinct`);
  }
  // Networks whose names are prefixes of each other still land in different tags.
  assert.notEqual(hashTag(keys.networkState('op')), hashTag(keys.incident(incidentId('op-mainnet', TIMES[0]!))));
});

test('networkOfIncident round-trips incidentId, dashes and digits in the name included', () => {
  for (const n of NETWORKS) {
    for (const t of TIMES) {
      const id = incidentId(n, t);
      assert.doesNotMatch(id, /:/);
      assert.equal(networkOfIncident(id), n, id);
    }
  }
  assert.equal(incidentId('op-mainnet', TIMES[0]!), 'op-mainnet-20250307T120301Z');
});
