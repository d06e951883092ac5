import { isClosed, type Publisher } from '../src/model';
import { DelayedError, type Job } from 'bullmq';
import { z } from 'zod';
import type { IncidentStore } from '../src/store/incidents';
import type { Logger } from '../src/util/log';
import type { PublicationStore } from '../src/store/publications';
import { PUBLISH_LOCK_MS, type PublishJobData } from '../src/queue/outbox';
import { DeliveryError, MIN_RETRY_DELAY_MS } from '../src/publish/delivery';

const JobData = z.object({ incidentId: z.string().min(1), seq: z.number().int().positive() });

export interface PublishDeps {
  publisher: Publisher;
  store: IncidentStore;
  publications: PublicationStore;
  log: Logger;
  /** TTL of an incident's delivery lock (renewed while held): how long a killed worker holds the incident up. */
  lockMs?: number;
}

/**
 * One processor for every sink: deliver the incident's undelivered events in order, moving
 * the cursor after each. Any job for an incident catches up with its whole timeline (the
 * job's seq only names it), so a retried or duplicated job never posts twice: it starts at
 * cursor + 1 and finds nothing, or only events no job has delivered yet. No event is skipped.
 */
export function createPublishProcessor(deps: PublishDeps) {
  const { publisher, store, publications, log } = deps;
  const sink = publisher.sink;
  return async function publish(job: Job<PublishJobData>, token?: string): Promise<{ delivered: number }> {
    const { incidentId } = JobData.parse(job.data);
    const release = await publications.lock(sink, incidentId, token ?? job.id ?? 'anon', deps.lockMs ?? PUBLISH_LOCK_MS);
    if (!release) {
      // Another worker is delivering this incident: come back shortly instead of racing it.
      await job.moveToDelayed(Date.now() + MIN_RETRY_DELAY_MS, token);
      throw new DelayedError();
    }
    try {
      let publication = await publications.read(sink, incidentId);
      const [incident, events] = await Promise.all([store.getIncident(incidentId), store.getTimeline(incidentId, publication.cursor + 1)]);
      if (!incident) {
        log.warn({ sink, incidentId }, 'incident no longer in Redis (expired?); nothing to publish');
        return { delivered: 0 };
      }
      const closed = isClosed(incident);
      let delivered = 0;
      for (const event of events) {
        let ids: Record<string, string>;
        try {
          ids = await publisher.deliver(event, incident, publication, (saved) => publications.checkpoint(sink, incidentId, saved));
          delivered++;
        } catch (err) {
          if (!(err instanceof DeliveryError)) throw err;
          if (err.delivery.kind === 'retry-after') {
            // Rate limited, or a publisher holding an event back (X coalescing): not a failure.
            // Wait as told, without spending one of the job's attempts.
            log.info({ sink, incidentId, seq: event.seq, retryInMs: err.delivery.ms, reason: err.message }, 'delivery delayed');
            await job.moveToDelayed(Date.now() + err.delivery.ms, token);
            throw new DelayedError();
          }
          if (err.delivery.kind === 'retry') throw err;
          log.error(
            { sink, incidentId, seq: event.seq, reason: err.delivery.reason, err: err.message },
            'event cannot be delivered; recorded as failed, moving on',
          );
          ids = { [`failed_${event.seq}`]: err.delivery.reason };
        }
        await publications.record(sink, incidentId, event.seq, ids, closed);
        publication = { cursor: event.seq, ids: { ...publication.ids, ...ids } };
      }
      return { delivered };
    } finally {
      await release();
    }
  };
}
