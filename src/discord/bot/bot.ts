import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { DiscordConfig } from '../../config';
import type { Logger } from '../../util/log';
import { postFromMessage } from './community';
import type { Post } from '../../model';
import type { CommandMap } from './command';
import type { BotContext } from './context';
import { createInteractionRouter } from './router';

/**
 * Why Discord closed a shard for good (gateway close codes,
 * https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes):
 * discord.js does not reconnect after these, so the operator has to act.
 */
const FATAL_CLOSE: Record<number, string> = {
  4004: 'authentication failed: check the bot token',
  4010: 'invalid shard: check discord.shards (ids must be below count)',
  4011: "sharding required: the bot's guilds need more shards; set discord.shards to auto or a larger count",
  4013: 'invalid intents',
  4014: 'disallowed intents: reading community channels needs the Message Content intent, enabled in the Developer Portal',
};

/**
 * discord.js options for the configured shards. The client's own sharding (through @discordjs/ws)
 * runs every shard of this process in it and asks GET /gateway/bot through `client.rest`, so
 * through `apiBaseUrl`; discord.js's ShardingManager would ask discord.com directly.
 */
export function shardOptions(plan: DiscordConfig['shards']): Pick<ClientOptions, 'shards' | 'shardCount'> {
  // 'auto': the count Discord recommends, all of it here (@discordjs/ws getShardIds).
  if (plan === undefined || plan === 'auto') return { shards: 'auto' };
  // The count must be given: with ids alone, discord.js takes their number as the total.
  return { shards: [...plan.ids], shardCount: plan.count };
}

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
    ...shardOptions(config.shards),
  });
}

export interface CommunityChannels {
  /** Channel id -> network name. */
  channels: ReadonlyMap<string, string>;
  ingest(post: Post): Promise<void>;
}

/**
 * Logs each shard's life: ready, dropped and reconnecting (discord.js resumes by itself), resumed,
 * or closed for good with the reason. Returns the last fatal close, for the login error.
 */
function watchShards(client: Client, log: Logger, stopping: () => boolean): () => { shard: number; code: number } | undefined {
  let fatal: { shard: number; code: number } | undefined;
  client.on(Events.ShardReady, (shard, unavailable) =>
    log.info({ shard, shardCount: client.options.shardCount, unavailableGuilds: unavailable?.size ?? 0 }, 'Discord shard ready'),
  );
  // discord.js also reports the closes of its own destroy() as reconnecting: not worth a warning.
  client.on(Events.ShardReconnecting, (shard) => void (stopping() || log.warn({ shard }, 'Discord shard disconnected; reconnecting')));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'Discord shard resumed'));
  client.on(Events.ShardDisconnect, (event, shard) => {
    fatal = { shard, code: event.code };
    log.error({ shard, code: event.code, reason: FATAL_CLOSE[event.code] ?? 'unrecoverable close' }, 'Discord shard closed for good');
  });
  client.on(Events.ShardError, (err, shard) => log.warn({ shard, err: err.message }, 'Discord shard error'));
  return () => fatal;
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
    log.info(
      {
        bot: c.user.username,
        guilds: c.guilds.cache.size,
        shards: [...c.ws.shards.keys()],
        shardCount: c.options.shardCount,
        commands: [...commands.keys()],
      },
      'Discord bot connected',
    ),
  );
  client.on(Events.Error, (err) => log.error({ err: err.message }, 'Discord client error'));
  let stopping = false;
  const fatalClose = watchShards(client, log, () => stopping);
  const plan = config.shards ?? 'auto';
  log.info(plan === 'auto' ? { shards: 'auto' } : { shards: plan.ids, shardCount: plan.count }, 'Discord bot connecting');
  try {
    await client.login(config.token);
  } catch (err) {
    const fatal = fatalClose();
    const why = fatal && FATAL_CLOSE[fatal.code];
    if (!why) throw err;
    throw new Error(`Discord closed gateway shard ${fatal.shard} (code ${fatal.code}): ${why}`, { cause: err });
  }
  return {
    client,
    async stop() {
      stopping = true;
      await client.destroy();
    },
  };
}
