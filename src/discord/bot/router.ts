import {
  ActionRowBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ButtonInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { CommandMap } from './command';
import { MAX_UPDATE_CHARS, type ModeratorAction } from '../../engine/actions';
import { parseIncidentCustomId } from '../render-buttons';
import { ActionRefused } from '../../queue/commit';
import type { BotContext } from './context';
import { checkModerator } from './permissions';
import { actionDoneReply, errorReply, notAllowedReply, refusalReply } from './replies';
import type { BotReply } from './render/types';

const UPDATE_MODAL = 'incident-update:';
const UPDATE_FIELD = 'text';

/**
 * The one interaction router (discord.js guide's event handling): chat commands, autocomplete,
 * the moderator buttons under incident messages and the update modal. Moderator rights are
 * checked here, server side, for every command and button. One try/catch answers every error
 * ephemerally (followUp when already deferred).
 */
export function createInteractionRouter(commands: CommandMap, ctx: BotContext) {
  return async function route(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        const command = commands.get(interaction.commandName);
        await command?.autocomplete?.(interaction, ctx);
      } else if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (!command)
          return void (await reply(interaction, errorReply(`Unknown command /${interaction.commandName}: run deploy-commands again.`)));
        if (command.moderatorOnly && !(await allowed(interaction, ctx))) return;
        await command.execute(interaction, ctx);
      } else if (interaction.isButton()) {
        await onButton(interaction, ctx);
      } else if (interaction.isModalSubmit() && interaction.customId.startsWith(UPDATE_MODAL)) {
        await onUpdateModal(interaction, ctx);
      }
    } catch (err) {
      if (interaction.isAutocomplete()) return void ctx.log.warn({ err: (err as Error).message }, 'autocomplete failed');
      const incidentId = incidentIdOf(interaction);
      const answer =
        err instanceof ActionRefused
          ? refusalReply(err, incidentId)
          : errorReply('Something went wrong on our side; it has been logged. Try again in a moment.');
      if (!(err instanceof ActionRefused)) ctx.log.error({ err, interaction: interaction.id }, 'interaction failed');
      if (interaction.isRepliable())
        await reply(interaction, answer).catch((e) => ctx.log.warn({ err: (e as Error).message }, 'could not answer the interaction'));
    }
  };
}

async function allowed(interaction: RepliableInteraction, ctx: BotContext): Promise<boolean> {
  const check = checkModerator(interaction, ctx.discord);
  if (check.ok) return true;
  await reply(interaction, notAllowedReply(check));
  return false;
}

async function onButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const parsed = parseIncidentCustomId(interaction.customId);
  if (!parsed) return;
  if (!(await allowed(interaction, ctx))) return;
  const { action, incidentId } = parsed;
  if (action === 'update') {
    // Text needs a form: a modal answers within the 3 s window and returns as its own interaction.
    const input = new TextInputBuilder()
      .setCustomId(UPDATE_FIELD)
      .setLabel('Update for the thread')
      .setStyle(TextInputStyle.Paragraph)
      .setMaxLength(MAX_UPDATE_CHARS)
      .setRequired(true);
    const modal = new ModalBuilder()
      .setCustomId(`${UPDATE_MODAL}${incidentId}`)
      .setTitle('Post an update')
      .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input));
    await interaction.showModal(modal);
    return;
  }
  const by = interaction.user.username || interaction.user.id;
  const act: ModeratorAction =
    action === 'ack'
      ? { type: 'ack', by }
      : action === 'resolve'
        ? { type: 'resolve', by }
        : action === 'confirm'
          ? { type: 'confirm', by }
          : { type: 'dismiss', by };
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const incident = await ctx.actions.apply(incidentId, act, interaction.id);
  await interaction.editReply(actionDoneReply(act, incident));
}

async function onUpdateModal(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void> {
  if (!(await allowed(interaction, ctx))) return;
  const incidentId = interaction.customId.slice(UPDATE_MODAL.length);
  const by = interaction.user.username || interaction.user.id;
  const act: ModeratorAction = { type: 'update', by, text: interaction.fields.getTextInputValue(UPDATE_FIELD) };
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const incident = await ctx.actions.apply(incidentId, act, interaction.id);
  await interaction.editReply(actionDoneReply(act, incident));
}

function incidentIdOf(interaction: Interaction): string {
  if (interaction.isButton()) return parseIncidentCustomId(interaction.customId)?.incidentId ?? '';
  if (interaction.isModalSubmit()) return interaction.customId.slice(UPDATE_MODAL.length);
  if (interaction.isChatInputCommand()) return interaction.options.getString('incident') ?? '';
  return '';
}

/** Ephemeral, whatever state the interaction is in. */
async function reply(interaction: RepliableInteraction, body: BotReply): Promise<void> {
  if (interaction.deferred) await interaction.editReply(body);
  else if (interaction.replied) await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}
