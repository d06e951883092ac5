import type { Queue } from 'bullmq';
import type { Network } from '../config/network';
import { pollSchedulerId } from './names';

export interface ChainPollJobData {
  network: string;
}

/**
 * One Job Scheduler per network drives its polls. Upsert is idempotent, so every start (of
 * any number of scheduler processes) converges on the config; schedulers of networks that
 * left the config are removed.
 */
export async function syncPollSchedulers(queue: Queue<ChainPollJobData>, networks: readonly Network[]): Promise<{ upserted: number; removed: string[] }> {
  for (const n of networks) {
    await queue.upsertJobScheduler(
      pollSchedulerId(n.name),
      { every: n.thresholds.pollIntervalMs },
      {
        name: 'poll',
        data: { network: n.name },
        opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200, age: 24 * 3600 } },
      },
    );
  }
  const wanted = new Set(networks.map((n) => pollSchedulerId(n.name)));
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const id = s.id ?? s.key;
    if (id.startsWith('poll-') && !wanted.has(id)) {
      await queue.removeJobScheduler(id);
      removed.push(id);
    }
  }
  return { upserted: networks.length, removed };
}
