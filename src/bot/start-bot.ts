import { Client, Events, GatewayIntentBits } from 'discord.js';
import { loadCommands } from '../../commands';
import type { DiscordConfig } from '../config';
import type { Logger } from '../log';
import type { BotContext } from './context';
import { createInteractionRouter } from './router';

/**
 * The gateway client that answers slash commands and buttons. The REST base URL is the
 * configured one (Discord, a shared @discordjs/proxy, or a local fake); the gateway is found
 * through it with GET /gateway/bot, as Discord documents. Nothing it sends can ping unless a
 * message says so (`allowedMentions` empty by default).
 */
export function createBotClient(config: DiscordConfig): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: config.apiBaseUrl },
    allowedMentions: { parse: [] },
  });
}

export async function startBot(config: DiscordConfig, ctx: BotContext, log: Logger): Promise<{ client: Client; stop(): Promise<void> }> {
  const client = createBotClient(config);
  const commands = loadCommands(log);
  client.on(Events.InteractionCreate, createInteractionRouter(commands, ctx));
  client.once(Events.ClientReady, (c) => log.info({ bot: c.user.username, guilds: c.guilds.cache.size, commands: [...commands.keys()] }, 'Discord bot connected'));
  client.on(Events.Error, (err) => log.error({ err: err.message }, 'Discord client error'));
  client.on(Events.ShardDisconnect, (_e, shard) => log.warn({ shard }, 'Discord gateway disconnected; reconnecting'));
  await client.login(config.token);
  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}
