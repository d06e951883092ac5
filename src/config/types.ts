/** The resolved configuration: what start-up hands every other area. */
import type { DiscordConfig } from './discord';
import type { ConnectivityConfig } from './connectivity';
import type { HeartbeatConfig } from './heartbeat';
import type { Network } from './network';
import type { RedisConfig } from './redis';
import type { XConfig } from './x';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  /** One server (`url`), a Cluster or a Sentinel-managed primary; `prefix` names keys and queues (src/config/redis.ts). */
  redis: RedisConfig;
  log: { level: LogLevel };
  /** `concurrency`: parallel chain-poll jobs per worker process. */
  worker: { concurrency: number };
  networks: Network[];
  /** Present when the file has a `discord:` section (and the token is in the environment). */
  discord?: DiscordConfig;
  /** Present when the file has an `x:` section (and X tokens are in the environment). */
  x?: XConfig;
  /** /healthz, /readyz, /metrics, the status page and feeds; off when the file has no `http:` section. */
  http?: HttpConfig;
  /** An outgoing dead man's switch ping; off when the file has no `heartbeat:` section. */
  heartbeat?: HeartbeatConfig;
  /** Addresses that are not RPC providers, probed to tell chainwatch's own blindness from an outage. */
  connectivity?: ConnectivityConfig;
}

export interface HttpConfig {
  port: number;
  host: string;
  /** The status page's public base URL, no trailing slash; incident pages are `<publicUrl>/incident/<id>`. */
  publicUrl?: string;
  /** Serve the public status page, JSON feeds, Atom feed and badges (absent: true). */
  statusPage?: boolean;
  /** The status page's title (absent: "chainwatch status"). */
  title?: string;
  /** Bull Board at /admin/queues: HTTP Basic credentials from CHAINWATCH_ADMIN_USER/_PASSWORD (or *_FILE). */
  admin?: { user: string; password: string };
  /** Bull Board's write actions (add, retry, pause, clean, …); absent: read-only. */
  adminWrite?: boolean;
}
