import { parseArgs } from 'node:util';
import { REST, Routes } from 'discord.js';
import { loadCommands } from '../../commands';
import { loadConfig } from '../config';
import type { Logger } from '../util/log';
import { configPath } from './config-path';
import { UsageError } from './errors';

/**
 * Registers the slash commands with one bulk overwrite (the discord.js guide's
 * deploy-commands): per guild when `discord.guildId` is set (instant), else globally
 * (`--global` forces it; global commands can take a while to appear).
 */
export async function runDeployCommands(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, global: { type: 'boolean', default: false } } });
  // Only Discord is talked to: an `x:` section without X credentials must not stop this.
  const config = loadConfig(configPath(values.config), process.env, { skip: ['x'] });
  const discord = config.discord;
  if (!discord) throw new UsageError('deploy-commands needs a `discord:` section in the config and DISCORD_TOKEN in the environment');
  const body = [...loadCommands(log).values()].map((c) => c.data.toJSON());
  const rest = new REST({ api: discord.apiBaseUrl }).setToken(discord.token);
  const applicationId = discord.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const guild = values.global ? null : discord.guildId;
  const route = guild ? Routes.applicationGuildCommands(applicationId, guild) : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body })) as { name: string }[];
  process.stdout.write(
    `registered ${result.length} commands ${guild ? `in guild ${guild}` : 'globally'}: ${result.map((c) => `/${c.name}`).join(', ')}\n`,
  );
  return 0;
}
