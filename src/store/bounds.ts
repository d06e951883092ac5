/** Bounds on what chainwatch keeps in Redis (also stated in the README). */
export const BOUNDS = {
  /** Incident ids listed per network (oldest dropped). */
  incidentsPerNetwork: 200,
  /** Events kept per incident timeline; the correlator emits few (new evidence is told once). */
  eventsPerIncident: 1000,
  /** IncidentEvents kept in each network's event stream (approximate trim). */
  eventStreamLength: 1000,
  /** Closed incidents, their timelines and publications expire after this many seconds. */
  closedTtlSeconds: 30 * 24 * 3600,
  /** Applied poll batch ids remembered per network for idempotent retries. */
  batchIds: 32,
} as const;
