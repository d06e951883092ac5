// Interaction responses and the interaction webhook (original response + follow-ups).
// https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
// These routes are authenticated by the token in the URL: discord.js sends them with `auth: false`.
import { MessageFlags, MessageType } from 'discord-api-types/v10';
import { type ApiAnswer, errors, FormErrors, validateMessage } from './limits';
import { applyEdit, buildMessage } from './messages';
import { gatewayMessage } from './routes-channels';
import type { FakeInteraction, FakeMessage, FakeState } from './state';
import type { Route, RouteContext } from './rest';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const LOADING = MessageFlags.Loading;
const EPHEMERAL = MessageFlags.Ephemeral;

/** Callback types each interaction type accepts (Interaction Callback Type table). */
const ALLOWED: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8] };

function interactionMessage(s: FakeState, i: FakeInteraction, data: Obj, files: RouteContext['files'], extraFlags = 0): FakeMessage {
  const member = obj(i.payload.member);
  const message = buildMessage(s, i.channelId, data, {
    webhook: true,
    files,
    type: i.type === 2 ? MessageType.ChatInputCommand : MessageType.Default,
    extra: {
      interaction_metadata: {
        id: i.id,
        type: i.type as 2,
        user: member.user as FakeMessage['author'],
        authorizing_integration_owners: { 0: s.channels.get(i.channelId)?.guildId ?? s.guildId },
      },
    },
  });
  message.flags =
    ((message.flags ?? 0) & (EPHEMERAL | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2)) |
    extraFlags;
  const ephemeral = (message.flags & EPHEMERAL) !== 0;
  s.storeMessage(s.channels.get(i.channelId), message, !ephemeral);
  if (!ephemeral) s.dispatch('MESSAGE_CREATE', gatewayMessage(s, message, s.channels.get(i.channelId)));
  return message;
}

