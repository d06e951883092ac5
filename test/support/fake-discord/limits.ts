// Discord's validation of message bodies, answered the way Discord answers:
// 400 {"message":"Invalid Form Body","code":50035,"errors":{<path>:{"_errors":[{code,message}]}}}
// Limits: https://discord.com/developers/docs/resources/message#create-message (content 2000, 10 embeds,
// nonce 25) and #embed-object-embed-limits (title 256, description 4096, 25 fields, field name 256,
// value 1024, footer 2048, author 256, 6000 in total, whitespace trimmed and not counted).
// Error codes: https://discord.com/developers/docs/topics/opcodes-and-status-codes#json

export interface ApiAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function apiError(status: number, code: number, message: string, errors?: unknown): ApiAnswer {
  return { status, body: errors === undefined ? { message, code } : { message, code, errors } };
}

export const errors = {
  unauthorized: () => apiError(401, 0, '401: Unauthorized'),
  notFound: () => apiError(404, 0, '404: Not Found'),
  unknownChannel: () => apiError(404, 10003, 'Unknown Channel'),
  unknownMessage: () => apiError(404, 10008, 'Unknown Message'),
  unknownWebhook: () => apiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => apiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => apiError(400, 40060, 'Interaction has already been acknowledged.'),
  emptyMessage: () => apiError(400, 50006, 'Cannot send an empty message'),
  invalidWebhookToken: () => apiError(401, 50027, 'Invalid Webhook Token'),
  threadArchived: () => apiError(400, 50083, 'Thread is archived'),
  threadExists: () => apiError(400, 160004, 'A thread has already been created for this message'),
  tooLarge: () => apiError(413, 40005, 'Request entity too large'),
};

type ErrorTree = { _errors?: { code: string; message: string }[]; [key: string]: unknown };

/** Collects field errors under dotted paths and renders Discord's nested error object. */
export class FormErrors {
  private tree: ErrorTree = {};
  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) node = (node[String(key)] ??= {}) as ErrorTree;
    (node._errors ??= []).push({ code, message });
  }
  maxLength(path: (string | number)[], value: unknown, max: number): void {
    if (typeof value === 'string' && value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
  get empty(): boolean {
    return Object.keys(this.tree).length === 0;
  }
  answer(): ApiAnswer | null {
    return this.empty ? null : apiError(400, 50035, 'Invalid Form Body', this.tree);
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const trimmed = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

// Lengths are UTF-16 code units (JS .length): stricter than or equal to a code-point count, so a
// body the fake accepts is never too long for Discord on this account.
function checkEmbeds(e: FormErrors, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) return e.add(['embeds'], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
  if (embeds.length > 10) e.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((raw, i) => {
    const embed = obj(raw);
    const at = (...p: (string | number)[]) => ['embeds', i, ...p];
    e.maxLength(at('title'), trimmed(embed.title), 256);
    e.maxLength(at('description'), trimmed(embed.description), 4096);
    e.maxLength(at('footer', 'text'), trimmed(obj(embed.footer).text), 2048);
    e.maxLength(at('author', 'name'), trimmed(obj(embed.author).name), 256);
    total += trimmed(embed.title).length + trimmed(embed.description).length;
    total += trimmed(obj(embed.footer).text).length + trimmed(obj(embed.author).name).length;
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > 25) e.add(at('fields'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((rawField, j) => {
      const f = obj(rawField);
      for (const [key, max] of [
        ['name', 256],
        ['value', 1024],
      ] as const) {
        if (!trimmed(f[key])) e.add(at('fields', j, key), 'BASE_TYPE_REQUIRED', 'This field is required');
        e.maxLength(at('fields', j, key), trimmed(f[key]), max);
      }
      total += trimmed(f.name).length + trimmed(f.value).length;
    });
  });
  if (total > 6000) e.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

/** custom_id 1-100 chars and unique per message; <= 5 rows of <= 5 buttons (components/reference). */
function checkComponents(e: FormErrors, components: unknown): void {
  if (!Array.isArray(components)) return;
  const seen = new Set<string>();
  const walk = (c: Obj, path: (string | number)[]): void => {
    if (typeof c.custom_id === 'string') {
      if (c.custom_id.length < 1 || c.custom_id.length > 100) {
        e.add([...path, 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      if (seen.has(c.custom_id))
        e.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(c.custom_id);
    }
    const children = Array.isArray(c.components) ? c.components : [];
    if (c.type === 1 && children.length > 5) e.add([...path, 'components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
    children.forEach((child, i) => walk(obj(child), [...path, 'components', i]));
    if (c.accessory) walk(obj(c.accessory), [...path, 'accessory']);
  };
  const isV2 = components.some((c) => obj(c).type !== 1);
  if (!isV2 && components.length > 5) e.add(['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  components.forEach((c, i) => walk(obj(c), ['components', i]));
}

function checkAllowedMentions(e: FormErrors, am: unknown): void {
  const a = obj(am);
  const parse = Array.isArray(a.parse) ? a.parse : [];
  for (const kind of ['users', 'roles'] as const) {
    if (parse.includes(kind) && Array.isArray(a[kind]) && a[kind].length > 0) {
      e.add(
        ['allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`,
      );
    }
  }
}

export interface MessageCheck {
  /** The stored message an edit applies to (its fields count for the "empty" check). */
  existing?: Obj;
  fileCount?: number;
}

/** Validates a create/edit body; returns the error answer Discord would give, or null. */
export function validateMessage(body: unknown, check: MessageCheck = {}): ApiAnswer | null {
  const b = obj(body);
  const e = new FormErrors();
  if (b.content !== undefined && b.content !== null && typeof b.content !== 'string') {
    e.add(['content'], 'STRING_TYPE_CONVERT', 'Could not interpret "{}" as string.');
  }
  e.maxLength(['content'], b.content, 2000);
  if (b.nonce !== undefined) e.maxLength(['nonce'], String(b.nonce), 25);
  checkEmbeds(e, b.embeds);
  checkComponents(e, b.components);
  checkAllowedMentions(e, b.allowed_mentions);
  const invalid = e.answer();
  if (invalid) return invalid;
  const merged = { ...check.existing, ...b };
  const has = (v: unknown) => (Array.isArray(v) ? v.length > 0 : typeof v === 'string' ? v.trim() !== '' : !!v);
  const nonEmpty = ['content', 'embeds', 'components', 'sticker_ids', 'poll', 'attachments'].some((k) => has(merged[k]));
  if (!nonEmpty && !check.fileCount && !obj(b.message_reference).message_id) return errors.emptyMessage();
  return null;
}

export function validateThreadBody(body: unknown): ApiAnswer | null {
  const b = obj(body);
  const e = new FormErrors();
  const name = typeof b.name === 'string' ? b.name : '';
  if (name.length < 1 || name.length > 100) e.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  const dur = b.auto_archive_duration;
  if (dur !== undefined && dur !== null && ![60, 1440, 4320, 10080].includes(Number(dur))) {
    e.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of {60, 1440, 4320, 10080}.');
  }
  return e.answer();
}
