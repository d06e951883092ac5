import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PermissionFlagsBits } from 'discord.js';
import { startFakeDiscord, type FakeDiscord } from '../support/fake-discord';
import { spawnCli, writeTempConfig } from '../support/spawn-cli';

let fake: FakeDiscord;
let config: string;

before(async () => {
  fake = await startFakeDiscord();
  config = writeTempConfig(`
networks:
  - { name: megaeth, chain: megaeth }
discord:
  applicationId: "${fake.applicationId}"
  guildId: "${fake.guildId}"
  apiBaseUrl: ${fake.apiBase}
  channels: { default: "200" }
`);
});
after(() => fake.stop());

async function deploy(...extra: string[]): Promise<string> {
  return deployWith(config, ...extra);
}

async function deployWith(file: string, ...extra: string[]): Promise<string> {
  const cli = spawnCli(['deploy-commands', '--config', file, ...extra], { DISCORD_TOKEN: fake.token, LOG_LEVEL: 'warn' });
  const deadline = Date.now() + 30_000;
  while (cli.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(cli.child.exitCode, 0, cli.stderr());
  return cli.stdout();
}

test('deploy-commands bulk-overwrites the guild commands with one PUT', async () => {
  const out = await deploy();
  assert.match(out, /registered 5 commands in guild 100: \/status, \/incidents, \/incident, \/silence, \/unsilence/);
  const puts = fake.requests.filter((r) => r.method === 'PUT');
  assert.equal(puts.length, 1);
  assert.equal(puts[0]!.path, `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
  const body = puts[0]!.body as { name: string; default_member_permissions: string | null; contexts?: number[] }[];
  const perms = Object.fromEntries(body.map((c) => [c.name, c.default_member_permissions ?? null]));
  const manage = PermissionFlagsBits.ManageGuild.toString();
  assert.deepEqual(perms, { status: null, incidents: null, incident: manage, silence: manage, unsilence: manage });
  assert.ok(
    body.every((c) => JSON.stringify(c.contexts) === '[0]'),
    'guild-only commands',
  );
});

test('--global registers for every guild', async () => {
  const out = await deploy('--global');
  assert.match(out, /registered 5 commands globally/);
  assert.equal(fake.requests.filter((r) => r.method === 'PUT').at(-1)!.path, `/applications/${fake.applicationId}/commands`);
});

test('no applicationId: the bot token tells it; an x: section without X credentials does not stand in the way', async () => {
  const file = writeTempConfig(`
networks:
  - { name: megaeth, chain: megaeth }
discord:
  guildId: "${fake.guildId}"
  apiBaseUrl: ${fake.apiBase}
  channels: { default: "200" }
x:
  monthlyBudget: 10
`);
  const before = fake.requests.length;
  const out = await deployWith(file);
  assert.match(out, /registered 5 commands in guild 100/);
  const calls = fake.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(calls, ['GET /applications/@me', `PUT /applications/${fake.applicationId}/guilds/${fake.guildId}/commands`]);
});

test('without a token it says which variable is missing', async () => {
  const cli = spawnCli(['deploy-commands', '--config', config], { DISCORD_TOKEN: '' });
  while (cli.child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  assert.equal(cli.child.exitCode, 2);
  assert.match(cli.stderr(), /discord: environment variable DISCORD_TOKEN is not set/);
});

test('the token never reaches the output, even at debug level and on failure', async () => {
  fake.failNext({ method: 'PUT', path: /commands$/ }, { status: 401, code: 0, message: '401: Unauthorized' }, 1);
  const cli = spawnCli(['deploy-commands', '--config', config], { DISCORD_TOKEN: fake.token, LOG_LEVEL: 'debug' });
  while (cli.child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  assert.equal(cli.child.exitCode, 1);
  assert.match(cli.stderr(), /401/);
  assert.ok(!(cli.stdout() + cli.stderr()).includes(fake.token));
});
