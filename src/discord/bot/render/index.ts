// What commands and the router may use from the reply renderers.
export type { BotReply, NetworkStatusRow } from './types';
export { renderStatusOverview, renderNetworkDetail } from './status';
export { renderIncidentList, type IncidentFilter, type IncidentListItem } from './incidents';
export { renderError, type BotErrorDetails, type BotErrorKind } from './errors';
export { threadUrl, HEALTH_EMOJI, HEALTH_LABEL } from './common';
