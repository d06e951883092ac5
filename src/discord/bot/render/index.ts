// What commands, the router and the status page may use from the reply renderers.
export type { BotReply, NetworkStatusRow } from './types';
export { renderStatusOverview, renderNetworkDetail } from './status';
export { renderIncidentList, type IncidentFilter, type IncidentListItem } from './incidents';
export { renderError, type BotErrorDetails, type BotErrorKind } from './errors';
export { networkHealth, threadUrl, HEALTH_EMOJI, HEALTH_LABEL, type NetworkHealth } from './common';
