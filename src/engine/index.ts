/**
 * The engine's public surface: everything `replay` runs, pure. Live jobs and the replayer call
 * `step`; the status views read `chainView` and `networkHealth`.
 */
export { step, type StepInput, type StepResult } from './step';
export { initialNetworkState, type NetworkState } from './state';
export { MAX_UPDATE_CHARS, type ActionRefusal, type ModeratorAction } from './actions';
export { canonicalHash, chainView, planAncestry, type ChainView, type EndpointStatus, type EndpointView } from './detectors';
export { HEALTH_ORDER, networkHealth, PROVIDER_PROBLEMS, publicIncident, type NetworkHealth, type NetworkSnapshot } from './health';
export { BLINDNESS, judgeSight, sightOf, type SightVerdict } from './blindness';
export { probeTickMs, probeView, type ProbeReport, type ProbeState, type ProbeView } from './probe';
export { officialLeadMs, officialLeadSentence, officialLeadText, pageToJudge, staleAfterMs } from './official-evidence';
