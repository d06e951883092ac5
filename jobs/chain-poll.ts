import type { Job } from 'bullmq';
import { z } from 'zod';
import { fetchAncestors } from '../src/chain/ancestors';
import { canonicalHash, chainIdDue, planAncestry, type ChainState } from '../src/engine/detectors';
import { sampleHead } from '../src/chain/sample-head';
import type { HeadSample } from '../src/model';
import type { Endpoint, Network } from '../src/config/network';
import { judgeSight, sightOf, type NetworkState } from '../src/engine';
import type { WatcherStore } from '../src/store/watcher';
import type { HistoryStore } from '../src/store/history';
import { commitStep, type CommitDeps } from '../src/queue/commit';
import type { ChainPollJobData } from '../src/queue/schedulers';

const JobData = z.object({ network: z.string().min(1) });

type Client = Parameters<typeof sampleHead>[0];

export interface ChainPollDeps extends Omit<CommitDeps, 'clock'> {
  networks: ReadonlyMap<string, Network>;
  client: (endpoint: Endpoint, timeoutMs: number) => Client;
  clock?: () => number;
  /** Head history for the status page and incident images (optional: replay and benches skip it). */
  history?: HistoryStore;
  /** Sees every sample (the recorder and metrics hook in here). */
  onSamples?: (network: Network, samples: HeadSample[]) => void;
  /** chainwatch's own sight across networks (absent: never judged blind, as in benches). */
  sight?: {
    watcher: WatcherStore;
    /** `connectivity.checks` are configured (they then confirm or refute blindness). */
    checksConfigured: boolean;
    /** Told once per change, by the one worker that made it: blindness began, or sight returned. */
    onChange?: (change: { blind: boolean; since: number; reason: string }) => Promise<void>;
  };
}

export interface ChainPollResult {
  network: string;
  ok: number;
  failed: number;
  signals: string[];
  events: number;
}

/**
 * Polls every endpoint of one network once, then runs detectors and correlator atomically on
 * the network's state in Redis, then asks the publishers to catch up.
 */
export function createChainPollProcessor(deps: ChainPollDeps) {
  const clock = deps.clock ?? Date.now;
  return async function chainPoll(job: Job<ChainPollJobData>): Promise<ChainPollResult | null> {
    const { network: name } = JobData.parse(job.data);
    const network = deps.networks.get(name);
    if (!network) {
      deps.log.warn({ network: name }, 'poll for a network that is not in this config; ignored (restart the scheduler to drop it)');
      return null;
    }
    // What the detectors remember decides what this poll asks beyond the head: the chain id
    // every few minutes, and the parents of a head that might be a reorg.
    const stored = await deps.store.readState<NetworkState>(name);
    const chain = stored?.state.chain ?? null;
    const samples = await pollAll(deps, network, chain, clock);
    await settleAncestry(deps, network, chain, samples);
    logFailures(deps.log, network, chain, samples);
    deps.onSamples?.(network, samples);
    const blind = await judgeOwnSight(deps, network, chain, samples, clock());
    const result = await commitStep({ ...deps, clock }, network, job.id ?? `${name}-${clock()}`, { type: 'poll', samples, blind });
    // After the transaction: history is for pictures, and must never hold up detection.
    await deps.history
      ?.recordHeads(name, samples)
      .catch((err: Error) => deps.log.warn({ network: name, err: err.message }, 'head history not recorded'));
    return {
      network: name,
      ok: samples.filter((s) => s.ok).length,
      failed: samples.filter((s) => !s.ok).length,
      signals: result.duplicate ? [] : Object.keys(result.state.corr.conditions),
      events: result.events.length,
    };
  };
}

