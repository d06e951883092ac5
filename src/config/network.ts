/** The resolved shape of a watched network, after presets and defaults are applied. */
import type { NetworkProbe } from './probe';
import type { NetworkStatusPage } from './status-page';

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
  /**
   * Trusted endpoints that must agree on a head for it to be the network's (absent: a
   * majority, at least 2 when 3 or more answer; 1 with fewer).
   */
  quorum?: number;
  /** Block explorer base URL, for links. */
  explorerUrl?: string;
  /** Community signals: how posts name this network, where to read them, how to weigh them. */
  social?: NetworkSocial;
  /** Minimum `web3_clientVersion` by client name (`*`: any), for every endpoint. */
  minClientVersion?: Record<string, string>;
  /** The inclusion probe (opt-in): a zero-value transaction to itself every `everyMs` (src/config/probe.ts). */
  probe?: NetworkProbe;
  /** The network's official status page, read every `everyMs` as evidence (src/config/status-page.ts). */
  statusPage?: NetworkStatusPage;
  /** How thresholds are learnt from the chain (src/engine/detectors/learnt.ts); absent: the built-in settings. */
  learn?: NetworkLearn;
}

/** Settings of the thresholds learnt from the chain (DESIGN principle 8). Every field optional. */
export interface NetworkLearn {
  /**
   * `stall` was written in the config: it is then the learnt stall's ceiling. The built-in
   * default (5 blocks, at least 10 s) is only a guess, and a learnt stall may rise above it.
   */
  stallWritten?: boolean;
  /** false: the configured stall and block time are used as they are (nothing learnt is applied). */
  thresholds?: boolean;
  /** Transactions every block carries whatever the load (1 on OP-stack and Arbitrum); absent: learnt. */
  systemTxPerBlock?: 0 | 1;
  /** History of the usual throughput needed before low_throughput judges: 15 min and 100 blocks. */
  throughputBaselineMs?: number;
  throughputBaselineBlocks?: number;
  /** Head advances seen before the learnt stall may raise it (300) and lower it (3000). */
  stallMinSamples?: number;
  stallMinSamplesToTighten?: number;
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
