// INTERACTION_CREATE payloads as Discord sends them over the gateway
// (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object;
// discord-api-types APIChatInputApplicationCommandGuildInteraction & co).
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIMessageComponentButtonInteraction,
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  Locale,
} from 'discord-api-types/v10';
import { channel, interactionMember, permissionsOf, roles, user } from './payloads';
import { type FakeInteraction, type FakeState, randomToken, snowflake } from './state';

export type MemberSpec = { userId: string; username?: string; roles?: string[]; permissions?: string };
export type InteractionSpec =
  | { kind: 'command'; name: string; options?: APIApplicationCommandInteractionDataOption[]; member: MemberSpec; channelId?: string }
  | { kind: 'autocomplete'; name: string; options: APIApplicationCommandInteractionDataOption[]; member: MemberSpec; channelId?: string }
  | { kind: 'button'; customId: string; messageId: string; channelId: string; member: MemberSpec };

type Obj = Record<string, unknown>;
const T = ApplicationCommandOptionType;

/** Fills `data.resolved` for user, role, channel and mentionable options, as Discord does. */
function resolve(
  s: FakeState,
  options: APIApplicationCommandInteractionDataOption[] | undefined,
  guildId: string,
): APIInteractionDataResolved | undefined {
  const out: Required<Pick<APIInteractionDataResolved, 'users' | 'members' | 'roles' | 'channels'>> = {
    users: {},
    members: {},
    roles: {},
    channels: {},
  };
  const knownRoles = roles(s, guildId);
  const walk = (opts: readonly Obj[]): void => {
    for (const o of opts) {
      if (Array.isArray(o.options)) walk(o.options as Obj[]);
      const v = String(o.value ?? '');
      const role = knownRoles.find((r) => r.id === v);
      if (o.type === T.Role || (o.type === T.Mentionable && role)) {
        out.roles[v] = role ?? { ...knownRoles[0]!, id: v, name: `role${v.slice(-4)}`, position: 1 };
      } else if (o.type === T.User || o.type === T.Mentionable) {
        out.users[v] = user(v, `user${v.slice(-4)}`);
        const { user: _u, deaf: _d, mute: _m, ...m } = interactionMember(s, out.users[v], [], undefined, guildId);
        out.members[v] = m;
      } else if (o.type === T.Channel) {
        const ch = s.channels.get(v);
        out.channels[v] = {
          id: v,
          name: ch?.name ?? `channel-${v}`,
          type: ch?.type === ChannelType.PublicThread ? ChannelType.PublicThread : ChannelType.GuildText,
          permissions: permissionsOf(s, [s.botRoleId], guildId),
          ...(ch?.parentId ? { parent_id: ch.parentId } : {}),
        } as APIInteractionDataResolvedChannel;
      }
    }
  };
  walk((options ?? []) as unknown as Obj[]);
  const used = Object.entries(out).filter(([, v]) => Object.keys(v).length > 0);
  return used.length ? (Object.fromEntries(used) as APIInteractionDataResolved) : undefined;
}

function hasButton(components: unknown, customId: string): boolean {
  if (!Array.isArray(components)) return false;
  return components.some((raw) => {
    const c = raw as Obj;
    return (
      (c.type === 2 && c.custom_id === customId) ||
      hasButton(c.components, customId) ||
      hasButton(c.accessory ? [c.accessory] : [], customId)
    );
  });
}

export function buildInteraction(s: FakeState, spec: InteractionSpec): FakeInteraction {
  const id = snowflake();
  const token = randomToken(`interaction:${id}`);
  const firstText = [...s.channels.values()].find((c) => c.type === ChannelType.GuildText);
  const channelId = spec.channelId ?? firstText?.id ?? '';
  const ch = s.channels.get(channelId);
  if (!ch) throw new Error(`fake-discord: unknown channel ${channelId}`);
  const u = user(spec.member.userId, spec.member.username ?? `user${spec.member.userId.slice(-4)}`);
  // The channel's guild decides the shard the interaction arrives on.
  const guildId = ch.guildId;
  const base = {
    id,
    application_id: s.opts.applicationId,
    token,
    version: 1 as const,
    guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
    guild_id: guildId,
    guild_locale: Locale.EnglishUS,
    channel: channel(s, ch),
    channel_id: ch.id,
    member: interactionMember(s, u, spec.member.roles ?? [], spec.member.permissions, guildId),
    app_permissions: permissionsOf(s, [s.botRoleId], guildId),
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { 0: guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  let payload:
    | APIChatInputApplicationCommandGuildInteraction
    | APIApplicationCommandAutocompleteGuildInteraction
    | APIMessageComponentButtonInteraction;
  if (spec.kind === 'button') {
    // Ephemeral replies are not listed in the channel but can carry buttons too.
    const indexed = s.messageIndex.get(spec.messageId);
    const message = s.findMessage(ch.id, spec.messageId) ?? (indexed?.channel_id === ch.id ? indexed : undefined);
    if (!message) throw new Error(`fake-discord: no message ${spec.messageId} in channel ${ch.id}`);
    // Discord only sends a component interaction for a button that is on the message.
    if (!hasButton(message.components, spec.customId)) {
      throw new Error(`fake-discord: message ${spec.messageId} has no button with custom_id ${spec.customId}`);
    }
    payload = { ...base, type: 3, data: { custom_id: spec.customId, component_type: 2 }, message: structuredClone(message) };
  } else {
    const command = s.commandIdByName(spec.name, guildId);
    const resolved = resolve(s, spec.options, guildId);
    const data = {
      id: command?.id ?? snowflake(),
      name: spec.name,
      type: 1 as const,
      ...(command?.guildId ? { guild_id: command.guildId } : {}),
      ...(spec.options ? { options: spec.options } : {}),
      ...(resolved ? { resolved } : {}),
    };
    payload =
      spec.kind === 'command'
        ? ({ ...base, type: 2, data } as APIChatInputApplicationCommandGuildInteraction)
        : ({ ...base, type: 4, data } as APIApplicationCommandAutocompleteGuildInteraction);
  }
  return {
    id,
    token,
    type: payload.type as 2 | 3 | 4,
    payload: payload as unknown as Obj,
    channelId: ch.id,
    createdAt: Date.now(),
    followupIds: [],
  };
}