function pollAll(deps: ChainPollDeps, network: Network, chain: ChainState | null, clock: () => number): Promise<HeadSample[]> {
  const { requestTimeoutMs, safeLagBlocks } = network.thresholds;
  const now = clock();
  return Promise.all(
    network.endpoints.map((ep) =>
      sampleHead(
        deps.client(ep, requestTimeoutMs),
        {
          network: network.name,
          endpoint: ep.label,
          withSafe: safeLagBlocks !== null,
          withChainId: network.chainId > 0 && chainIdDue(chain, ep.label, now),
        },
        clock,
      ),
    ),
  );
}

/**
 * Records what this poll saw of the network's endpoints, reads the others', and judges whether
 * chainwatch itself is blind (src/engine/blindness.ts). The change of verdict is made, and
 * told, once across all workers. A failure here never stops the poll: it is judged not blind.
 */
async function judgeOwnSight(
  deps: ChainPollDeps,
  network: Network,
  chain: ChainState | null,
  samples: readonly HeadSample[],
  now: number,
): Promise<{ since: number } | null> {
  if (!deps.sight) return null;
  const { watcher, checksConfigured, onChange } = deps.sight;
  try {
    const failingSince = (label: string) => chain?.endpoints.find((e) => e.label === label)?.failingSince ?? null;
    const reading = await watcher.recordSight(network.name, sightOf(samples, failingSince, now));
    const verdict = judgeSight(reading.sights, reading.checks, { now, checksConfigured, wasBlind: reading.blind });
    if (verdict.blind && !reading.blind && (await watcher.setBlind({ since: verdict.since, reason: verdict.reason }))) {
      deps.log.error(
        { since: new Date(verdict.since).toISOString(), networks: verdict.networks, dark: verdict.darkNetworks },
        `chainwatch is blind: ${verdict.reason}; no public incident is posted for it`,
      );
      await onChange?.({ blind: true, since: verdict.since, reason: verdict.reason });
    } else if (!verdict.blind && reading.blind && (await watcher.clearBlind())) {
      deps.log.warn({ since: new Date(reading.blind.since).toISOString(), reason: verdict.reason }, 'chainwatch sees again');
      await onChange?.({ blind: false, since: reading.blind.since, reason: verdict.reason });
    }
    return verdict.blind ? { since: verdict.since } : null;
  } catch (err) {
    deps.log.warn({ network: network.name, err: (err as Error).message }, 'own sight not recorded; judged not blind');
    return null;
  }
}

/**
 * A provider's own words (redacted, no control characters) go to the log once, when its
 * failures start, and its recovery once: never into public text, never every poll.
 */
function logFailures(log: ChainPollDeps['log'], network: Network, chain: ChainState | null, samples: readonly HeadSample[]): void {
  for (const s of samples) {
    const before = chain?.endpoints.find((e) => e.label === s.endpoint)?.failures ?? 0;
    if (!s.ok && before === 0) {
      log.warn(
        { network: network.name, endpoint: s.endpoint, kind: s.kind, status: s.status, reason: s.message, detail: s.detail },
        'endpoint failed',
      );
    } else if (s.ok && before > 0) {
      log.info({ network: network.name, endpoint: s.endpoint, failures: before }, 'endpoint answers again');
    }
  }
}

/**
 * viem's pollers never report a head that changes hash at one height, so reorgs are found by
 * comparing hashes with what the detectors remember; when they cannot tell from the head
 * alone, the parents are fetched here (the detectors stay pure).
 */
async function settleAncestry(deps: ChainPollDeps, network: Network, chain: ChainState | null, samples: HeadSample[]): Promise<void> {
  if (!chain) return;
  await Promise.all(
    samples.map(async (s) => {
      if (!s.ok) return;
      const plan = planAncestry(chain, s);
      if (!plan) return;
      const ep = network.endpoints.find((e) => e.label === s.endpoint);
      if (!ep) return;
      s.ancestors = await fetchAncestors(deps.client(ep, network.thresholds.requestTimeoutMs), {
        ...plan,
        known: (n) => canonicalHash(chain, n) ?? undefined,
      });
    }),
  );
}
