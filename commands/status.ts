import { InteractionContextType, MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/bot/context';
import { unknownNetworkReply } from '../src/discord/bot/replies';
import { renderNetworkDetail, renderStatusOverview } from '../src/discord/bot/render';
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
    const [rows, spend] = await Promise.all([ctx.status.rows(ctx.status.networks, interaction.guildId), ctx.xSpend?.().catch(() => null)]);
    const reply = renderStatusOverview(rows, ctx.clock());
    // X bills per use: the team sees what watching it costs, right where they look.
    if (spend) reply.content = [reply.content, xSpendLine(spend)].filter(Boolean).join('\n');
    await interaction.editReply(reply);
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

export function xSpendLine(s: { spentUsd: number; projectedUsd: number; budgetUsd: number }): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return `X: ${usd(s.spentUsd)} spent this month of ${usd(s.budgetUsd)}, projected ${usd(s.projectedUsd)}.`;
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  return autocompleteNetwork(interaction, ctx);
}
