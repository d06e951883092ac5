import { Routes, type REST } from 'discord.js';
import type { Job } from 'bullmq';
import { z } from 'zod';
import { isClosed } from '../src/model';
import type { IncidentStore } from '../src/store/incidents';
import type { Logger } from '../src/util/log';
import { toDeliveryError } from '../src/discord/errors';

const JobData = z.object({ threadId: z.string().min(1), incidentId: z.string().min(1) });
export type DiscordArchiveJobData = z.infer<typeof JobData>;

/** Archives a closed incident's thread, unless the incident came back in the meantime. */
export function createDiscordArchiveProcessor(deps: { rest: REST; store: IncidentStore; log: Logger }) {
  return async function archive(job: Job<DiscordArchiveJobData>): Promise<'archived' | 'reopened' | 'gone'> {
    const { threadId, incidentId } = JobData.parse(job.data);
    const incident = await deps.store.getIncident(incidentId);
    if (incident && !isClosed(incident)) return 'reopened';
    try {
      await deps.rest.patch(Routes.channel(threadId), { body: { archived: true } });
    } catch (err) {
      const e = toDeliveryError(err, 'archive thread');
      if (e.delivery.kind === 'fatal') {
        deps.log.warn({ threadId, incidentId, reason: e.delivery.reason }, 'thread could not be archived');
        return 'gone';
      }
      throw e;
    }
    return 'archived';
  };
}
