import type { HeadSample, Incident, IncidentEvent, OfficialPage, Sight, SignalKind } from '../model';
import type { Network } from '../config/network';
import { initialNetworkState, judgeSight, pageToJudge, sightOf, step, type NetworkState, type StepResult } from '../engine';
import { attributePosts, networkTermsOf } from '../social/attribute';
import { DEFAULT_MEMORY_SETTINGS } from '../config/defaults';
import {
  describeLineError,
  NetworkLine,
  nodeSampleFromLine,
  readingFromLine,
  sampleFromLine,
  statusPageFromLine,
  TimelineLine,
} from './format';
import { networkFromLine } from './network';

/** One incident as `chainwatch replay` prints it (DESIGN.md, "Replay format"). */
export interface ReplayIncident {
  network: string;
  id: string;
  openedAt: string;
  resolvedAt: string | null;
  status: Incident['status'];
  severity: Incident['severity'];
  title: string;
  kind: SignalKind;
  signals: Partial<Record<SignalKind, number>>;
  events?: { t: string; type: IncidentEvent['type']; status: string; severity: string; title: string; text: string }[];
}

export interface ReplaySummary {
  lines: number;
  samples: number;
  posts: number;
  errors: string[];
}

/**
 * Feeds a recorded timeline through the same detectors and correlator as a live run, in
 * simulated time: `now` is each line's `t`, nothing sleeps and nothing touches Redis.
 * Lines of one network at one `t` form one poll, as they do live.
 */
export class Replayer {
  private readonly networks = new Map<string, { network: Network; state: NetworkState }>();
  private readonly incidents = new Map<string, Incident>();
  private readonly events = new Map<string, IncidentEvent[]>();
  private pending: { key: string; network: string; now: number; samples: HeadSample[] } | null = null;
  /** chainwatch's own sight, as live workers keep it in Redis: each network's last poll. */
  private readonly sights = new Map<string, Sight>();
  private blind: { since: number } | null = null;
  /** Each network's last status page read well, as jobs/status-page.ts keeps it in Redis. */
  private readonly lastPages = new Map<string, OfficialPage>();
  readonly summary: ReplaySummary = { lines: 0, samples: 0, posts: 0, errors: [] };

  constructor(private readonly opts: { events?: boolean; maxErrors?: number } = {}) {}

  push(text: string): void {
    const lineNo = ++this.summary.lines;
    if (text.trim() === '') return;
    try {
      const line = TimelineLine.parse(JSON.parse(text));
      this.accept(line);
    } catch (err) {
      // Bounded: a file of garbage reports its first errors, not a million lines of them.
      if (this.summary.errors.length < (this.opts.maxErrors ?? 100)) this.summary.errors.push(describeLineError(lineNo, err as Error));
    }
  }

  private accept(line: TimelineLine): void {
    if (line.type === 'network') return this.declare(line);
    if (line.type === 'post') return this.post(line);
    const entry = this.networks.get(line.network);
    if (!entry) throw new Error(`network "${line.network}" is not declared by a "network" line before it`);
    if (line.type === 'status_page') return this.statusPage(entry, line);
    if (!entry.network.endpoints.some((e) => e.label === line.endpoint))
      throw new Error(`endpoint "${line.endpoint}" is not declared for ${line.network}`);
    if (line.type === 'node') return this.node(entry, line);
    const sample = sampleFromLine(line);
    this.summary.samples++;
    const key = `${line.network}@${line.t}`;
    if (this.pending && this.pending.key !== key) this.flush();
    this.pending ??= { key, network: line.network, now: sample.observedAt, samples: [] };
    this.pending.samples.push(sample);
  }

  /** A community post: classified, filed under its network, folded into the social evidence. */
  private post(line: Extract<TimelineLine, { type: 'post' }>): void {
    this.flush();
    this.summary.posts++;
    const now = Date.parse(line.t);
    const networks = [...this.networks.values()].map((e) => e.network);
    const { authorCreatedAt, t: _t, type: _type, ...rest } = line;
    const post = { ...rest, createdAt: now, ...(authorCreatedAt ? { authorCreatedAt: Date.parse(authorCreatedAt) } : {}) };
    // As jobs/social-ingest.ts does: a report, or one of the network's other posts (the share needs both).
    const { reports, others } = attributePosts([post], networks, this.terms(networks));
    for (const name of new Set([...reports.keys(), ...others.keys()])) {
      const entry = this.networks.get(name)!;
      const input = { type: 'reports', reports: reports.get(name) ?? [], others: others.get(name) ?? [] } as const;
      this.apply(entry, step(entry.state, input, entry.network, now));
    }
  }

