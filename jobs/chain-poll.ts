import type { Job } from 'bullmq';
import { z } from 'zod';
import { fetchAncestors } from '../src/chain/ancestors';
import { canonicalHash, planAncestry } from '../src/engine/detectors';
import { sampleHead } from '../src/chain/sample-head';
import type { HeadSample } from '../src/model';
import type { Endpoint, Network } from '../src/config/network';
import type { NetworkState } from '../src/engine';
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
    const samples = await pollAll(deps, network, clock);
    await settleAncestry(deps, network, samples);
    deps.onSamples?.(network, samples);
    const result = await commitStep({ ...deps, clock }, network, job.id ?? `${name}-${clock()}`, { type: 'poll', samples });
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

function pollAll(deps: ChainPollDeps, network: Network, clock: () => number): Promise<HeadSample[]> {
  const { requestTimeoutMs, safeLagBlocks } = network.thresholds;
  return Promise.all(
    network.endpoints.map((ep) =>
      sampleHead(deps.client(ep, requestTimeoutMs), { network: network.name, endpoint: ep.label, withSafe: safeLagBlocks !== null }, clock),
    ),
  );
}

/**
 * viem's pollers never report a head that changes hash at one height, so reorgs are found by
 * comparing hashes with what the detectors remember; when they cannot tell from the head
 * alone, the parents are fetched here (the detectors stay pure).
 */
async function settleAncestry(deps: ChainPollDeps, network: Network, samples: HeadSample[]): Promise<void> {
  const stored = await deps.store.readState<NetworkState>(network.name);
  if (!stored) return;
  const chain = stored.state.chain;
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
