import type { Incident, IncidentEvent } from './incident';

/** The sinks an incident is published to: Discord, the X account, or the console (dry run). */
export type Sink = 'console' | 'discord' | 'x';

/**
 * Where an incident went on one sink. `cursor` is the seq of the last delivered event; the
 * other fields are the sink's own ids (Discord root message and thread, X root and last post).
 */
export interface Publication {
  cursor: number;
  ids: Record<string, string>;
}

/**
 * Sends one event; returns ids to remember. Throwing leaves the cursor where it was.
 * `checkpoint` saves ids at once, before the event is done: a publisher that makes several
 * requests for one event records what a retry must not create again (Discord's root message
 * before its thread is started), since the sink's own dedup (a nonce) lasts only minutes.
 */
export interface Publisher {
  readonly sink: Sink;
  deliver(
    event: IncidentEvent,
    incident: Incident,
    publication: Publication,
    checkpoint?: (ids: Record<string, string>) => Promise<void>,
  ): Promise<Record<string, string>>;
}
