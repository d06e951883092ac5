import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from '../src/discord/bot/context';
import { errorReply, unknownNetworkReply } from '../src/discord/bot/replies';
import { parseDuration } from '../src/config';
import { MAX_SILENCE_MS } from '../src/model';
import { formatDuration } from '../src/util/format';
import { autocompleteNetwork } from './options';

export const data = new SlashCommandBuilder()
  .setName('silence')
  .setDescription('Moderators: hold public posts for a network during maintenance (incidents are still recorded)')
  .addStringOption((o) => o.setName('network').setDescription('The network').setAutocomplete(true).setRequired(true))
  .addStringOption((o) =>
    o.setName('duration').setDescription('For how long, e.g. 30m, 2h, 1d (at most 7d)').setRequired(true).setMaxLength(20),
  )
  .addStringOption((o) => o.setName('reason').setDescription('Why, e.g. "planned upgrade"').setRequired(true).setMaxLength(200))
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

export const moderatorOnly = true;

const MIN_SILENCE_MS = 60_000;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const name = interaction.options.getString('network', true);
  const durationText = interaction.options.getString('duration', true);
  const reason = interaction.options.getString('reason', true).trim();
  const network = ctx.status.find(name);
  if (!network) return void (await interaction.reply({ ...unknownNetworkReply(name, ctx), flags: MessageFlags.Ephemeral }));
  const ms = parseDuration(durationText);
  if (ms === undefined || ms < MIN_SILENCE_MS || ms > MAX_SILENCE_MS) {
    await interaction.reply({
      ...errorReply(`“${durationText.slice(0, 20)}” is not a duration from 1 minute to 7 days. Try 30m, 2h or 1d.`),
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const now = ctx.clock();
  const by = interaction.user.username || interaction.user.id;
  await ctx.silences.set(network.name, { until: now + ms, reason, by, createdAt: now });
  await interaction.editReply({
    content: `🔇 ${network.displayName} is silenced for ${formatDuration(ms)} (until <t:${Math.floor((now + ms) / 1000)}:f>). Incidents are still recorded; public posts resume afterwards, or with /unsilence.`,
    allowedMentions: { parse: [] },
  });
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  return autocompleteNetwork(interaction, ctx);
}
