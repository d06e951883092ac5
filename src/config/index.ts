/** The config area's public surface: what other areas may import. */
export type { Network, Endpoint, Thresholds } from './network';
export type { AppConfig, HttpConfig, LogLevel } from './types';
export { ConfigError, loadConfig, parseConfig } from './load';
export type { ConfigIssue, ParseOptions } from './load';
export { defaultThresholds } from './defaults';
export { parseDuration } from './duration';
export { resolvePreset } from './presets';
export type { Preset } from './presets';
export type { DiscordConfig } from './discord';
export type { XConfig } from './x';
export type { HostPort, RedisConfig, RedisTarget, RedisWait } from './redis';
export { redisConfigFromEnv, redisTargetFromEnv } from './redis';
