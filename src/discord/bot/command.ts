import type { AutocompleteInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext } from './context';

/**
 * One slash command (the discord.js guide's `data` + `execute`), as the files in `commands/`
 * export it. `moderatorOnly` commands are refused by the router, on the server side, to anyone
 * who is not a moderator.
 */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  moderatorOnly?: boolean;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** Commands by name, as the router looks them up. */
export type CommandMap = ReadonlyMap<string, Command>;
