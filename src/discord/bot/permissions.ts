import { PermissionFlagsBits, type Interaction } from 'discord.js';
import type { DiscordConfig } from '../../config';

export type ModeratorCheck = { ok: true; by: string } | { ok: false; roleIds: string[] };

/**
 * Moderator rights, checked on the server side for every command and button: a slash
 * command's default permissions are only a default that server admins can change.
 * A moderator has one of the configured roles, or the Manage Server permission.
 */
export function checkModerator(interaction: Interaction, config: DiscordConfig): ModeratorCheck {
  const by = interaction.user.username || interaction.user.id;
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return { ok: true, by };
  const roles = memberRoleIds(interaction);
  if (config.moderatorRoleIds.some((r) => roles.includes(r))) return { ok: true, by };
  return { ok: false, roleIds: config.moderatorRoleIds };
}

function memberRoleIds(interaction: Interaction): string[] {
  const roles = interaction.member?.roles;
  if (!roles) return [];
  return Array.isArray(roles) ? roles : [...roles.cache.keys()];
}
