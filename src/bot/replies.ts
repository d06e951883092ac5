import type { ModeratorAction } from '../incidents/actions';
import type { Incident } from '../incidents/types';
import { escapeInline } from '../publish/discord/escape';
import type { ActionRefused } from './action-service';
import type { BotContext } from './context';
import type { BotReply } from './render/types';

/**
 * The short replies of commands and buttons: specific, in plain words, never pinging.
 * Whether they are ephemeral is decided where they are sent.
 */

export function errorReply(text: string): BotReply {
  return { content: `⚠️ ${text}`, allowedMentions: { parse: [] } };
}

export function unknownNetworkReply(name: string, ctx: Pick<BotContext, 'status'>): BotReply {
  const known = ctx.status.networks.map((n) => `\`${n.name}\``).join(', ');
  return errorReply(`Unknown network “${escapeInline(name, 60)}”. Known networks: ${known}.`);
}

export function notAllowedReply(needed: string): BotReply {
  return errorReply(`Only moderators can do that: it needs ${needed}.`);
}

export function refusalReply(err: ActionRefused, incidentId: string): BotReply {
  const id = `\`${escapeInline(incidentId, 80)}\``;
  const title = err.incident ? `“${escapeInline(err.incident.title, 100)}”` : id;
  switch (err.reason) {
    case 'no_incident':
      return errorReply(`No such incident: ${id}. /incidents lists the open ones.`);
    case 'closed':
      return errorReply(`${title} is already ${err.incident?.status ?? 'closed'}.`);
    case 'already_acknowledged':
      return errorReply(`${title} was already acknowledged by ${escapeInline(err.incident?.ack?.by ?? 'someone', 60)}.`);
    case 'not_suspected':
      return errorReply(`${title} is already public.`);
    case 'empty_text':
      return errorReply('An update needs some text.');
  }
}

export function actionDoneReply(action: ModeratorAction, incident: Incident): BotReply {
  const title = `“${escapeInline(incident.title, 100)}” (${incident.network})`;
  const done: Record<ModeratorAction['type'], string> = {
    ack: `Acknowledged ${title}. It shows in the thread and on the alert.`,
    update: `Posted your update to ${title}.`,
    resolve: `Resolved ${title}.`,
    confirm: `${title} is public now.`,
    dismiss: `Dismissed ${title} as a false alarm.`,
  };
  return { content: `✅ ${done[action.type]}`, allowedMentions: { parse: [] } };
}
