import type { Queue } from 'bullmq';
import { type Incident, publishJobId, type Sink } from '../model';
import type { PublicationStore } from '../store/publications';

export interface PublishJobData {
  incidentId: string;
  /** The timeline length that asked for this job; it names the job, delivery catches up fully. */
  seq: number;
}

/**
 * Asks each sink to catch up with an incident's timeline. Called after every committed step,
 * not only the ones that produced events: if a process died between committing events and
 * enqueueing their job, the next poll of that network enqueues it (job ids dedupe).
 */
export class PublishOutbox {
  constructor(
    private readonly queues: ReadonlyMap<Sink, Queue<PublishJobData>>,
    private readonly publications: PublicationStore,
  ) {}

  async notify(incident: Incident): Promise<void> {
    await Promise.all(
      [...this.queues].map(async ([sink, queue]) => {
        const { cursor } = await this.publications.read(sink, incident.id);
        if (cursor >= incident.seq) return;
        await queue.add('publish', { incidentId: incident.id, seq: incident.seq }, { jobId: publishJobId(incident.id, incident.seq) });
      }),
    );
  }
}
