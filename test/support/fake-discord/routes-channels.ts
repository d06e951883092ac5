// Gateway discovery, users, channels, messages and threads.
// https://discord.com/developers/docs/resources/channel , .../resources/message , .../events/gateway#get-gateway-bot
import { ChannelType, MessageFlags } from 'discord-api-types/v10';
import { type ApiAnswer, apiError, errors, FormErrors, validateMessage, validateThreadBody } from './limits';
import { checkAttachments } from './attachments';
import { applyEdit, buildMessage } from './messages';
import { botMember, botUser, channel } from './payloads';
import { type FakeChannel, type FakeMessage, type FakeState, isoTimestamp } from './state';
import type { Route, RouteContext } from './rest';

type Obj = Record<string, unknown>;
/** Discord's daily session starts for most bots. */
const SESSION_STARTS = 1000;
const ok = (body: unknown, status = 200): ApiAnswer => ({ status, body });
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

/** MESSAGE_CREATE/UPDATE carry guild_id and a partial member next to the message object. */
export function gatewayMessage(s: FakeState, m: FakeMessage, ch: FakeChannel | undefined): Obj {
  const { user: _user, ...member } = botMember(s);
  return { ...m, ...(ch ? { guild_id: ch.guildId } : {}), ...(m.author.id === s.opts.botUserId && !m.webhook_id ? { member } : {}) };
}

function threadEvent(s: FakeState, t: string, ch: FakeChannel, extra: Obj = {}): void {
  s.dispatch(t, { ...channel(s, ch), ...extra });
  // Keep the starter message's `thread` field in step with the thread.
  const starter = ch.parentId ? s.findMessage(ch.parentId, ch.id) : undefined;
  if (starter) starter.thread = channel(s, ch);
}

function createMessage({ state: s, params: [channelId = ''], body, files }: RouteContext): ApiAnswer {
  const ch = s.channels.get(channelId);
  if (!ch) return errors.unknownChannel();
  const b = obj(body);
  const invalid = validateMessage(b, { fileCount: files.length }) ?? checkAttachments(b, files);
  if (invalid) return invalid;
  if (ch.type === ChannelType.PublicThread && ch.archived) {
    if (ch.locked) return errors.threadArchived();
    ch.archived = false; // sending to an archived, unlocked thread unarchives it
    threadEvent(s, 'THREAD_UPDATE', ch);
  }
  // enforce_nonce: "checked for uniqueness in the past few minutes. If another message was created by
  // the same author with the same nonce, that message will be returned and no new message will be created."
  const nonceKey = b.enforce_nonce === true && b.nonce !== undefined ? `${ch.id}:${s.opts.botUserId}:${String(b.nonce)}` : undefined;
  const seen = nonceKey ? s.nonces.get(nonceKey) : undefined;
  const earlier = seen && Date.now() - seen.at < s.opts.nonceWindowMs ? s.messageIndex.get(seen.messageId) : undefined;
  if (earlier) return ok(earlier);
  const extra = ch.type === ChannelType.PublicThread ? { position: ch.messages.length } : {};
  const message = buildMessage(s, ch.id, b, { files, extra });
  s.storeMessage(ch, message);
  if (nonceKey) s.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });
  s.dispatch('MESSAGE_CREATE', gatewayMessage(s, message, ch));
  return ok(message);
}

function editMessage({ state: s, params: [channelId = '', messageId = ''], body, files }: RouteContext): ApiAnswer {
  const ch = s.channels.get(channelId);
  if (!ch) return errors.unknownChannel();
  const message = s.findMessage(channelId, messageId);
  if (!message) return errors.unknownMessage();
  if (message.author.id !== s.opts.botUserId) return apiError(403, 50005, 'Cannot edit a message authored by another user');
  const b = obj(body);
  const invalid =
    validateMessage(b, { existing: message as unknown as Obj, fileCount: files.length }) ?? checkAttachments(b, files, message);
  if (invalid) return invalid;
  applyEdit(message, b, files);
  s.dispatch('MESSAGE_UPDATE', gatewayMessage(s, message, ch));
  return ok(message);
}

function deleteMessage({ state: s, params: [channelId = '', messageId = ''] }: RouteContext): ApiAnswer {
  const ch = s.channels.get(channelId);
  if (!ch) return errors.unknownChannel();
  const index = ch.messages.findIndex((m) => m.id === messageId);
  if (index < 0) return errors.unknownMessage();
  ch.messages.splice(index, 1);
  s.messageIndex.delete(messageId);
  s.dispatch('MESSAGE_DELETE', { id: messageId, channel_id: channelId, guild_id: ch.guildId });
  return { status: 204 };
}