  /** One node scrape: the endpoint gets node telemetry (default settings) on its first one. */
  private node(entry: { network: Network; state: NetworkState }, line: Extract<TimelineLine, { type: 'node' }>): void {
    this.flush();
    const ep = entry.network.endpoints.find((e) => e.label === line.endpoint)!;
    if (!ep.metrics) {
      ep.metrics = {
        url: `replay://${ep.label}/metrics`,
        scrapeEveryMs: 15_000,
        ...DEFAULT_MEMORY_SETTINGS,
        ...(line.process ? { process: line.process } : {}),
      };
    }
    const now = Date.parse(line.t);
    this.apply(entry, step(entry.state, { type: 'node', samples: [nodeSampleFromLine(line)] }, entry.network, now));
  }

  /**
   * One read of the official status page, judged as jobs/status-page.ts judges a live one: a
   * failed read falls back on the last page while it is fresh. The network gets `statusPage`
   * settings on its first such line.
   */
  private statusPage(entry: { network: Network; state: NetworkState }, line: Extract<TimelineLine, { type: 'status_page' }>): void {
    this.flush();
    const name = entry.network.name;
    const settings = (entry.network.statusPage ??= statusPageFromLine(line));
    const now = Date.parse(line.t);
    const reading = readingFromLine(line);
    const { page } = pageToJudge(reading, this.lastPages.get(name) ?? null, settings.everyMs, now);
    if (reading.ok) this.lastPages.set(name, reading.page);
    this.apply(entry, step(entry.state, { type: 'official', page }, entry.network, now));
  }

  private termsCache: { networks: number; terms: ReturnType<typeof networkTermsOf> } | null = null;

  /** Network terms, recomputed only when a network is declared. */
  private terms(networks: Parameters<typeof networkTermsOf>[0]) {
    if (this.termsCache?.networks !== networks.length) this.termsCache = { networks: networks.length, terms: networkTermsOf(networks) };
    return this.termsCache.terms;
  }

  private declare(line: NetworkLine): void {
    this.flush();
    this.networks.set(line.name, { network: networkFromLine(line), state: initialNetworkState() });
  }

  private flush(): void {
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    const entry = this.networks.get(p.network)!;
    this.apply(
      entry,
      step(entry.state, { type: 'poll', samples: p.samples, blind: this.judgeSight(entry, p.samples, p.now) }, entry.network, p.now),
    );
  }

  /** The same judgement of chainwatch's own blindness as a live poll makes (replay has no connectivity checks). */
  private judgeSight(
    entry: { network: Network; state: NetworkState },
    samples: readonly HeadSample[],
    now: number,
  ): { since: number } | null {
    const failingSince = (label: string) => entry.state.chain.endpoints.find((e) => e.label === label)?.failingSince ?? null;
    this.sights.set(entry.network.name, sightOf(samples, failingSince, now));
    const verdict = judgeSight(this.sights, null, { now, checksConfigured: false, wasBlind: this.blind });
    this.blind = verdict.blind ? { since: verdict.since } : null;
    return this.blind;
  }

  private apply(entry: { state: NetworkState }, result: StepResult): void {
    entry.state = result.state;
    if (result.incident) this.incidents.set(result.incident.id, result.incident);
    if (this.opts.events) for (const e of result.events) this.events.set(e.incidentId, [...(this.events.get(e.incidentId) ?? []), e]);
  }

  finish(): ReplayIncident[] {
    this.flush();
    return [...this.incidents.values()].sort((a, b) => a.openedAt - b.openedAt).map((inc) => this.describe(inc));
  }

  private describe(inc: Incident): ReplayIncident {
    const out: ReplayIncident = {
      network: inc.network,
      id: inc.id,
      openedAt: new Date(inc.openedAt).toISOString(),
      resolvedAt: inc.resolvedAt === null ? null : new Date(inc.resolvedAt).toISOString(),
      status: inc.status,
      severity: inc.severity,
      title: inc.title,
      kind: inc.kind,
      signals: inc.signals,
    };
    if (this.opts.events) {
      out.events = (this.events.get(inc.id) ?? []).map((e) => ({
        t: new Date(e.at).toISOString(),
        type: e.type,
        status: e.status,
        severity: e.severity,
        title: e.title,
        text: e.text,
      }));
    }
    return out;
  }
}
