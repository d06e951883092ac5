import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';
import type { NetworkSnapshot, ProbeView } from '../../../engine';
import type { EndpointClientView } from '../../../util/client-version';

/** What /status knows about one network: the engine's snapshot, and where its thread and clients are. */
export interface NetworkStatusRow extends NetworkSnapshot {
  /** https://discord.com/channels/<guild>/<thread> of the incident's thread, when known. */
  threadUrl?: string;
  /** Per endpoint label: its client (web3_clientVersion) against the configured minimum. */
  clients?: Record<string, EndpointClientView>;
  /** Per endpoint label with node metrics: "op-reth: 91% of 32 GiB, +1.4 GiB/h, …". */
  memory?: Record<string, string>;
  /** The inclusion probe's measured times (networks with a `probe:` section). */
  probe?: ProbeView;
}

/**
 * A reply to a slash command, usable as it is with discord.js `interaction.reply()`,
 * `editReply()` and `followUp()` (the test checks it against InteractionEditReplyOptions).
 * Whether it is ephemeral is the command's choice, made when it replies or defers.
 * `allowedMentions` is always empty: replies echo names and titles, and an interaction
 * reply would otherwise parse user mentions (reference/apis.md §1).
 */
export interface BotReply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowedMentions: { parse: [] };
}
