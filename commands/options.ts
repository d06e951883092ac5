import type { AutocompleteInteraction } from 'discord.js';
import type { BotContext } from '../src/discord/bot/context';

/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25;

/** Network names matching what the user typed, by key or display name. */
export async function autocompleteNetwork(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const q = String(interaction.options.getFocused()).trim().toLowerCase();
  const choices = ctx.status.networks
    .filter((n) => !q || n.name.includes(q) || n.displayName.toLowerCase().includes(q))
    .slice(0, MAX_CHOICES)
    .map((n) => ({ name: n.displayName === n.name ? n.name : `${n.displayName} (${n.name})`, value: n.name }));
  await interaction.respond(choices);
}

/** Open incidents (across networks) matching what the user typed. */
export async function autocompleteIncident(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const q = String(interaction.options.getFocused()).trim().toLowerCase();
  const open = await ctx.status.incidents(ctx.status.networks, 'active', interaction.guildId, MAX_CHOICES);
  const choices = open
    .filter(({ incident }) => !q || incident.id.includes(q) || incident.title.toLowerCase().includes(q))
    .map(({ incident }) => ({ name: `${incident.network}: ${incident.title} (${incident.status})`.slice(0, 100), value: incident.id }));
  await interaction.respond(choices.slice(0, MAX_CHOICES));
}
