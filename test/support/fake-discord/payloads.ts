// Builders for the objects Discord puts on the wire, typed with discord-api-types so a shape
// drift shows up in `tsc`. Object references: https://discord.com/developers/docs/resources/
import {
  type APIChannel,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIRole,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import { type FakeChannel, type FakeState, isoTimestamp } from './state';

const P = PermissionFlagsBits;
/** Bitfield enums (UserFlags, ChannelFlags, ...) have no member for "no flags". */
const NO_FLAGS = 0 as never;
const bits = (...flags: bigint[]): string => flags.reduce((a, b) => a | b, 0n).toString();

/** @everyone in a fresh server: read, talk, use commands, start threads. */
export const EVERYONE_PERMISSIONS = bits(
  P.ViewChannel,
  P.SendMessages,
  P.ReadMessageHistory,
  P.AddReactions,
  P.EmbedLinks,
  P.AttachFiles,
  P.UseApplicationCommands,
  P.CreatePublicThreads,
  P.SendMessagesInThreads,
);
/** The managed role Discord gives a bot on install (only what chainwatch needs). */
export const BOT_ROLE_PERMISSIONS = bits(
  P.ViewChannel,
  P.SendMessages,
  P.SendMessagesInThreads,
  P.CreatePublicThreads,
  P.ManageThreads,
  P.EmbedLinks,
  P.ReadMessageHistory,
  P.UseExternalEmojis,
);

export function user(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: bot ? null : username,
    avatar: null,
    ...(bot ? { bot: true } : {}),
    public_flags: NO_FLAGS,
    flags: NO_FLAGS,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

export function botUser(s: FakeState): APIUser {
  return user(s.opts.botUserId, 'chainwatch', true);
}

/** The roles of one guild (default: the first): @everyone, the bot's managed role, then the spec's. */
export function roles(s: FakeState, guildId = s.guildId): APIRole[] {
  const role = (id: string, name: string, permissions: string, position: number, botId?: string): APIRole => ({
    id,
    name,
    permissions,
    position,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    managed: !!botId,
    mentionable: false,
    flags: NO_FLAGS,
    ...(botId ? { tags: { bot_id: botId } } : {}),
  });
  return [
    role(guildId, '@everyone', EVERYONE_PERMISSIONS, 0),
    role(s.botRoleId, 'chainwatch', BOT_ROLE_PERMISSIONS, 1, s.opts.botUserId),
    ...(s.guild(guildId)?.roles ?? []).map((r, i) => role(r.id, r.name, r.permissions, i + 2)),
  ];
}

/** OR of @everyone and the given roles; ADMINISTRATOR implies every permission. */
export function permissionsOf(s: FakeState, roleIds: string[], guildId = s.guildId): string {
  let total = 0n;
  for (const r of roles(s, guildId)) if (r.id === guildId || roleIds.includes(r.id)) total |= BigInt(r.permissions);
  if (total & P.Administrator) total = Object.values(P).reduce((a, b) => a | b, 0n);
  return total.toString();
}

export function member(s: FakeState, u: APIUser, roleIds: string[]): APIGuildMember {
  return {
    user: u,
    nick: null,
    avatar: null,
    banner: null,
    roles: roleIds,
    joined_at: s.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: NO_FLAGS,
    pending: false,
    communication_disabled_until: null,
  };
}

export function interactionMember(
  s: FakeState,
  u: APIUser,
  roleIds: string[],
  permissions?: string,
  guildId = s.guildId,
): APIInteractionGuildMember {
  return { ...member(s, u, roleIds), user: u, permissions: permissions ?? permissionsOf(s, roleIds, guildId) };
}

export function botMember(s: FakeState): APIGuildMember {
  return member(s, botUser(s), [s.botRoleId]);
}

/** Channel object for a text channel or a thread (https://discord.com/developers/docs/resources/channel#channel-object). */
export function channel(s: FakeState, c: FakeChannel): APIChannel {
  if (c.type === ChannelType.PublicThread) {
    return {
      id: c.id,
      type: ChannelType.PublicThread,
      guild_id: c.guildId,
      name: c.name ?? '',
      parent_id: c.parentId ?? '',
      owner_id: s.opts.botUserId,
      last_message_id: c.lastMessageId ?? null,
      rate_limit_per_user: 0,
      flags: NO_FLAGS,
      message_count: c.messages.length,
      member_count: 1,
      total_message_sent: c.messages.length,
      thread_metadata: {
        archived: !!c.archived,
        locked: !!c.locked,
        auto_archive_duration: (c.autoArchiveDuration ?? 1440) as ThreadAutoArchiveDuration,
        archive_timestamp: c.archiveTimestamp ?? isoTimestamp(c.createdAt),
        create_timestamp: isoTimestamp(c.createdAt),
      },
    };
  }
  const position = [...s.channels.values()].filter((x) => x.type === ChannelType.GuildText && x.guildId === c.guildId).indexOf(c);
  return {
    id: c.id,
    type: ChannelType.GuildText,
    guild_id: c.guildId,
    name: c.name ?? '',
    position,
    parent_id: null,
    permission_overwrites: [],
    nsfw: false,
    topic: c.topic ?? null,
    last_message_id: c.lastMessageId ?? null,
    rate_limit_per_user: 0,
    flags: NO_FLAGS,
  };
}

/** READY for one shard: it lists only that shard's guilds (gateway#sharding). */
export function ready(
  s: FakeState,
  sessionId: string,
  gatewayUrl: string,
  shard: [number, number] = [0, 1],
  guildIds: string[] = [s.guildId],
): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...botUser(s), verified: true, mfa_enabled: false },
    guilds: guildIds.map((id) => ({ id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: gatewayUrl,
    shard,
    application: { id: s.opts.applicationId, flags: NO_FLAGS, flags_new: '0' },
  };
}

/** GUILD_CREATE (https://discord.com/developers/docs/events/gateway-events#guild-create). */
export function guildCreate(s: FakeState, guildId = s.guildId): GatewayGuildCreateDispatchData {
  const all = [...s.channels.values()].filter((c) => c.guildId === guildId);
  const texts = all.filter((c) => c.type === ChannelType.GuildText).map((c) => channel(s, c));
  const threads = all.filter((c) => c.type === ChannelType.PublicThread && !c.archived).map((c) => channel(s, c));
  return {
    id: guildId,
    name: s.guild(guildId)?.name ?? s.guildName,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: s.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: roles(s, guildId),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: NO_FLAGS,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    // GUILD_CREATE extra fields
    joined_at: s.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [botMember(s)],
    channels: texts as GatewayGuildCreateDispatchData['channels'],
    threads: threads as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
