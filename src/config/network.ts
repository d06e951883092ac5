/** The resolved shape of a watched network, after presets and defaults are applied. */

export interface Endpoint {
  /** Short provider label used in logs, metrics and messages ("publicnode", "rpc-a"). */
  label: string;
  /** http(s) or ws(s) URL. May carry an API key: never log it, use `label`. */
  url: string;
  /** The Prometheus metrics of the node behind this endpoint, when the operator runs it. */
  metrics?: EndpointMetrics;
  /** Minimum `web3_clientVersion` by client name (`*`: any); overrides the network's. */
  minClientVersion?: Record<string, string>;
}

/** How a node's memory trend is judged (src/engine/memory-trend.ts). */
export interface MemorySettings {
  /** Usage (0–1 of the limit) at which a rising node is in trouble whatever the rate: 0.9. */
  highWatermark: number;
  /** Usage below which the alarm clears at once: 0.8. */
  lowWatermark: number;
  /** Alarm when out of memory is predicted within this: 60 min. */
  warnWithinMs: number;
}

/** `endpoints[].metrics`: where to scrape the node and how to judge its memory (src/telemetry). */
export interface EndpointMetrics extends MemorySettings {
  /** Prometheus text URL. May carry a key: never log it. */
  url: string;
  /** The node's memory limit; absent: read from the node's limit metrics. */
  memoryLimitBytes?: number;
  scrapeEveryMs: number;
  /** Name shown in messages ("op-reth"); default "node". */
  process?: string;
}

export interface Thresholds {
  /** How often every endpoint is polled. */
  pollIntervalMs: number;
  /** Per-request timeout of one poll; no retries inside a poll. */
  requestTimeoutMs: number;
  /** Halted when no endpoint has seen the head advance for this long. */
  stallMs: number;
  /** Consecutive failed polls before an endpoint counts as down. */
  endpointDownFailures: number;
  /** An endpoint this many blocks behind the best head is lagging. */
  endpointLagBlocks: number;
  /** An endpoint whose head has not moved for this long while the network advanced is stuck. */
  endpointStuckMs: number;
  /** Reorgs shallower than this are normal for the chain and raise no signal. */
  reorgMinDepth: number;
  /** A reorg at least this deep is a major event. */
  reorgMajorDepth: number;
  /** Slow blocks: mean block interval over `slowWindowMs` above `slowFactor` x blockTimeMs. */
  slowFactor: number;
  slowWindowMs: number;
  /** Latest minus safe above this many blocks raises safe_lag; null: not checked. */
  safeLagBlocks: number | null;
  /** Degraded kinds (lagging, slow, safe lag) must persist this long before an incident opens. */
  confirmMs: number;
  /** Healthy for this long before an incident resolves. */
  resolveAfterMs: number;
  /** A relapse within this window after resolution reopens the same incident. */
  reopenWindowMs: number;
  /** Halted or unreachable for this long makes an incident critical. */
  criticalAfterMs: number;
}

export interface Network {
  /** Unique key: lowercase letters, digits and dashes. */
  name: string;
  /** Name people read ("OP Mainnet"). */
  displayName: string;
  chainId: number;
  /** Expected block time. */
  blockTimeMs: number;
  endpoints: Endpoint[];
  thresholds: Thresholds;
  /** Block explorer base URL, for links. */
  explorerUrl?: string;
  /** Community signals: how posts name this network, where to read them, how to weigh them. */
  social?: NetworkSocial;
  /** Minimum `web3_clientVersion` by client name (`*`: any), for every endpoint. */
  minClientVersion?: Record<string, string>;
}

/** How community reports are weighed (src/engine/social-evidence.ts). */
export interface SocialSettings {
  /** Reports older than this leave the window. */
  windowMs: number;
  /** Fewest (weighted) distinct reporters for a signal. */
  minReporters: number;
  /** Chance that one reporter is wrong; confidence = 1 − p^n for n independent reporters. */
  reporterErrorRate: number;
  /** Confidence needed for a signal. */
  minConfidence: number;
  /** The window's rate must be this many times the usual rate (per hour) … */
  baselineFactor: number;
}

export interface NetworkSocial extends SocialSettings {
  /** Words, handles and cashtags that name the network in posts ("MegaETH", "@megaeth", "$MEGA"). */
  terms: string[];
  /** X recent-search query; built from `terms` and outage words when absent. */
  query?: string;
  /** Discord channel ids whose messages count as community posts about this network. */
  discordChannels: string[];
}
