import type { Sink } from '../queue/names';
import type { Incident, IncidentEvent } from '../incidents/types';

/**
 * Where an incident went on one sink. `cursor` is the seq of the last delivered event; the
 * other fields are the sink's own ids (Discord root message and thread, X root and last post).
 */
export interface Publication {
  cursor: number;
  ids: Record<string, string>;
}

/** Sends one event; returns ids to remember. Throwing leaves the cursor where it was. */
export interface Publisher {
  readonly sink: Sink;
  deliver(event: IncidentEvent, incident: Incident, publication: Publication): Promise<Record<string, string>>;
}
