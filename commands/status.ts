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
import { renderNetworkDetail, renderStatusOverview, type BotReply } from '../src/discord/bot/render';
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
    // X bills per use: moderators see what watching it costs, under the status everyone sees.
    const moderator = checkModerator(interaction, ctx.discord).ok;
    const [rows, spend] = await Promise.all([
      ctx.status.rows(ctx.status.networks, interaction.guildId),
      moderator ? ctx.xSpend?.().catch(() => null) : null,
    ]);
    const reply = renderStatusOverview(rows, ctx.clock());
    await interaction.editReply(spend ? withFooterLine(reply, xSpendLine(spend)) : reply);
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

/** A line added to the footer of the reply's last embed, below everything else. */
function withFooterLine(reply: BotReply, line: string): BotReply {
  const embeds = [...(reply.embeds ?? [])];
  const last = embeds.pop();
  if (!last) return { ...reply, content: line };
  const footer = last.footer?.text ? `${last.footer.text}\n${line}` : line;
  return { ...reply, embeds: [...embeds, { ...last, footer: { ...last.footer, text: footer } }] };
}

export function xSpendLine(s: { spentUsd: number; projectedUsd: number; budgetUsd: number }): string {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return `X: ${usd(s.spentUsd)} spent this month of ${usd(s.budgetUsd)}, projected ${usd(s.projectedUsd)}.`;
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  return autocompleteNetwork(interaction, ctx);
}
