import type { ModeratorAction } from '../../engine/actions';
import type { Incident } from '../../model';
import { escapeInline } from '../escape';
import type { ActionRefused } from '../../queue/commit';
import type { BotContext } from './context';
import type { ModeratorCheck } from './permissions';
import { renderError } from './render';
import type { BotReply } from './render/types';

/**
 * The short replies of commands and buttons, mapped onto renderError's plain-words messages.
 * Whether they are ephemeral is decided where they are sent.
 */

export function errorReply(text: string): BotReply {
  return { content: `⚠️ ${text}`, allowedMentions: { parse: [] } };
}

export function unknownNetworkReply(name: string, ctx: Pick<BotContext, 'status'>): BotReply {
  return renderError('unknown_network', { name, known: ctx.status.networks.map((n) => n.name) });
}

export function notAllowedReply(check: Extract<ModeratorCheck, { ok: false }>): BotReply {
  return renderError('not_allowed', { roleIds: check.roleIds, permission: 'Manage Server' });
}

export function refusalReply(err: ActionRefused, incidentId: string): BotReply {
  const inc = err.incident;
  switch (err.reason) {
    case 'no_incident':
      return renderError('no_such_incident', { id: incidentId });
    case 'closed':
      return renderError('already_resolved', {
        id: incidentId,
        status: inc?.status === 'dismissed' ? 'dismissed' : 'resolved',
        at: inc?.resolvedAt ?? null,
      });
    case 'already_acknowledged':
      return renderError('already_acknowledged', { id: incidentId, by: inc?.ack?.by ?? 'someone', at: inc?.ack?.at ?? 0 });
    case 'not_suspected':
      return renderError('not_suspected', { id: incidentId, status: inc?.status ?? 'public' });
    case 'empty_text':
      return renderError('empty_text', {});
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
