import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/config';

const base = `
networks:
  - { name: megaeth, chain: megaeth }
discord:
  applicationId: "111"
  channels: { default: "200", networks: { megaeth: "201" } }
  moderatorRoleIds: ["400"]
  pingRoleId: "300"
  archiveAfter: 2h
`;

function issues(text: string, env: Record<string, string> = {}, readFile?: (path: string) => string): string[] {
  try {
    parseConfig(text, env, readFile ? { readFile } : {});
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

test('a discord section with the token in the environment', () => {
  const c = parseConfig(base, { DISCORD_TOKEN: 'tok' });
  assert.deepEqual(c.discord, {
    token: 'tok',
    applicationId: '111',
    guildId: null,
    apiBaseUrl: 'https://discord.com/api',
    channels: { default: '200', networks: { megaeth: '201' } },
    pingRoleId: '300',
    moderatorRoleIds: ['400'],
    archiveAfterMs: 7_200_000,
    images: true,
  });
});

test('incident pictures are on unless turned off, per sink', () => {
  const off = parseConfig(base.replace('archiveAfter: 2h', 'archiveAfter: 2h\n  images: false'), { DISCORD_TOKEN: 't' });
  assert.equal(off.discord?.images, false);
  assert.match(
    issues(base.replace('archiveAfter: 2h', 'archiveAfter: 2h\n  images: "no"'), { DISCORD_TOKEN: 't' }).join('\n'),
    /discord\.images/,
  );
  const x = 'networks:\n  - { name: megaeth, chain: megaeth }\nx:\n  images: false\n';
  assert.equal(parseConfig(x, { X_BEARER_TOKEN: 'b' }).x?.images, false);
  assert.equal(parseConfig(x.replace('  images: false\n', '  account: bot\n'), { X_BEARER_TOKEN: 'b' }).x?.images, true);
});

test('an X handle longer than 15 characters is refused, saying the limit', () => {
  const x = 'networks:\n  - { name: megaeth, chain: megaeth }\nx:\n  account: chainwatch_alerts_bot\n';
  assert.deepEqual(issues(x, { X_BEARER_TOKEN: 'b' }), ['x.account: must be an X handle: 1 to 15 letters, digits or _, with or without @']);
  assert.equal(parseConfig(x.replace('chainwatch_alerts_bot', '"@chainwatch_bot"'), { X_BEARER_TOKEN: 'b' }).x?.account, 'chainwatch_bot');
});

test('applicationId may be left out: it is asked of Discord with the bot token', () => {
  const without = base.replace('  applicationId: "111"\n', '');
  assert.ok(!without.includes('applicationId'));
  assert.equal(parseConfig(without, { DISCORD_TOKEN: 't' }).discord?.applicationId, null);
});

test('no discord section: no discord config (the console publisher runs)', () => {
  assert.equal(parseConfig('networks:\n  - { name: megaeth, chain: megaeth }\n', {}).discord, undefined);
});

test('the token is never read from the file, and its absence is named', () => {
  assert.deepEqual(issues(base), [
    'discord: environment variable DISCORD_TOKEN is not set (nor DISCORD_TOKEN_FILE): the bot token is read from the environment only',
  ]);
  const inFile = base.replace('applicationId: "111"', 'applicationId: "111"\n  token: abc');
  assert.match(issues(inFile, { DISCORD_TOKEN: 't' }).join('\n'), /discord\.token: the bot token is read from the environment/);
  assert.doesNotMatch(issues(inFile, { DISCORD_TOKEN: 't' }).join('\n'), /abc/);
});

test('DISCORD_TOKEN_FILE and a custom tokenEnv work', () => {
  const viaFile = parseConfig(base, { DISCORD_TOKEN_FILE: '/secret' }, { readFile: () => 'from-file\n' });
  assert.equal(viaFile.discord?.token, 'from-file');
  const custom = parseConfig(base.replace('applicationId: "111"', 'applicationId: "111"\n  tokenEnv: MY_BOT'), { MY_BOT: 'x' });
  assert.equal(custom.discord?.token, 'x');
});

test('every *_FILE secret reader says which file and why, the same way', () => {
  const missing = '/run/secrets/nope';
  const enoent = () => {
    throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
  };
  assert.deepEqual(issues(base, { DISCORD_TOKEN_FILE: missing }, enoent), [
    `discord: DISCORD_TOKEN_FILE names "${missing}", which cannot be read (ENOENT: no such file): the bot token is read from the environment only`,
  ]);
  assert.deepEqual(
    issues(base, { DISCORD_TOKEN_FILE: '/empty' }, () => '\n'),
    ['discord: DISCORD_TOKEN_FILE names "/empty", which is empty: the bot token is read from the environment only'],
  );
  const withX = `${base}x: { monthlyBudget: 10 }\n`;
  const xIssues = issues(withX, { DISCORD_TOKEN: 't', X_BEARER_TOKEN_FILE: missing }, enoent);
  assert.ok(xIssues.includes(`x: X_BEARER_TOKEN_FILE names "${missing}", which cannot be read (ENOENT: no such file)`), xIssues.join('\n'));
  const withHttp = `${base}http: { port: 0 }\n`;
  const admin = issues(withHttp, { DISCORD_TOKEN: 't', CHAINWATCH_ADMIN_USER: 'u', CHAINWATCH_ADMIN_PASSWORD_FILE: missing }, enoent);
  assert.deepEqual(admin, [`http: CHAINWATCH_ADMIN_PASSWORD_FILE names "${missing}", which cannot be read (ENOENT: no such file)`]);
});

test('bad ids, unknown networks and keys are named by path', () => {
  const bad = base
    .replace('default: "200"', 'default: general')
    .replace('megaeth: "201"', 'megaeht: "201"')
    .replace('pingRoleId', 'pingRole');
  const got = issues(bad, { DISCORD_TOKEN: 't' });
  assert.ok(
    got.some((l) => l.startsWith('discord.channels.default: must be a Discord id')),
    got.join('\n'),
  );
  assert.ok(
    got.some((l) => l.startsWith('discord.pingRole: unknown key')),
    got.join('\n'),
  );
});

test('a channel for an unknown network is named', () => {
  const got = issues(base.replace('megaeth: "201"', 'megaeht: "201"'), { DISCORD_TOKEN: 't' });
  assert.deepEqual(got, ['discord.channels.networks.megaeht: no network of that name']);
});