/** Start Thread from Message: the thread's id is the message's id, one thread per message. */
function startThread({ state: s, params: [channelId = '', messageId = ''], body }: RouteContext): ApiAnswer {
  const ch = s.channels.get(channelId);
  if (!ch) return errors.unknownChannel();
  if (ch.type !== ChannelType.GuildText) return apiError(400, 50024, 'Cannot execute action on this channel type');
  const message = s.findMessage(channelId, messageId);
  if (!message) return errors.unknownMessage();
  if (s.channels.has(messageId)) return errors.threadExists();
  const invalid = validateThreadBody(body);
  if (invalid) return invalid;
  const b = obj(body);
  const thread: FakeChannel = {
    id: messageId,
    type: ChannelType.PublicThread,
    name: String(b.name),
    parentId: ch.id,
    guildId: ch.guildId,
    archived: false,
    locked: false,
    autoArchiveDuration: Number(b.auto_archive_duration ?? 1440),
    createdAt: Date.now(),
    archiveTimestamp: isoTimestamp(),
    lastMessageId: null,
    messages: [],
  };
  s.channels.set(thread.id, thread);
  message.flags = (message.flags ?? 0) | MessageFlags.HasThread;
  threadEvent(s, 'THREAD_CREATE', thread, { newly_created: true });
  s.dispatch('MESSAGE_UPDATE', gatewayMessage(s, message, ch));
  return ok(channel(s, thread), 201);
}

/** Modify Channel; for threads: name, archived, locked, auto_archive_duration. */
function modifyChannel({ state: s, params: [channelId = ''], body }: RouteContext): ApiAnswer {
  const ch = s.channels.get(channelId);
  if (!ch) return errors.unknownChannel();
  const b = obj(body);
  const e = new FormErrors();
  if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length < 1 || b.name.length > 100)) {
    e.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  if (b.auto_archive_duration !== undefined && ![60, 1440, 4320, 10080].includes(Number(b.auto_archive_duration))) {
    e.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
  }
  const invalid = e.answer();
  if (invalid) return invalid;
  if (typeof b.name === 'string') ch.name = b.name;
  if (ch.type === ChannelType.PublicThread) {
    if (typeof b.locked === 'boolean') ch.locked = b.locked;
    if (typeof b.archived === 'boolean' && b.archived !== ch.archived) {
      ch.archived = b.archived;
      ch.archiveTimestamp = isoTimestamp();
    }
    if (b.auto_archive_duration !== undefined) ch.autoArchiveDuration = Number(b.auto_archive_duration);
    threadEvent(s, 'THREAD_UPDATE', ch);
  } else {
    if (b.topic !== undefined) ch.topic = b.topic as string | null;
    s.dispatch('CHANNEL_UPDATE', channel(s, ch));
  }
  return ok(channel(s, ch));
}

export function channelRoutes(): Route[] {
  const id = '(\\d+)';
  const r = (method: string, path: string, handler: Route['handler'], auth = true): Route => ({
    method,
    pattern: new RegExp(`^${path}$`),
    auth,
    handler,
  });
  // https://discord.com/developers/docs/events/gateway#session-start-limit-object
  const sessionLimit = (s: FakeState) => ({
    total: SESSION_STARTS,
    remaining: Math.max(0, SESSION_STARTS - s.sessionStarts),
    reset_after: 0,
    max_concurrency: s.opts.maxConcurrency,
  });
  return [
    r('GET', '/gateway', ({ state }) => ok({ url: state.gatewayUrl }), false),
    r('GET', '/gateway/bot', ({ state }) =>
      ok({ url: state.gatewayUrl, shards: state.opts.shards, session_start_limit: sessionLimit(state) }),
    ),
    r('GET', '/users/@me', ({ state }) => ok({ ...botUser(state), verified: true, mfa_enabled: false, locale: 'en-US' })),
    r('GET', `/channels/${id}`, ({ state, params: [cid = ''] }) => {
      const ch = state.channels.get(cid);
      return ch ? ok(channel(state, ch)) : errors.unknownChannel();
    }),
    r('PATCH', `/channels/${id}`, modifyChannel),
    r('POST', `/channels/${id}/messages`, createMessage),
    r('GET', `/channels/${id}/messages/${id}`, ({ state, params: [cid = '', mid = ''] }) => {
      if (!state.channels.has(cid)) return errors.unknownChannel();
      const m = state.findMessage(cid, mid);
      return m ? ok(m) : errors.unknownMessage();
    }),
    r('PATCH', `/channels/${id}/messages/${id}`, editMessage),
    r('DELETE', `/channels/${id}/messages/${id}`, deleteMessage),
    r('POST', `/channels/${id}/messages/${id}/threads`, startThread),
  ];
}
