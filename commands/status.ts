import { InteractionContextType, MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/bot/context';
import { unknownNetworkReply } from '../src/bot/replies';
import { renderNetworkDetail, renderStatusOverview } from '../src/bot/render';
import { autocompleteNetwork } from './options';

export const data = new SlashCommandBuilder()
  .setName('status')
  .setDescription('Network status: every network at a glance, or one in detail')
  .addStringOption((o) => o.setName('network').setDescription('One network, in detail').setAutocomplete(true))
  .setContexts(InteractionContextType.Guild);

/** Parse options → defer (Redis) → query → render → reply. */
export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const name = interaction.options.getString('network');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  if (name === null) {
    const rows = await ctx.status.rows(ctx.status.networks, interaction.guildId);
    await interaction.editReply(renderStatusOverview(rows, ctx.clock()));
    return;
  }
  const network = ctx.status.find(name);
  if (!network) {
    await interaction.editReply(unknownNetworkReply(name, ctx));
    return;
  }
  const [[row], recent] = await Promise.all([ctx.status.rows([network], interaction.guildId), ctx.status.recent(network.name, 5)]);
  await interaction.editReply(renderNetworkDetail(row!, recent, ctx.clock()));
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  return autocompleteNetwork(interaction, ctx);
}
