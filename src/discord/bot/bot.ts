import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { DiscordConfig } from '../../config';
import type { Logger } from '../../util/log';
import { postFromMessage } from './community';
import type { Post } from '../../model';
import type { CommandMap } from './command';
import type { BotContext } from './context';
import { createInteractionRouter } from './router';

/**
 * The gateway client that answers slash commands and buttons. The REST base URL is the
 * configured one (Discord, a shared @discordjs/proxy, or a local fake); the gateway is found
 * through it with GET /gateway/bot, as Discord documents. Nothing it sends can ping unless a
 * message says so (`allowedMentions` empty by default).
 */
export function createBotClient(config: DiscordConfig, opts: { readMessages?: boolean } = {}): Client {
  // Reading community channels needs the privileged Message Content intent; ask only then.
  const reading = opts.readMessages ? [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : [];
  return new Client({
    intents: [GatewayIntentBits.Guilds, ...reading],
    rest: { api: config.apiBaseUrl },
    allowedMentions: { parse: [] },
  });
}

export interface CommunityChannels {
  /** Channel id -> network name. */
  channels: ReadonlyMap<string, string>;
  ingest(post: Post): Promise<void>;
}

export async function startBot(
  config: DiscordConfig,
  ctx: BotContext,
  commands: CommandMap,
  log: Logger,
  community?: CommunityChannels,
): Promise<{ client: Client; stop(): Promise<void> }> {
  const reading = !!community && community.channels.size > 0;
  const client = createBotClient(config, { readMessages: reading });
  client.on(Events.InteractionCreate, createInteractionRouter(commands, ctx));
  if (reading) {
    client.on(Events.MessageCreate, (message) => {
      const network = community.channels.get(message.channelId);
      const post = network ? postFromMessage(message, network) : null;
      if (post) community.ingest(post).catch((err) => log.warn({ err: (err as Error).message }, 'could not queue a community message'));
    });
  }
  client.once(Events.ClientReady, (c) =>
    log.info({ bot: c.user.username, guilds: c.guilds.cache.size, commands: [...commands.keys()] }, 'Discord bot connected'),
  );
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
