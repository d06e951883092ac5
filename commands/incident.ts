import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { BotContext } from '../src/discord/bot/context';
import { actionDoneReply } from '../src/discord/bot/replies';
import { MAX_UPDATE_CHARS, type ModeratorAction } from '../src/engine/actions';
import { autocompleteIncident } from './options';

const withIncident = (s: SlashCommandSubcommandBuilder) =>
  s.addStringOption((o) =>
    o.setName('incident').setDescription('The incident (type to search open ones)').setAutocomplete(true).setRequired(true),
  );

export const data = new SlashCommandBuilder()
  .setName('incident')
  .setDescription('Moderators: acknowledge and steer an incident')
  .addSubcommand((s) => withIncident(s.setName('ack').setDescription('Acknowledge: the team is on it')))
  .addSubcommand((s) =>
    withIncident(s.setName('update').setDescription('Post an update into the thread')).addStringOption((o) =>
      o.setName('text').setDescription('What people should know').setRequired(true).setMaxLength(MAX_UPDATE_CHARS),
    ),
  )
  .addSubcommand((s) =>
    withIncident(s.setName('resolve').setDescription('Resolve it now')).addStringOption((o) =>
      o.setName('reason').setDescription('Why').setMaxLength(300),
    ),
  )
  .addSubcommand((s) => withIncident(s.setName('confirm').setDescription('Make a suspected incident public')))
  .addSubcommand((s) =>
    withIncident(s.setName('dismiss').setDescription('A false alarm')).addStringOption((o) =>
      o.setName('reason').setDescription('Why').setMaxLength(300),
    ),
  )
  // Only a default: server admins can change who sees it, so the router checks again.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

export const moderatorOnly = true;

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const sub = interaction.options.getSubcommand(true);
  const incidentId = interaction.options.getString('incident', true).trim();
  const by = interaction.user.username || interaction.user.id;
  const action = toAction(sub, by, interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const incident = await ctx.actions.apply(incidentId, action, interaction.id);
  await interaction.editReply(actionDoneReply(action, incident));
}

function toAction(sub: string, by: string, interaction: ChatInputCommandInteraction): ModeratorAction {
  const reason = interaction.options.getString('reason') ?? undefined;
  switch (sub) {
    case 'ack':
      return { type: 'ack', by };
    case 'update':
      return { type: 'update', by, text: interaction.options.getString('text', true) };
    case 'resolve':
      return { type: 'resolve', by, ...(reason ? { reason } : {}) };
    case 'confirm':
      return { type: 'confirm', by };
    case 'dismiss':
      return { type: 'dismiss', by, ...(reason ? { reason } : {}) };
    default:
      throw new Error(`unknown subcommand ${sub}`);
  }
}

export function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  return autocompleteIncident(interaction, ctx);
}
