import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from '../src/discord/bot/context';
import { unknownNetworkReply } from '../src/discord/bot/replies';
import { autocompleteNetwork } from './options';

export const data = new SlashCommandBuilder()
  .setName('unsilence')
  .setDescription('Moderators: end a network’s silence now')
  .addStringOption((o) => o.setName('network').setDescription('The network').setAutocomplete(true).setRequired(true))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

export const moderatorOnly = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const name = interaction.options.getString('network', true);
  const network = ctx.status.find(name);
  if (!network) return void (await interaction.reply({ ...unknownNetworkReply(name, ctx), flags: MessageFlags.Ephemeral }));
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const cleared = await ctx.silences.clear(network.name);
  await interaction.editReply({
    content: cleared ? `🔔 ${network.displayName} is no longer silenced: public posts resume.` : `${network.displayName} was not silenced.`,
    allowedMentions: { parse: [] },
  });
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  return autocompleteNetwork(interaction, ctx);
}
