/** The moderator buttons' custom_id format, which the interaction router parses back. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  INCIDENT_ACTIONS,
  incidentActions,
  incidentButtons,
  incidentCustomId,
  parseIncidentCustomId,
} from '../../src/discord/render-buttons';

const ID = 'op-mainnet-20250307T120301Z';

test('custom ids round-trip for every action', () => {
  for (const action of INCIDENT_ACTIONS) {
    const customId = incidentCustomId(action, ID);
    assert.equal(customId, `incident:${action}:${ID}`);
    assert.deepEqual(parseIncidentCustomId(customId), { action, incidentId: ID });
  }
});

test('other custom ids are not ours', () => {
  for (const other of [
    '',
    'incident',
    'incident:ack',
    'incident:ack:',
    'incident:nuke:x',
    'incident:ack:a:b',
    'silence:ack:x',
    `incident:ack:${ID}\n`,
  ]) {
    assert.equal(parseIncidentCustomId(other), null, JSON.stringify(other));
  }
});

test('actions per state', () => {
  assert.deepEqual(incidentActions({ status: 'suspected', ack: null }), ['ack', 'update', 'resolve', 'confirm', 'dismiss']);
  assert.deepEqual(incidentActions({ status: 'monitoring', ack: { by: 'a', at: 0 } }), ['update', 'resolve', 'dismiss']);
  assert.deepEqual(incidentActions({ status: 'resolved', ack: null }), []);
});

test('at most five buttons to a row, each label within 80 characters', () => {
  const rows = incidentButtons({ id: ID, status: 'suspected', ack: null });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.components.length, 5);
  for (const b of rows[0]!.components) assert.ok('label' in b && b.label!.length <= 80);
});
