import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from '../src/discord/bot/context';
import { checkModerator } from '../src/discord/bot/permissions';
import { unknownNetworkReply } from '../src/discord/bot/replies';
import { renderIncidentList } from '../src/discord/bot/render';
import { autocompleteNetwork } from './options';

export const data = new SlashCommandBuilder()
  .setName('incidents')
  .setDescription('Open or recent incidents')
  .addStringOption((o) => o.setName('network').setDescription('Only this network').setAutocomplete(true))
  .addStringOption((o) =>
    o
      .setName('filter')
      .setDescription('Open incidents (default) or the most recent ones')
      .addChoices({ name: 'active', value: 'active' }, { name: 'recent', value: 'recent' }),
  )
  .setContexts(InteractionContextType.Guild);

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const name = interaction.options.getString('network');
  const filter = interaction.options.getString('filter') === 'recent' ? 'recent' : 'active';
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  let networks = ctx.status.networks;
  if (name !== null) {
    const network = ctx.status.find(name);
    if (!network) {
      await interaction.editReply(unknownNetworkReply(name, ctx));
      return;
    }
    networks = [network];
  }
  const items = await ctx.status.incidents(networks, filter, interaction.guildId);
  // Suspected incidents are not public: only moderators, who can confirm or dismiss them, see them.
  const includeSuspected = checkModerator(interaction, ctx.discord).ok;
  await interaction.editReply(renderIncidentList(items, filter, ctx.clock(), { includeSuspected }));
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  return autocompleteNetwork(interaction, ctx);
}
