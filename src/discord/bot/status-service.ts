import { chainView } from '../../engine/detectors';
import type { Network } from '../../config/network';
import { probeView, type NetworkState } from '../../engine';
import type { SilenceStore } from '../../store/silences';
import { type Incident, isOpen, isSilenced } from '../../model';
import type { IncidentStore } from '../../store/incidents';
import type { PublicationStore } from '../../store/publications';
import { clientView, minimumFor } from '../../util/client-version';
import type { ClientVersions, ClientVersionStore } from '../../store/client-versions';
import { memoryFigures, type NodeState } from '../../engine/node-memory';
import { threadUrl } from './render';
import type { NetworkStatusRow } from './render/types';

/**
 * What `/status` and `/incidents` read: every network's live view and open incident from
 * Redis in a few pipelined round trips, whatever the number of networks.
 */
export class StatusService {
  constructor(
    private readonly deps: {
      store: IncidentStore;
      silences: SilenceStore;
      publications: PublicationStore;
      networks: readonly Network[];
      clock: () => number;
      /** The endpoints' web3_clientVersion answers; absent: not shown. */
      clientVersions?: ClientVersionStore;
    },
  ) {}

  get networks(): readonly Network[] {
    return this.deps.networks;
  }

  find(name: string): Network | undefined {
    const q = name.trim().toLowerCase();
    return this.deps.networks.find((n) => n.name === q || n.displayName.toLowerCase() === q);
  }

  async rows(networks: readonly Network[], guildId: string | null): Promise<NetworkStatusRow[]> {
    const names = networks.map((n) => n.name);
    const now = this.deps.clock();
    const [states, silences, clients] = await Promise.all([
      this.deps.store.readStates<NetworkState>(names),
      this.deps.silences.getMany(names),
      this.deps.clientVersions?.readMany(names).catch(() => new Map<string, ClientVersions>()) ?? new Map<string, ClientVersions>(),
    ]);
    const open = [...states.values()].map((s) => s.incident).filter((i): i is Incident => !!i && isOpen(i));
    const pubs = await this.deps.publications.readMany(
      'discord',
      open.map((i) => i.id),
    );
    return networks.map((network) => {
      const stored = states.get(network.name);
      const incident = stored?.incident && isOpen(stored.incident) ? stored.incident : null;
      const silence = silences.get(network.name);
      const threadUrl = incident ? threadUrlOf(guildId, pubs.get(incident.id)?.ids.threadId) : undefined;
      return {
        network,
        view: stored ? chainView(stored.state.chain, network, now) : null,
        incident,
        ...(threadUrl ? { threadUrl } : {}),
        silence: isSilenced(silence, now) ? silence : null,
        ...telemetryOf(network, clients.get(network.name), stored?.state.node),
        ...(network.probe ? { probe: probeView(stored?.state.probe, network.probe, now) } : {}),
      };
    });
  }

  async recent(network: string, limit = 5): Promise<Incident[]> {
    return this.deps.store.listIncidents(network, limit);
  }

  /** Incidents across networks, newest first, with their thread links. */
  async incidents(
    networks: readonly Network[],
    filter: 'active' | 'recent',
    guildId: string | null,
    limit = 10,
  ): Promise<{ incident: Incident; threadUrl?: string }[]> {
    const lists = await Promise.all(networks.map((n) => this.deps.store.listIncidents(n.name, filter === 'active' ? 3 : limit)));
    const all = lists
      .flat()
      .filter((i) => (filter === 'active' ? isOpen(i) : true))
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, limit);
    const pubs = await this.deps.publications.readMany(
      'discord',
      all.map((i) => i.id),
    );
    return all.map((incident) => {
      const threadUrl = threadUrlOf(guildId, pubs.get(incident.id)?.ids.threadId);
      return threadUrl ? { incident, threadUrl } : { incident };
    });
  }

  async incident(id: string): Promise<Incident | null> {
    return this.deps.store.getIncident(id);
  }
}

/** Client versions and node memory per endpoint label, for the detail view. */
function telemetryOf(
  network: Network,
  versions: ClientVersions | undefined,
  node: NodeState | undefined,
): Pick<NetworkStatusRow, 'clients' | 'memory'> {
  const out: Pick<NetworkStatusRow, 'clients' | 'memory'> = {};
  if (versions) {
    out.clients = Object.fromEntries(
      network.endpoints.flatMap((ep) => (versions[ep.label] ? [[ep.label, clientView(versions[ep.label]!, minimumFor(network, ep))]] : [])),
    );
  }
  const memory = network.endpoints.flatMap((ep) => {
    const e = node?.endpoints[ep.label];
    if (!ep.metrics || !e) return [];
    const name = ep.metrics.process ?? 'node';
    if (e.failures > 0) return [[ep.label, `${name}: metrics failing ${e.failures}× (${e.lastError ?? 'no answer'})`]];
    return e.last ? [[ep.label, `${name}: ${memoryFigures(e.last)}`]] : [];
  });
  if (memory.length) out.memory = Object.fromEntries(memory);
  return out;
}

/** A link to an incident's thread; the guild is the one the command was used in. */
function threadUrlOf(guildId: string | null, threadId: string | undefined): string | undefined {
  return threadId && guildId ? threadUrl(guildId, threadId) : undefined;
}
