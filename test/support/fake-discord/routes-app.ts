// Application and application-command routes.
// https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
// https://discord.com/developers/docs/resources/application#get-current-application
import { type ApiAnswer, apiError, FormErrors } from './limits';
import { botUser } from './payloads';
import { type FakeState, snowflake } from './state';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import type { Route, RouteContext } from './rest';

type Obj = Record<string, unknown>;
const missingAccess = () => apiError(403, 50001, 'Missing Access');
/** CHAT_INPUT names: 1-32 chars, lowercase letters/digits/-/_ (application-commands#naming). */
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function scopeOf(s: FakeState, appId: string, guildId?: string): string | ApiAnswer {
  if (appId !== s.opts.applicationId) return missingAccess();
  if (guildId !== undefined && !s.guild(guildId)) return missingAccess();
  return guildId ?? 'global';
}

function toCommand(s: FakeState, scope: string, raw: Obj, existing: APIApplicationCommand[]): APIApplicationCommand {
  const type = typeof raw.type === 'number' ? raw.type : 1;
  const same = existing.find((c) => c.name === raw.name && c.type === type);
  return {
    id: same?.id ?? snowflake(),
    application_id: s.opts.applicationId,
    version: snowflake(),
    type,
    name: String(raw.name),
    name_localizations: (raw.name_localizations as Record<string, string>) ?? null,
    description: typeof raw.description === 'string' ? raw.description : '',
    description_localizations: (raw.description_localizations as Record<string, string>) ?? null,
    default_member_permissions: (raw.default_member_permissions as string | null) ?? null,
    nsfw: raw.nsfw === true,
    integration_types: (raw.integration_types as number[]) ?? [0],
    contexts: (raw.contexts as number[] | null) ?? null,
    ...(scope !== 'global' ? { guild_id: scope } : {}),
    ...(Array.isArray(raw.options) ? { options: raw.options } : {}),
  } as APIApplicationCommand;
}

function validateCommands(list: Obj[]): ApiAnswer | null {
  const e = new FormErrors();
  list.forEach((c, i) => {
    const chatInput = (c.type ?? 1) === 1;
    if (typeof c.name !== 'string' || (chatInput ? !NAME.test(c.name) : c.name.length < 1 || c.name.length > 32)) {
      e.add([i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    if (chatInput && (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 100)) {
      e.add([i, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (Array.isArray(c.options) && c.options.length > 25) e.add([i, 'options'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  });
  return e.answer();
}

function put({ state: s, params: [appId = '', guildId], body }: RouteContext): ApiAnswer {
  const scope = scopeOf(s, appId, guildId);
  if (typeof scope !== 'string') return scope;
  if (!Array.isArray(body))
    return apiError(400, 50035, 'Invalid Form Body', {
      _errors: [{ code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' }],
    });
  const invalid = validateCommands(body as Obj[]);
  if (invalid) return invalid;
  const existing = s.commands.get(scope) ?? [];
  const next = (body as Obj[]).map((c) => toCommand(s, scope, c, existing));
  s.commands.set(scope, next);
  return { status: 200, body: next };
}

function post({ state: s, params: [appId = '', guildId], body }: RouteContext): ApiAnswer {
  const scope = scopeOf(s, appId, guildId);
  if (typeof scope !== 'string') return scope;
  const raw = (body ?? {}) as Obj;
  const invalid = validateCommands([raw]);
  if (invalid) return invalid;
  const existing = s.commands.get(scope) ?? [];
  const command = toCommand(s, scope, raw, existing);
  const replaced = existing.some((c) => c.id === command.id);
  s.commands.set(scope, [...existing.filter((c) => c.id !== command.id), command]);
  return { status: replaced ? 200 : 201, body: command };
}

function list({ state: s, params: [appId = '', guildId] }: RouteContext): ApiAnswer {
  const scope = scopeOf(s, appId, guildId);
  return typeof scope === 'string' ? { status: 200, body: s.commands.get(scope) ?? [] } : scope;
}

export function appRoutes(): Route[] {
  const r = (method: string, path: string, handler: Route['handler']): Route => ({
    method,
    pattern: new RegExp(`^${path}$`),
    auth: true,
    handler,
  });
  const global = '/applications/(\\d+)/commands';
  const guild = '/applications/(\\d+)/guilds/(\\d+)/commands';
  const application = ({ state: s }: RouteContext): ApiAnswer => ({
    status: 200,
    body: {
      id: s.opts.applicationId,
      name: 'chainwatch',
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      team: null,
      owner: { ...botUser(s), id: s.ownerId, username: 'owner', bot: undefined },
      bot: botUser(s),
      approximate_guild_count: 1,
      redirect_uris: [],
      interactions_endpoint_url: null,
      integration_types_config: { 0: {} },
    },
  });
  return [
    r('GET', '/applications/@me', application),
    r('GET', '/oauth2/applications/@me', application),
    r('PUT', global, put),
    r('GET', global, list),
    r('POST', global, post),
    r('PUT', guild, put),
    r('GET', guild, list),
    r('POST', guild, post),
  ];
}
