// Message objects as Discord returns them from Create/Edit Message and the interaction webhooks
// (https://discord.com/developers/docs/resources/message#message-object).
import { type APIAttachment, type APIEmbed, type APIMessage, type APIUser, MessageType } from 'discord-api-types/v10';
import { resolveAttachmentRefs } from './attachments';
import { botUser, user } from './payloads';
import { type FakeMessage, type FakeState, isoTimestamp, type RecordedFile, snowflake } from './state';

type Obj = Record<string, unknown>;
type Parse = ('users' | 'roles' | 'everyone')[];

/**
 * Which mentions ping (allowed_mentions object, .../resources/message#allowed-mentions-object):
 * without `allowed_mentions` channel messages parse everything, interaction/webhook messages users only.
 */
export function mentionsOf(
  content: string,
  allowed: unknown,
  defaultParse: Parse,
): Pick<APIMessage, 'mentions' | 'mention_roles' | 'mention_everyone'> {
  const a = (allowed && typeof allowed === 'object' ? allowed : undefined) as Obj | undefined;
  const parse = (a ? (Array.isArray(a.parse) ? a.parse : []) : defaultParse) as string[];
  const listed = (kind: string, id: string) => Array.isArray(a?.[kind]) && (a[kind] as string[]).includes(id);
  const userIds = [...new Set([...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] as string))];
  const roleIds = [...new Set([...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] as string))];
  return {
    mentions: userIds.filter((id) => parse.includes('users') || listed('users', id)).map((id) => user(id, `user${id.slice(-4)}`)),
    mention_roles: roleIds.filter((id) => parse.includes('roles') || listed('roles', id)),
    mention_everyone: parse.includes('everyone') && /@(everyone|here)\b/.test(content),
  };
}

/** Discord stores embeds as type "rich" with the text fields trimmed. */
function normalizeEmbeds(embeds: unknown): APIEmbed[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((raw) => {
    const e = { ...(raw as Obj) } as Obj;
    for (const k of ['title', 'description']) if (typeof e[k] === 'string') e[k] = (e[k] as string).trim();
    if (typeof e.timestamp === 'string' || typeof e.timestamp === 'number') {
      e.timestamp = isoTimestamp(new Date(e.timestamp as string).getTime());
    }
    return { ...e, type: 'rich' } as APIEmbed;
  });
}

function attachments(channelId: string, files: RecordedFile[], meta: unknown): APIAttachment[] {
  const described = Array.isArray(meta) ? (meta as Obj[]) : [];
  return files.map((f, n) => {
    const id = snowflake();
    const extra = described.find((d) => String(d.id) === String(n));
    return {
      id,
      filename: f.filename,
      size: f.size,
      content_type: f.contentType,
      url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${f.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${f.filename}`,
      ...(typeof extra?.description === 'string' ? { description: extra.description } : {}),
      ...(f.width !== undefined ? { width: f.width, height: f.height ?? 0 } : {}),
    };
  });
}

export interface BuildOptions {
  author?: APIUser;
  /** Interaction responses and follow-ups: the application's webhook. */
  webhook?: boolean;
  type?: MessageType;
  files?: RecordedFile[];
  extra?: Partial<APIMessage>;
}

export function buildMessage(s: FakeState, channelId: string, body: Obj, o: BuildOptions = {}): FakeMessage {
  const content = typeof body.content === 'string' ? body.content : '';
  const message: FakeMessage = {
    id: snowflake(),
    channel_id: channelId,
    author: o.author ?? botUser(s),
    content,
    timestamp: isoTimestamp(),
    edited_timestamp: null,
    tts: body.tts === true,
    ...mentionsOf(content, body.allowed_mentions, o.webhook ? ['users'] : ['users', 'roles', 'everyone']),
    attachments: attachments(channelId, o.files ?? [], body.attachments),
    embeds: normalizeEmbeds(body.embeds),
    pinned: false,
    type: o.type ?? MessageType.Default,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    components: (Array.isArray(body.components) ? body.components : []) as APIMessage['components'],
    ...(o.webhook ? { webhook_id: s.opts.applicationId, application_id: s.opts.applicationId } : {}),
    ...(body.nonce !== undefined ? { nonce: body.nonce as string | number } : {}),
    ...(body.message_reference ? { message_reference: body.message_reference as APIMessage['message_reference'] } : {}),
    ...o.extra,
  };
  if (message.message_reference) message.type = MessageType.Reply;
  resolveAttachmentRefs(message);
  return message;
}

/** Edit Message: only the fields present change; mentions are re-parsed (defaults if absent). */
export function applyEdit(message: FakeMessage, body: Obj, files: RecordedFile[] = [], webhook = false): FakeMessage {
  if (typeof body.content === 'string' || body.content === null) message.content = (body.content as string | null) ?? '';
  if (body.embeds !== undefined) message.embeds = normalizeEmbeds(body.embeds ?? []);
  if (body.components !== undefined) message.components = (body.components ?? []) as APIMessage['components'];
  if (typeof body.flags === 'number') message.flags = body.flags | ((message.flags ?? 0) & 64);
  if (Array.isArray(body.attachments) || files.length) {
    const keep = Array.isArray(body.attachments) ? (body.attachments as Obj[]).map((a) => String(a.id)) : [];
    message.attachments = [
      ...message.attachments.filter((a) => keep.includes(a.id)),
      ...attachments(message.channel_id, files, body.attachments),
    ];
  }
  Object.assign(message, mentionsOf(message.content, body.allowed_mentions, webhook ? ['users'] : ['users', 'roles', 'everyone']));
  resolveAttachmentRefs(message);
  message.edited_timestamp = isoTimestamp();
  return message;
}
