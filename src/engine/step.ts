/**
 * One step of one network: everything that changes what chainwatch believes about a network
 * goes through here, live (inside the network's atomic Redis transaction, src/store/incidents.ts)
 * and in replay (src/replay/replayer.ts). Pure: the previous state, one input and `now` in; the
 * next state, the signals and the incident's new timeline events out.
 *
 * Each input settles only its own source's conditions (a chain poll says nothing about posts on
 * X), then the correlator decides the incident. A poll also moves the community window and the
 * node alarms on to `now`, so reports and stale node alarms expire even when nothing new arrives.
 */
import { DEFAULT_SOCIAL } from '../config/defaults';
import type { Network } from '../config/network';
import type { HeadSample, Incident, IncidentEvent, NodeSample, Report, Signal, SignalSource } from '../model';
import { applyAction, type ActionRefusal, type ModeratorAction } from './actions';
import { correlate } from './correlator';
import { observeChain } from './detectors';
import { initialNodeState, observeNode } from './node-memory';
import { initialSocialState, observeSocial } from './social-evidence';
import type { NetworkState } from './state';

export type StepInput =
  /** One poll of every endpoint of the network. */
  | { type: 'poll'; samples: HeadSample[] }
  /** Community outage reports attributed to this network (src/social/attribute.ts). */
  | { type: 'reports'; reports: readonly Report[] }
  /** Scrapes of the network's node metrics. */
  | { type: 'node'; samples: readonly NodeSample[] }
  /** A moderator acknowledging or steering the incident. */
  | { type: 'action'; incidentId: string; action: ModeratorAction };

export interface StepResult {
  state: NetworkState;
  signals: Signal[];
  events: IncidentEvent[];
  /** The network's incident after the step (open, or the last closed one). */
  incident: Incident | null;
  /** Why a moderator action was refused; the state is then unchanged. */
  refused?: ActionRefusal;
}

export function step(prev: NetworkState, input: StepInput, network: Network, now: number): StepResult {
  switch (input.type) {
    case 'poll':
      return poll(prev, input.samples, network, now);
    case 'reports':
      return reports(prev, input.reports, network, now);
    case 'node':
      return node(prev, input.samples, network, now);
    case 'action':
      return action(prev, input.incidentId, input.action, now);
  }
}

function poll(prev: NetworkState, samples: HeadSample[], network: Network, now: number): StepResult {
  const { state: chain, signals } = observeChain(prev.chain, samples, network, now);
  let result = settle({ ...prev, chain }, signals, 'chain', network, now);
  if (result.state.social?.reports.length) result = join(result, reports(result.state, [], network, now));
  // A node alarm whose scrapes stopped (a crashed node, a dropped scheduler) expires here too.
  if (nodeNeedsTime(result.state, network)) result = join(result, node(result.state, [], network, now));
  return result;
}

function reports(prev: NetworkState, fresh: readonly Report[], network: Network, now: number): StepResult {
  const settings = network.social ?? DEFAULT_SOCIAL;
  const { state: social, signals } = observeSocial(prev.social ?? initialSocialState(), fresh, network, now, settings);
  return settle({ ...prev, social }, signals, 'social', network, now);
}

function node(prev: NetworkState, samples: readonly NodeSample[], network: Network, now: number): StepResult {
  const { state: nodeState, signals } = observeNode(prev.node ?? initialNodeState(), samples, network, now);
  return settle({ ...prev, node: nodeState }, signals, 'node', network, now);
}

function action(prev: NetworkState, incidentId: string, act: ModeratorAction, now: number): StepResult {
  const r = applyAction(prev.corr, incidentId, act, now);
  if (!r.ok) return { state: prev, signals: [], events: [], incident: prev.corr.incident, refused: r.reason };
  return { state: { ...prev, corr: r.state }, signals: [], events: r.events, incident: r.state.incident };
}

/**
 * The signals of one source (whose new state is already in `state`) through the correlator,
 * which settles only that source's conditions.
 */
function settle(state: NetworkState, signals: Signal[], source: SignalSource, network: Network, now: number): StepResult {
  // The best head as stored, for recovery lines.
  const best = state.chain.best;
  const { state: corr, events } = correlate(state.corr, { now, signals, evaluated: [source], head: best }, network);
  return { state: { ...state, corr }, signals, events, incident: corr.incident };
}

/** Only a raised alarm, or telemetry of endpoints no longer configured, has anything to expire. */
function nodeNeedsTime(state: NetworkState, network: Network): boolean {
  const entries = Object.entries(state.node?.endpoints ?? {});
  return entries.some(([label, e]) => e.active || !network.endpoints.some((ep) => ep.label === label && ep.metrics));
}

function join(a: StepResult, b: StepResult): StepResult {
  return { ...b, signals: [...a.signals, ...b.signals], events: [...a.events, ...b.events] };
}
