import { chainView } from '../../engine/detectors';
import type { Network } from '../../config/network';
import type { HistoryStore } from '../../store/history';
import type { NetworkSnapshot, NetworkState } from '../../engine';
import { type Incident, type IncidentEvent, isSilenced, networkOfIncident, type NetworkOutages, type OutageRecord } from '../../model';
import type { OutageLog } from '../../store/outages';
import { type SilenceStore } from '../../store/silences';
import type { IncidentStore } from '../../store/incidents';
import { CHART_WINDOW_MS } from './chart';
import { BUCKET_MS, IntervalWindow, type Bucket } from './intervals';
import {
  isPastPublic,
  isPublicOpen,
  networkStatus,
  openWindow,
  uptimeBars,
  UPTIME_DAYS,
  wasPublic,
  type PageStatus,
  type Uptime,
} from './model';

/** Everything the pages and feeds show about one network. */
export interface NetworkCard {
  network: Network;
  row: NetworkSnapshot;
  status: PageStatus;
  /** The last hour's block intervals in 20 s buckets. */
  buckets: Bucket[];
  /** When the head last advanced (first sighting), for the chart's current gap. */
  lastHeadAt: number | null;
  uptime: Uptime;
}

export interface OpenIncident {
  incident: Incident;
  timeline: IncidentEvent[];
}

export interface Overview {
  now: number;
  cards: NetworkCard[];
  open: OpenIncident[];
  past: Incident[];
}

export interface NetworkPage {
  now: number;
  card: NetworkCard;
  open: OpenIncident | null;
  past: Incident[];
  /** Outages older than the incidents kept (30 days), up to 90 days back. */
  older: OutageRecord[];
}

export interface IncidentPage {
  now: number;
  network: Network;
  incident: Incident;
  timeline: IncidentEvent[];
}

export interface StatusSourceDeps {
  store: IncidentStore;
  silences: SilenceStore;
  history: HistoryStore;
  outages: OutageLog;
  networks: readonly Network[];
  clock: () => number;
  /** Pages and feeds are computed at most once per this many ms (default 2 s). */
  cacheMs?: number;
}

/** Past incidents on the overview, and per network in the feeds. */
const PAST_ON_OVERVIEW = 20;
const PAST_PER_NETWORK = 50;
const DAY = 86_400_000;
/** Ids look like `<network>-20260124T020000Z`; anything else is not looked up. */
const INCIDENT_ID = /^[a-z0-9][a-z0-9-]{0,39}-\d{8}T\d{6}Z$/;
const CACHE_MAX = 512;

/**
 * Reads what the status page shows from Redis, in pipelined round trips whatever the number
 * of networks. A public page is read most during an outage, by everyone at once: results are
 * shared for `cacheMs` (a bounded map), so a crowd costs Redis one read per page per period.
 */
export class StatusSource {
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();
  private readonly byName: ReadonlyMap<string, Network>;
  /** One per configured network: the chart's last hour, grown from new head points. */
  private readonly windows = new Map<string, IntervalWindow>();

  constructor(private readonly deps: StatusSourceDeps) {
    this.byName = new Map(deps.networks.map((n) => [n.name, n]));
  }

  /** The app's clock: the routes stamp pages that read nothing (not found, an empty feed) with it. */
  now(): number {
    return this.deps.clock();
  }