async function callback({ state: s, params: [id = '', token = ''], body, files, query }: RouteContext): Promise<ApiAnswer> {
  const i = s.interactions.get(id);
  if (!i || i.token !== token) return errors.unknownInteraction();
  if (i.callback) return errors.alreadyAcknowledged();
  // "you must send an initial response within 3 seconds ... If the 3 second deadline is exceeded, the token will be invalidated."
  if (Date.now() - i.createdAt > s.opts.interactionDeadlineMs) return errors.unknownInteraction();
  const b = obj(body);
  const type = Number(b.type);
  const data = obj(b.data);
  if (!(ALLOWED[i.type] ?? []).includes(type)) {
    const e = new FormErrors();
    e.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${(ALLOWED[i.type] ?? []).join(', ')}}.`);
    return e.answer() as ApiAnswer;
  }
  let resource: FakeMessage | undefined;
  if (type === 4) {
    const invalid = validateMessage(data, { fileCount: files.length });
    if (invalid) return invalid;
    resource = interactionMessage(s, i, data, files);
    i.originalMessageId = resource.id;
  } else if (type === 5) {
    // Only EPHEMERAL may be set on a deferred response; the user sees a loading message.
    const m = interactionMessage(s, i, {}, [], LOADING | (Number(data.flags ?? 0) & EPHEMERAL));
    i.originalMessageId = m.id;
  } else if (type === 6 || type === 7) {
    const source = s.messageIndex.get(String(obj(i.payload.message).id));
    if (!source) return errors.unknownMessage();
    i.originalMessageId = source.id;
    if (type === 7) {
      const invalid = validateMessage(data, { existing: source as unknown as Obj, fileCount: files.length });
      if (invalid) return invalid;
      resource = applyEdit(source, data, files, true);
      s.dispatch('MESSAGE_UPDATE', gatewayMessage(s, source, s.channels.get(source.channel_id)));
    }
  } else if (type === 8) {
    const choices = Array.isArray(data.choices) ? data.choices : [];
    if (choices.length > 25) {
      const e = new FormErrors();
      e.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      return e.answer() as ApiAnswer;
    }
  }
  i.callback = { type, ...(b.data !== undefined ? { data } : {}) };
  if (query.get('with_response') !== 'true') return { status: 204 };
  const original = i.originalMessageId ? s.messageIndex.get(i.originalMessageId) : undefined;
  return {
    status: 200,
    body: {
      interaction: {
        id: i.id,
        type: i.type,
        ...(original && type !== 6 && type !== 7
          ? {
              response_message_id: original.id,
              response_message_loading: type === 5,
              response_message_ephemeral: ((original.flags ?? 0) & EPHEMERAL) !== 0,
            }
          : {}),
      },
      resource: { type, ...(resource ? { message: resource } : {}) },
    },
  };
}

/** Resolves the interaction behind `/webhooks/{application.id}/{interaction.token}`. */
function webhookInteraction(s: FakeState, appId: string, token: string): FakeInteraction | ApiAnswer {
  if (appId !== s.opts.applicationId) return errors.unknownWebhook();
  const i = s.interactionByToken(token);
  if (!i) return errors.invalidWebhookToken();
  // Before the initial response the interaction webhook does not exist yet.
  if (!i.callback) return errors.unknownWebhook();
  return i;
}

function targetMessage(s: FakeState, i: FakeInteraction, which: string): FakeMessage | undefined {
  const id = which === '@original' ? i.originalMessageId : which;
  if (!id || (which !== '@original' && !i.followupIds.includes(id))) return undefined;
  return s.messageIndex.get(id);
}

function webhookMessage({ state: s, method, params: [appId = '', token = '', which = ''], body, files }: RouteContext): ApiAnswer {
  const i = webhookInteraction(s, appId, token);
  if ('status' in i) return i;
  const message = targetMessage(s, i, which);
  if (!message) return errors.unknownMessage();
  const listed = ((message.flags ?? 0) & EPHEMERAL) === 0;
  const ch = s.channels.get(message.channel_id);
  if (method === 'GET') return { status: 200, body: message };
  if (method === 'DELETE') {
    s.messageIndex.delete(message.id);
    if (ch) ch.messages = ch.messages.filter((m) => m.id !== message.id);
    if (listed) s.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, guild_id: ch?.guildId ?? s.guildId });
    return { status: 204 };
  }
  const b = obj(body);
  const invalid = validateMessage(b, { existing: message as unknown as Obj, fileCount: files.length });
  if (invalid) return invalid;
  applyEdit(message, b, files, true);
  message.flags = (message.flags ?? 0) & ~LOADING;
  if (listed) s.dispatch('MESSAGE_UPDATE', gatewayMessage(s, message, ch));
  return { status: 200, body: message };
}

/** Create Followup Message: `wait` is always true for interaction webhooks, so it always answers 200. */
function followup({ state: s, params: [appId = '', token = ''], body, files }: RouteContext): ApiAnswer {
  const i = webhookInteraction(s, appId, token);
  if ('status' in i) return i;
  const b = obj(body);
  const invalid = validateMessage(b, { fileCount: files.length });
  if (invalid) return invalid;
  const original = i.originalMessageId ? s.messageIndex.get(i.originalMessageId) : undefined;
  if (i.callback?.type === 5 && original && ((original.flags ?? 0) & LOADING) !== 0) {
    // Deprecated compatibility: the first follow-up after a deferred response edits the loading message.
    applyEdit(original, { ...b, flags: undefined }, files, true);
    original.flags = (original.flags ?? 0) & ~LOADING;
    return { status: 200, body: original };
  }
  const message = interactionMessage(s, i, b, files);
  i.followupIds.push(message.id);
  return { status: 200, body: message };
}

export function interactionRoutes(): Route[] {
  const r = (method: string, path: string, handler: Route['handler']): Route => ({
    method,
    pattern: new RegExp(`^${path}$`),
    auth: false,
    handler,
  });
  const hook = '/webhooks/(\\d+)/([^/]+)';
  return [
    r('POST', '/interactions/(\\d+)/([^/]+)/callback', callback),
    r('POST', hook, followup),
    ...['GET', 'PATCH', 'DELETE'].map((m) => r(m, `${hook}/messages/(@original|\\d+)`, webhookMessage)),
  ];
}
