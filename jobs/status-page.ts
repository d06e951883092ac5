/**
 * One read of a network's official status page (its Job Scheduler: src/queue/schedulers.ts):
 * read the page (src/official/fetch.ts, never a throw), fall back on the last page read while it
 * is fresh (src/engine/official-evidence.ts `pageToJudge`), remember what was read, then commit
 * the page into the network's step as evidence from the `official` source (`status_page`).
 *
 * A failing page is logged when it starts failing and when it answers again, not on every read;
 * the log names the network and the failure's class, never the URL (it may carry a key).
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Network } from '../src/config/network';
import { pageToJudge } from '../src/engine';
import type { StatusPageReading } from '../src/model';
import { readStatusPage, type LastStatusPage, type LastStatusPages } from '../src/official';
import { commitStep, type CommitDeps } from '../src/queue/commit';
import type { StatusPageJobData } from '../src/queue/schedulers';
import type { Logger } from '../src/util/log';

const JobData = z.object({ network: z.string().min(1) });

export interface StatusPageJobDeps extends Omit<CommitDeps, 'clock'> {
  networks: ReadonlyMap<string, Network>;
  lastPages: LastStatusPages;
  clock?: () => number;
  /** The reader; tests may replace it. */
  read?: typeof readStatusPage;
}

export interface StatusPageJobResult {
  network: string;
  /** This read worked. */
  ok: boolean;
  /** What the step judged: this read, the last page read (still fresh), or nothing. */
  judged: 'fresh' | 'last' | 'none';
  /** Problems on the page judged (unresolved incidents + components not operational). */
  problems: number;
  events: number;
}

export function createStatusPageProcessor(deps: StatusPageJobDeps) {
  const clock = deps.clock ?? Date.now;
  const read = deps.read ?? readStatusPage;
  return async function statusPage(job: Job<StatusPageJobData>): Promise<StatusPageJobResult | null> {
    const { network: name } = JobData.parse(job.data);
    const network = deps.networks.get(name);
    if (!network?.statusPage) {
      deps.log.warn(
        { network: name },
        'status page job for a network without statusPage in this config; ignored (restart the scheduler to drop it)',
      );
      return null;
    }
    const sp = network.statusPage;
    const reading = await read({ url: sp.url, kind: sp.kind, timeoutMs: sp.timeoutMs }, clock);
    const last = await deps.lastPages.read(name);
    const { page } = pageToJudge(reading, last?.page ?? null, sp.everyMs, clock());
    logReading(deps.log, name, reading, last);
    await deps.lastPages.write(name, nextRecord(reading, last));
    const result = await commitStep({ ...deps, clock }, network, job.id ?? `status-page-${name}-${clock()}`, { type: 'official', page });
    return {
      network: name,
      ok: reading.ok,
      judged: !page ? 'none' : reading.ok ? 'fresh' : 'last',
      problems: page ? page.incidents.length + page.components.length : 0,
      events: result.events.length,
    };
  };
}

/** The record kept for the next read: a good page replaces the last; a failure keeps it and notes since when. */
export function nextRecord(reading: StatusPageReading, last: LastStatusPage | null): LastStatusPage {
  if (reading.ok) return { page: reading.page, failingSince: null };
  return { page: last?.page ?? null, failingSince: last?.failingSince ?? reading.at, error: describe(reading) };
}

function describe(r: Extract<StatusPageReading, { ok: false }>): string {
  return r.kind === 'http' && r.status !== undefined ? `HTTP ${r.status}` : `${r.kind}: ${r.message}`;
}

function logReading(log: Logger, network: string, reading: StatusPageReading, last: LastStatusPage | null): void {
  const failing = typeof last?.failingSince === 'number';
  if (!reading.ok && !failing)
    log.warn({ network, kind: reading.kind, status: reading.status, err: reading.message }, 'status page read failed');
  else if (reading.ok && failing) log.info({ network, failingSince: last!.failingSince }, 'status page answers again');
}
