import type { Queue } from 'bullmq';
import { type Incident, publishJobId, type Sink } from '../model';
import type { PublicationStore } from '../store/publications';

export interface PublishJobData {
  incidentId: string;
  /** The timeline length that asked for this job; it names the job, delivery catches up fully. */
  seq: number;
}

/**
 * TTL of an incident's delivery lock, renewed every third of it while held: how long a killed
 * worker holds the incident up (a live one loses it only if its event loop stalls for 2/3 of it).
 */
export const PUBLISH_LOCK_MS = 10_000;
/** A job active this long without anyone holding its delivery lock has lost its worker. */
const ORPHANED_AFTER_MS = 2000;

/**
 * Asks each sink to catch up with an incident's timeline. Called after every committed step,
 * not only the ones that produced events: if a process died between committing events and
 * enqueueing their job, the next poll of that network enqueues it (job ids dedupe).
 *
 * A worker killed mid-delivery leaves its job "active" until BullMQ's stalled-job check finds
 * it (lock 30 s + check every 30 s: up to a minute), and a job added again under the same id
 * is ignored meanwhile. So when the job for this seq is active while nobody holds the
 * incident's delivery lock (the dead worker's lapsed, at most PUBLISH_LOCK_MS after the kill),
 * a retry job is added beside it, at most one per lock period. Duplicates are harmless
 * (delivery starts at the cursor, under the lock).
 */
export class PublishOutbox {
  constructor(
    private readonly queues: ReadonlyMap<Sink, Queue<PublishJobData>>,
    private readonly publications: PublicationStore,
    private readonly lockMs: number = PUBLISH_LOCK_MS,
  ) {}

  async notify(incident: Incident): Promise<void> {
    await Promise.all(
      [...this.queues].map(async ([sink, queue]) => {
        const { cursor } = await this.publications.read(sink, incident.id);
        if (cursor >= incident.seq) return;
        const data = { incidentId: incident.id, seq: incident.seq };
        const jobId = publishJobId(incident.id, incident.seq);
        const added = await queue.add('publish', data, { jobId });
        if (added.id !== jobId || !(await this.orphaned(queue, sink, incident.id, jobId))) return;
        // BullMQ's own timestamps (processedOn) are wall-clock: so is the round.
        await queue.add('publish', data, { jobId: `${jobId}-r${Math.floor(Date.now() / this.lockMs)}` });
      }),
    );
  }

  /** Active, past the moment its worker takes the lock, and nobody holds the lock: its worker is dead. */
  private async orphaned(queue: Queue<PublishJobData>, sink: Sink, incidentId: string, jobId: string): Promise<boolean> {
    const job = await queue.getJob(jobId);
    if (!job?.processedOn || job.finishedOn || Date.now() - job.processedOn < ORPHANED_AFTER_MS) return false;
    if (await this.publications.locked(sink, incidentId)) return false;
    return (await job.getState()) === 'active';
  }
}