  findNetwork(name: string): Network | undefined {
    return this.byName.get(name);
  }

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.deps.clock();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < (this.deps.cacheMs ?? 2000)) return hit.value as Promise<T>;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    const value = read();
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  overview(): Promise<Overview> {
    return this.cached('overview', async () => {
      const now = this.deps.clock();
      const { cards } = await this.cards(this.deps.networks, now);
      const open = await this.withTimelines(cards.map((c) => c.row.incident).filter(isPublicOpen));
      const lists = await Promise.all(this.deps.networks.map((n) => this.deps.store.listIncidents(n.name, PAST_ON_OVERVIEW)));
      const past = lists
        .flat()
        .filter(isPastPublic)
        .sort((a, b) => b.openedAt - a.openedAt)
        .slice(0, PAST_ON_OVERVIEW);
      return { now, cards, open, past };
    });
  }

  networkPage(name: string): Promise<NetworkPage | null> {
    const network = this.byName.get(name);
    if (!network) return Promise.resolve(null);
    return this.cached(`network:${name}`, async () => {
      const now = this.deps.clock();
      const {
        cards: [card],
        records,
      } = await this.cards([network], now);
      const [open] = await this.withTimelines([card!.row.incident].filter(isPublicOpen));
      const listed = (await this.deps.store.listIncidents(name, PAST_PER_NETWORK)).filter(isPastPublic);
      const known = new Set(listed.map((i) => i.id));
      const oldest = listed.at(-1)?.openedAt ?? now;
      // The 90 days of records the uptime bars were drawn from: not read a second time.
      const older = (records.get(name)?.outages ?? [])
        .filter((o) => !known.has(o.id) && o.startedAt < oldest)
        .sort((a, b) => b.startedAt - a.startedAt);
      return { now, card: card!, open: open ?? null, past: listed, older };
    });
  }

  /** A public incident (confirmed at some point) of a configured network, with its timeline. */
  incidentPage(id: string): Promise<IncidentPage | null> {
    if (!INCIDENT_ID.test(id)) return Promise.resolve(null);
    const network = this.byName.get(networkOfIncident(id));
    if (!network) return Promise.resolve(null);
    return this.cached(`incident:${id}`, async () => {
      const incident = await this.deps.store.getIncident(id);
      if (!incident || incident.network !== network.name || !wasPublic(incident)) return null;
      return { now: this.deps.clock(), network, incident, timeline: await this.deps.store.getTimeline(id) };
    });
  }

  /** Open and recent public incidents, newest first: for the JSON and Atom feeds. */
  recentIncidents(network: string | null, limit: number): Promise<Incident[]> {
    const networks = network === null ? this.deps.networks : this.deps.networks.filter((n) => n.name === network);
    return this.cached(`recent:${network ?? '*'}:${limit}`, async () => {
      const lists = await Promise.all(networks.map((n) => this.deps.store.listIncidents(n.name, Math.min(limit, PAST_PER_NETWORK))));
      return lists
        .flat()
        .filter((i) => i.status !== 'suspected' && wasPublic(i))
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .slice(0, limit);
    });
  }

  /**
   * Reads only the head points since the last read (with 30 s of overlap for a poll that
   * committed late; points already folded in are skipped), the whole hour the first time.
   */
  private async chartWindow(network: string, now: number): Promise<IntervalWindow> {
    let w = this.windows.get(network);
    if (!w) this.windows.set(network, (w = new IntervalWindow()));
    const from = Math.max(now - CHART_WINDOW_MS - BUCKET_MS, w.newest - 30_000);
    w.add(await this.deps.history.heads(network, from, now));
    w.trim(now - CHART_WINDOW_MS - BUCKET_MS);
    return w;
  }

  private async withTimelines(incidents: Incident[]): Promise<OpenIncident[]> {
    const timelines = await Promise.all(incidents.map((i) => this.deps.store.getTimeline(i.id)));
    return incidents
      .map((incident, i) => ({ incident, timeline: timelines[i]! }))
      .sort((a, b) => b.incident.startedAt - a.incident.startedAt);
  }

  /** The cards, and the outage records (90 days) their uptime bars were drawn from. */
  private async cards(networks: readonly Network[], now: number): Promise<{ cards: NetworkCard[]; records: Map<string, NetworkOutages> }> {
    const names = networks.map((n) => n.name);
    const [states, silences, records, heads] = await Promise.all([
      this.deps.store.readStates<NetworkState>(names),
      this.deps.silences.getMany(names),
      this.deps.outages.listMany(names, now - UPTIME_DAYS * DAY),
      Promise.all(names.map((n) => this.chartWindow(n, now))),
    ]);
    const cards = networks.map((network, i) => {
      const stored = states.get(network.name);
      const silence = silences.get(network.name);
      const view = stored ? chainView(stored.state.chain, network, now) : null;
      const row: NetworkSnapshot = {
        network,
        view,
        incident: stored?.incident ?? null,
        silence: isSilenced(silence, now) ? silence : null,
      };
      const window = heads[i]!;
      const record = records.get(network.name) ?? { since: null, outages: [] };
      const open = isPublicOpen(row.incident) ? [openWindow(row.incident, now)] : [];
      // Records of this very incident (it reopened after a resolution) are covered by the live window.
      const closed = record.outages.filter((o) => !open.length || o.id !== row.incident?.id);
      return {
        network,
        row,
        status: networkStatus(row, now),
        buckets: window.list(),
        lastHeadAt: view?.lastAdvanceAt ?? window.lastHeadAt(),
        uptime: uptimeBars([...closed, ...open], record.since ?? window.lastHeadAt(), now),
      };
    });
    return { cards, records };
  }
}
