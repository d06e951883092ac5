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
import type { HeadSample, Incident, IncidentEvent, NodeSample, OfficialPage, Report, Signal, SignalSource } from '../model';
import { applyAction, type ActionRefusal, type ModeratorAction } from './actions';
import { correlate } from './correlator';
import { observeChain } from './detectors';
import { initialNodeState, observeNode } from './node-memory';
import { observeOfficial } from './official-evidence';
import { observeProbe, type ProbeReport } from './probe';
import { initialSocialState, observeSocial, socialHasWindow } from './social-evidence';
import type { NetworkState } from './state';

export type StepInput =
  /**
   * One poll of every endpoint of the network; `blind`: chainwatch is blind (blindness.ts)
   * and the evidence its blindness produces is held.
   */
  | { type: 'poll'; samples: HeadSample[]; blind?: { since: number } | null }
  /**
   * Community outage reports attributed to this network (src/social/attribute.ts), and when
   * each of the network's other posts was written (`others`: the share of reports needs them).
   */
  | { type: 'reports'; reports: readonly Report[]; others?: readonly number[] }
  /** Scrapes of the network's node metrics. */
  | { type: 'node'; samples: readonly NodeSample[] }
  /** A moderator acknowledging or steering the incident. */
  | { type: 'action'; incidentId: string; action: ModeratorAction }
  /** One tick of the inclusion probe (jobs/probe.ts): in flight, included, or idle. */
  | { type: 'probe'; report: ProbeReport }
  /** The network's official status page as read now (jobs/status-page.ts); null: nothing to go on. */
  | { type: 'official'; page: OfficialPage | null };

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
      return poll(prev, input.samples, network, now, input.blind ?? null);
    case 'reports':
      return reports(prev, input.reports, network, now, input.others);
    case 'node':
      return node(prev, input.samples, network, now);
    case 'action':
      return action(prev, input.incidentId, input.action, now);
    case 'probe':
      return probe(prev, input.report, network, now);
    case 'official':
      return settle(prev, observeOfficial(input.page, network, now), 'official', network, now);
  }
}

function poll(prev: NetworkState, samples: HeadSample[], network: Network, now: number, blind: { since: number } | null): StepResult {
  const { state: chain, signals } = observeChain(prev.chain, samples, network, now);
  let result = settle({ ...prev, chain }, signals, 'chain', network, now, blind);
  if (socialHasWindow(result.state.social)) result = join(result, reports(result.state, [], network, now));
  // A node alarm whose scrapes stopped (a crashed node, a dropped scheduler) expires here too.
  if (nodeNeedsTime(result.state, network)) result = join(result, node(result.state, [], network, now));
  // A probe dropped from the config leaves no condition behind.
  if (result.state.probe && !network.probe) result = join(result, probe(result.state, { kind: 'idle', paused: null }, network, now));
  // Likewise a status page dropped from the config.
  if (!network.statusPage && 'status_page' in result.state.corr.conditions)
    result = join(result, settle(result.state, [], 'official', network, now));
  return result;
}

function reports(prev: NetworkState, fresh: readonly Report[], network: Network, now: number, others: readonly number[] = []): StepResult {
  const settings = network.social ?? DEFAULT_SOCIAL;
  const { state: social, signals } = observeSocial(prev.social ?? initialSocialState(), fresh, network, now, settings, others);
  return settle({ ...prev, social }, signals, 'social', network, now);
}

function node(prev: NetworkState, samples: readonly NodeSample[], network: Network, now: number): StepResult {
  const { state: nodeState, signals } = observeNode(prev.node ?? initialNodeState(), samples, network, now);
  return settle({ ...prev, node: nodeState }, signals, 'node', network, now);
}

function probe(prev: NetworkState, report: ProbeReport, network: Network, now: number): StepResult {
  const { state: probeState, signals } = observeProbe(prev.probe, report, network, prev.chain.best, now);
  const { probe: _, ...rest } = prev;
  return settle(probeState ? { ...rest, probe: probeState } : rest, signals, 'probe', network, now);
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
function settle(
  state: NetworkState,
  signals: Signal[],
  source: SignalSource,
  network: Network,
  now: number,
  hold?: { since: number } | null,
): StepResult {
  // The best head as stored, for recovery lines.
  const best = state.chain.best;
  const { state: corr, events } = correlate(
    state.corr,
    { now, signals, evaluated: [source], head: best, ...(hold !== undefined ? { hold } : {}) },
    network,
  );
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
