import { loadCommands } from '../../commands';
import { ActionService } from '../discord/bot/actions';
import { startBot } from '../discord/bot/bot';
import { discordChannelMap } from '../discord/bot/community';
import { StatusService } from '../discord/bot/status-service';
import type { Post } from '../model';
import type { AppContext } from './context';

/**
 * The bot role: the Discord gateway client answering slash commands and buttons, and reading
 * the community channels the config names into the social-ingest queue. Returns its stopper.
 */
export async function startBotRole(ctx: AppContext): Promise<() => Promise<void>> {
  const { config, store, silences, publications, clock, log } = ctx;
  if (!config.discord) throw new Error('--role bot needs a `discord:` section in the config (and DISCORD_TOKEN in the environment)');
  const botContext = {
    discord: config.discord,
    status: new StatusService({ store, silences, publications, networks: config.networks, clock, clientVersions: ctx.clientVersions }),
    actions: new ActionService({ store, outbox: ctx.outbox, clock, outages: ctx.outages, log, networks: config.networks }),
    silences,
    log,
    clock,
    ...(ctx.xSpend ? { xSpend: ctx.xSpend } : {}),
  };
  const community = {
    channels: discordChannelMap(config.networks),
    ingest: async (post: Post) => void (await ctx.queues.ingest.add('posts', { posts: [post] })),
  };
  const bot = await startBot(config.discord, botContext, loadCommands(log), log, community);
  return bot.stop;
}
