/**
 * The shared nouns of DESIGN.md and nothing else: what every layer above may speak of. Only
 * types, constants and small predicates about them live here; no I/O, no clock.
 */
export * from './signal';
export * from './incident';
export * from './sample';
export * from './post';
export * from './publication';
export * from './silence';
export * from './outage';
export * from './history';
export * from './node-sample';
export * from './sight';
export * from './keyspace';
export * from './probe';
export * from './status-page';
