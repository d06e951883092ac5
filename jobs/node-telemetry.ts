import type { Job } from 'bullmq';
import { z } from 'zod';
import { classifyRpcError } from '../src/chain/classify-error';
import type { Endpoint, Network } from '../src/config/network';
import type { NetworkState } from '../src/engine';
import { commitStep, type CommitDeps } from '../src/queue/commit';
import type { Logger } from '../src/util/log';
import type { NodeTelemetryJobData } from '../src/queue/schedulers';
import { checkClientVersion, minimumFor, parseClientVersion, type ClientVersion } from '../src/util/client-version';
import type { ClientVersions, ClientVersionStore } from '../src/store/client-versions';
import { dueEndpoints, type NodeState } from '../src/engine/node-memory';
import { scrapeNodeMemory } from '../src/telemetry/scrape';
import type { NodeSample } from '../src/model';

const JobData = z.object({ network: z.string().min(1) });

/** What the client-version read needs of a viem client. */
export interface RpcRequester {
  request(args: { method: 'web3_clientVersion' }): Promise<unknown>;
}

export interface NodeTelemetryDeps extends Omit<CommitDeps, 'clock'> {
  networks: ReadonlyMap<string, Network>;
  clock?: () => number;
  /** Where the client versions go; without it, `client-version` jobs do nothing. */
  clientVersions?: ClientVersionStore;
  client?: (endpoint: Endpoint, timeoutMs: number) => RpcRequester;
  scrape?: typeof scrapeNodeMemory;
  /** Sees every scrape and the resulting state (metrics hook in here). */
  onNodeSamples?: (network: Network, samples: readonly NodeSample[], state: NodeState | undefined) => void;
}

export interface NodeTelemetryResult {
  network: string;
  scraped: number;
  failed: number;
  signals: number;
  events: number;
}

/** Within the scrape interval: a scrape must not run into the next one. */
const scrapeTimeout = (everyMs: number) => Math.min(Math.max(everyMs / 2, 1000), 10_000);
const CLIENT_VERSION_TIMEOUT_MS = 5000;

/**
 * Two jobs on one queue: `scrape` reads the metrics of the network's nodes that are due and
 * runs the memory trends and the correlator in the network's atomic step; `client-version`
 * reads every endpoint's web3_clientVersion into Redis for /status.
 */
export function createNodeTelemetryProcessor(deps: NodeTelemetryDeps) {
  const clock = deps.clock ?? Date.now;
  const scrape = deps.scrape ?? scrapeNodeMemory;
  return async function nodeTelemetry(job: Job<NodeTelemetryJobData>): Promise<NodeTelemetryResult | ClientVersions | null> {
    const { network: name } = JobData.parse(job.data);
    const network = deps.networks.get(name);
    if (!network) {
      deps.log.warn({ network: name }, 'telemetry for a network that is not in this config; ignored (restart the scheduler to drop it)');
      return null;
    }
    if (job.name === 'client-version') return readClientVersions(deps, network, clock);
    const stored = await deps.store.readState<NetworkState>(name);
    const prev = stored?.state.node;
    const due = dueEndpoints(prev, network, clock());
    if (due.length === 0) return { network: name, scraped: 0, failed: 0, signals: 0, events: 0 };
    const samples = await Promise.all(
      due.map((ep) =>
        scrape(
          {
            endpoint: ep.label,
            url: ep.metrics.url,
            timeoutMs: scrapeTimeout(ep.metrics.scrapeEveryMs),
            ...(ep.metrics.memoryLimitBytes ? { memoryLimitBytes: ep.metrics.memoryLimitBytes } : {}),
          },
          clock,
        ),
      ),
    );
    logScrapes(deps.log, name, samples, prev);
    const result = await commitStep({ ...deps, clock }, network, job.id ?? `node-${name}-${clock()}`, { type: 'node', samples });
    deps.onNodeSamples?.(network, samples, result.state.node);
    return {
      network: name,
      scraped: samples.length,
      failed: samples.filter((s) => !s.ok).length,
      signals: Object.values(result.state.node?.endpoints ?? {}).filter((s) => s.active).length,
      events: result.events.length,
    };
  };
}

/** A failure is logged when it starts and when it ends, not on every scrape in between. */
function logScrapes(log: Logger, network: string, samples: readonly NodeSample[], prev: NodeState | undefined): void {
  for (const s of samples) {
    const before = prev?.endpoints[s.endpoint]?.failures ?? 0;
    if (!s.ok && before === 0)
      log.warn({ network, endpoint: s.endpoint, kind: s.kind, status: s.status, err: s.message }, 'node metrics scrape failed');
    else if (s.ok && before > 0) log.info({ network, endpoint: s.endpoint, failures: before }, 'node metrics scrape answers again');
  }
}

async function readClientVersions(deps: NodeTelemetryDeps, network: Network, clock: () => number): Promise<ClientVersions | null> {
  if (!deps.clientVersions || !deps.client) return null;
  const client = deps.client;
  const entries = await Promise.all(
    network.endpoints.map(async (ep): Promise<[string, ClientVersions[string]]> => {
      try {
        const answer = await client(ep, CLIENT_VERSION_TIMEOUT_MS).request({ method: 'web3_clientVersion' });
        if (typeof answer !== 'string') return [ep.label, { raw: null, at: clock(), error: 'not a string' }];
        const v = parseClientVersion(answer);
        warnIfOutdated(deps.log, network, ep, v);
        return [ep.label, { raw: v.raw, at: clock() }];
      } catch (err) {
        const c = classifyRpcError(err);
        return [ep.label, { raw: null, at: clock(), error: c.message }];
      }
    }),
  );
  const versions = Object.fromEntries(entries);
  await deps.clientVersions.write(network.name, versions);
  return versions;
}

function warnIfOutdated(log: Logger, network: Network, ep: Endpoint, v: ClientVersion): void {
  const check = checkClientVersion(v, minimumFor(network, ep));
  if (check.kind === 'outdated' || check.kind === 'unknown') {
    log.warn(
      { network: network.name, endpoint: ep.label, client: v.client, version: v.version, minimum: check.minimum },
      check.kind === 'outdated' ? 'client older than the configured minimum' : 'client version not recognised',
    );
  }
}
