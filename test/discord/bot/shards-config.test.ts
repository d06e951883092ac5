// `discord.shards` in the config file: auto, a count, or { count, ids } with ids as a list or ranges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../../src/config';
import { shardOptions } from '../../../src/discord/bot/bot';

const yaml = (shards: string) => `
networks:
  - { name: megaeth, chain: megaeth }
discord:
  channels: { default: "200" }
${shards ? `  shards: ${shards}\n` : ''}`;

const env = { DISCORD_TOKEN: 'tok' };
const shardsOf = (shards: string, more: Record<string, string> = {}) => parseConfig(yaml(shards), { ...env, ...more }).discord!.shards;

function problems(shards: string, more: Record<string, string> = {}): string[] {
  try {
    parseConfig(yaml(shards), { ...env, ...more });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

test('absent or auto: the count Discord recommends; discord.js asks GET /gateway/bot', () => {
  assert.equal(shardsOf(''), undefined);
  assert.equal(shardsOf('auto'), 'auto');
  assert.deepEqual(shardOptions(undefined), { shards: 'auto' });
  assert.deepEqual(shardOptions('auto'), { shards: 'auto' });
});

test('a count runs all its shards here; { count, ids } runs some, as a list or ranges (also from the environment)', () => {
  assert.deepEqual(shardsOf('4'), { count: 4, ids: [0, 1, 2, 3] });
  assert.deepEqual(shardsOf('{ count: 4 }'), { count: 4, ids: [0, 1, 2, 3] });
  assert.deepEqual(shardsOf('{ count: 4, ids: [1, 0] }'), { count: 4, ids: [0, 1] });
  assert.deepEqual(shardsOf('{ count: 8, ids: "0, 2-4,7" }'), { count: 8, ids: [0, 2, 3, 4, 7] });
  assert.deepEqual(shardsOf('{ count: 8, ids: "0-3,2-5" }'), { count: 8, ids: [0, 1, 2, 3, 4, 5] });
  assert.deepEqual(shardsOf('{ count: "${SHARD_COUNT}", ids: "${SHARD_IDS}" }', { SHARD_COUNT: '4', SHARD_IDS: '2-3' }), {
    count: 4,
    ids: [2, 3],
  });
  // The count goes to discord.js with the ids: alone, it would take their number as the total.
  assert.deepEqual(shardOptions({ count: 4, ids: [2, 3] }), { shards: [2, 3], shardCount: 4 });
});

test('a bad shards value is a config error naming the key and the reason', () => {
  const cases: [string, string[]][] = [
    ['0', ['discord.shards: must be auto, a number of shards from 1 to 16384, or { count, ids }']],
    ['many', ['discord.shards: must be auto, a number of shards from 1 to 16384, or { count, ids }']],
    ['[0, 1]', ['discord.shards: must be auto, a number of shards from 1 to 16384, or { count, ids }']],
    ['2.5', ['discord.shards: must be auto, a number of shards from 1 to 16384, or { count, ids }']],
    ['100000', ['discord.shards: must be auto, a number of shards from 1 to 16384, or { count, ids }']],
    ['{ ids: [0, 1] }', ['discord.shards.count: required: every process of the bot must use the same count']],
    ['{ count: auto, ids: [0] }', ['discord.shards.count: must be a whole number from 1 to 16384']],
    ['{ count: 4, ids: [0, 4] }', ['discord.shards.ids[1]: shard 4 does not exist: ids run from 0 to count - 1 (3)']],
    ['{ count: 4, ids: [-1] }', ['discord.shards.ids[0]: item 1 is not a shard id or a range such as 0-1']],
    ['{ count: 4, ids: "2-1" }', ['discord.shards.ids: item 1 is not a shard id or a range such as 0-1']],
    ['{ count: 4, ids: "0-1,x" }', ['discord.shards.ids: item 2 is not a shard id or a range such as 0-1']],
    ['{ count: 4, ids: "0-9" }', ['discord.shards.ids: shard 9 does not exist: ids run from 0 to count - 1 (3)']],
    ['{ count: 4, ids: [] }', ['discord.shards.ids: must list shard ids, e.g. [0, 1], or ranges such as "0-1" or "0,2-3"']],
    ['{ count: 4, id: [0] }', ['discord.shards.id: unknown key (did you mean "ids"?)']],
  ];
  for (const [value, expected] of cases) assert.deepEqual(problems(value), expected, value);
});

test('a value from the environment is not quoted back', () => {
  const got = problems('{ count: 4, ids: "${SHARD_IDS}" }', { SHARD_IDS: '0-4817' });
  assert.deepEqual(got, ['discord.shards.ids: no such shard: ids run from 0 to count - 1']);
});
