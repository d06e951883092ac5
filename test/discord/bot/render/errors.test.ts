/** Error replies: specific, plain words, never pinging. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderError } from '../../../../src/discord/bot/render/errors';
import { MESSAGE_CONTENT_MAX } from '../../../../src/discord/limits';
import { ALL_HOSTILE, assertInert, HOSTILE } from '../../hostile';
import { NOW } from './fixtures';

const content = (reply: ReturnType<typeof renderError>) => {
  assert.deepEqual(reply.allowedMentions, { parse: [] });
  assert.deepEqual(Object.keys(reply).sort(), ['allowedMentions', 'content']);
  return reply.content!;
};

test('snapshots: each error says what is wrong and what to do', () => {
  assert.equal(
    content(renderError('unknown_network', { name: 'megaeht', known: ['megaeth', 'base', 'op-mainnet'] })),
    'There is no network called “megaeht”. Known networks: `megaeth`, `base`, `op-mainnet`.',
  );
  assert.equal(
    content(renderError('no_such_incident', { id: 'megaeth-2025' })),
    'There is no incident `megaeth-2025`. `/incidents` lists the active ones and their ids.',
  );
  assert.equal(
    content(renderError('not_allowed', { roleIds: ['123456789012345678'], permission: 'Manage Server', action: 'resolve incidents' })),
    'You cannot resolve incidents: it needs the <@&123456789012345678> role or the Manage Server permission.',
  );
  assert.equal(content(renderError('not_allowed', { roleIds: ['1', '2'] })), 'You cannot do this: it needs one of the roles <@&1>, <@&2>.');
  assert.equal(content(renderError('not_allowed', {})), 'You cannot do this: it needs a moderator role.');
  assert.equal(
    content(renderError('already_resolved', { id: 'megaeth-20250307T120301Z', status: 'dismissed', at: NOW - 60_000 })),
    'Incident `megaeth-20250307T120301Z` was already dismissed <t:1741349521:R>. If the problem comes back, chainwatch opens an incident again by itself.',
  );
  assert.equal(
    content(renderError('silenced', { network: 'MegaETH', until: NOW + 3600_000, by: 'alice', reason: 'node upgrade' })),
    'Alerts for MegaETH are silenced until <t:1741353181:f> (<t:1741353181:R>) by alice: node upgrade.',
  );
  assert.equal(
    content(renderError('already_acknowledged', { id: 'x', by: 'bob', at: NOW })),
    'Incident `x` was already acknowledged by bob <t:1741349581:R>.',
  );
  assert.equal(
    content(renderError('not_suspected', { id: 'x', status: 'investigating' })),
    'Incident `x` is already public (investigating): only a suspected incident can be made public.',
  );
  assert.equal(content(renderError('empty_text', {})), 'The update is empty: write what people should know.');
});

test('what a person typed stays inert and the message within 2000 characters', () => {
  const known = Array.from({ length: 500 }, (_, i) => `network-${i}`);
  const unknown = content(renderError('unknown_network', { name: ALL_HOSTILE, known }));
  assert.ok(unknown.length <= MESSAGE_CONTENT_MAX);
  assertInert(unknown);
  const id = content(renderError('no_such_incident', { id: '`@everyone`\\' }));
  assert.equal(id, 'There is no incident “\\`@\u200beveryone\\`\\\\”. `/incidents` lists the active ones and their ids.');
  const silenced = content(renderError('silenced', { network: HOSTILE.everyone, until: NOW, by: HOSTILE.roles, reason: HOSTILE.masked }));
  assertInert(silenced);
  assert.doesNotMatch(
    content(renderError('not_allowed', { roleIds: ['@everyone', '<@&1>'] })),
    /<@&1>|@everyone/,
    'only snowflakes become role mentions',
  );
});
