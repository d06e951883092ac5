/**
 * The official source through the engine's one step: a status page alone opens a suspected
 * incident, joins a chain incident as evidence, records when it acknowledged the problem
 * (Incident.officialAt), and the resolved line says how far ahead chainwatch was, or nothing
 * when the page was first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialNetworkState, step, type NetworkState } from '../../src/engine';
import { officialLeadMs, officialLeadText, pageToJudge, staleAfterMs } from '../../src/engine/official-evidence';
import type { IncidentEvent, OfficialPage, StatusPageReading } from '../../src/model';
import { okSample } from './detectors/builders';
import { testNetwork } from '../support/network';

const T0 = Date.parse('2026-03-07T12:00:00Z');
const MIN = 60_000;
const network = testNetwork({
  name: 'base',
  displayName: 'Base',
  statusPage: { url: 'https://status.example.org/api/v2/summary.json', kind: 'statuspage', everyMs: MIN, timeoutMs: 5000 },
  thresholds: { resolveAfterMs: MIN },
});

function page(postedAt: number | null, readAt: number, extra: Partial<OfficialPage> = {}): OfficialPage {
  return {
    kind: 'statuspage',
    name: 'Base Status',
    indicator: 'major',
    incidents:
      postedAt === null
        ? []
        : [
            {
              id: 'inc1',
              name: 'Block production stalled',
              status: 'investigating',
              impact: 'major',
              postedAt,
              update: 'We are looking into it.',
              url: 'https://status.example.org/incidents/inc1',
              components: [],
            },
          ],
    components: [],
    maintenance: false,
    readAt,
    ...extra,
  };
}

class Run {
  state: NetworkState = initialNetworkState();
  events: IncidentEvent[] = [];
  official(p: OfficialPage | null, now: number) {
    this.apply(step(this.state, { type: 'official', page: p }, network, now));
  }
  /** One poll of both endpoints at head `n`, its block `blockAt`. */
  poll(n: number, blockAt: number, now: number) {
    const samples = ['rpc-a', 'rpc-b'].map((ep) => okSample(ep, n, now, { network: 'base', timestamp: Math.floor(blockAt / 1000) }));
    this.apply(step(this.state, { type: 'poll', samples }, network, now));
  }
  private apply(r: ReturnType<typeof step>) {
    this.state = r.state;
    this.events.push(...r.events);
  }
  get incident() {
    return this.state.corr.incident;
  }
}

/** Blocks every second until `stopAt`, stuck from then until `resumeAt`, then every second again; polled every 5 s. */
function chain(run: Run, from: number, to: number, stopAt: number, resumeAt: number, official?: (now: number) => void) {
  for (let now = from; now <= to; now += 5000) {
    const stuck = now >= stopAt && now < resumeAt;
    const blockAt = stuck ? stopAt : now;
    run.poll(1000 + Math.floor((blockAt - from) / 1000), blockAt, now);
    official?.(now);
  }
}

test('the official page alone opens a suspected incident, quoted, and records when it acknowledged', () => {
  const run = new Run();
  run.official(page(T0, T0), T0);
  assert.equal(run.incident, null, 'a condition waits for confirm like any degraded kind');
  run.official(page(T0, T0 + MIN), T0 + MIN);
  const [opened] = run.events;
  assert.equal(opened!.type, 'opened');
  assert.equal(opened!.kind, 'status_page');
  assert.equal(opened!.status, 'suspected');
  assert.equal(opened!.severity, 'major');
  assert.match(opened!.text, /Base status page: Investigating — “Block production stalled: We are looking into it\.”/);
  assert.equal(run.incident!.officialAt, T0);
  // The page resolves: the incident recovers, then resolves; the page was first, so no lead is claimed.
  run.official(page(null, T0 + 5 * MIN, { indicator: 'none' }), T0 + 5 * MIN);
  run.official(page(null, T0 + 7 * MIN, { indicator: 'none' }), T0 + 7 * MIN);
  run.official(page(null, T0 + 9 * MIN, { indicator: 'none' }), T0 + 9 * MIN);
  const resolved = run.events.find((e) => e.type === 'resolved');
  assert.ok(resolved, run.events.map((e) => e.type).join());
  assert.doesNotMatch(resolved.text, /before the official status page/);
  assert.equal(resolved.details?.officialLeadMs, undefined);
});

test('a halt chainwatch saw 16 min before the page acknowledged it: the resolved line says so', () => {
  const run = new Run();
  const stopAt = T0 + MIN;
  let ackAt: number | null = null;
  chain(run, T0, T0 + 30 * MIN, stopAt, T0 + 25 * MIN, (now) => {
    const confirmed = run.incident?.confirmedAt;
    if (ackAt === null && typeof confirmed === 'number' && now >= confirmed + 16 * MIN) ackAt = now;
    if (ackAt !== null) run.official(page(ackAt, now), now);
  });
  const opened = run.events.find((e) => e.type === 'opened')!;
  assert.equal(opened.kind, 'halted');
  assert.ok(run.incident!.confirmedAt! - stopAt <= 20_000, 'the halt is confirmed within the stall and a poll or two');
  assert.equal(run.incident!.officialAt, run.incident!.confirmedAt! + 16 * MIN);
  assert.ok(
    run.events.some((e) => e.type === 'evidence' && /Base status page: Investigating/.test(e.text)),
    'the page joins the timeline as evidence',
  );
  const resolved = run.events.find((e) => e.type === 'resolved');
  assert.ok(resolved, run.events.map((e) => e.type).join());
  assert.match(resolved.text, /chainwatch reported this 16 min before the official status page\.$/);
  assert.equal(resolved.details?.officialLeadMs, 16 * MIN);
});

test('a page that acknowledged first (its own post time earlier than chainwatch knew) gets no lead', () => {
  const run = new Run();
  const stopAt = T0 + MIN;
  chain(run, T0, T0 + 30 * MIN, stopAt, T0 + 25 * MIN, (now) => {
    if (now >= stopAt + 2 * MIN) run.official(page(stopAt - 5 * MIN, now), now);
  });
  assert.equal(run.incident!.officialAt, stopAt - 5 * MIN);
  const resolved = run.events.find((e) => e.type === 'resolved')!;
  assert.doesNotMatch(resolved.text, /official status page/);
});

test('officialLeadMs: rounded to minutes, null under a minute or when the page was first', () => {
  const at = { openedAt: T0, confirmedAt: T0 + 10_000 };
  assert.equal(officialLeadMs({ ...at, officialAt: T0 + 10_000 + 16 * MIN + 20_000 }), 16 * MIN);
  assert.equal(officialLeadMs({ ...at, officialAt: T0 + 10_000 + 59_000 }), null);
  assert.equal(officialLeadMs({ ...at, officialAt: T0 }), null);
  assert.equal(officialLeadMs({ ...at, officialAt: null }), null);
  // Suspected, never confirmed: known since it opened.
  assert.equal(officialLeadMs({ openedAt: T0, confirmedAt: null, officialAt: T0 + 3 * MIN }), 3 * MIN);
  assert.equal(
    officialLeadText({ ...at, officialAt: T0 + 10_000 + 90 * MIN }),
    'chainwatch reported this 1 h 30 min before the official status page.',
  );
});

test('pageToJudge: a failed read keeps the last page until it is stale, then says nothing', () => {
  const last = page(T0, T0);
  const failed: StatusPageReading = { ok: false, at: T0, kind: 'timeout', message: 'timed out' };
  assert.equal(staleAfterMs(MIN), 10 * MIN);
  assert.equal(staleAfterMs(5 * MIN), 25 * MIN);
  assert.deepEqual(pageToJudge(failed, last, MIN, T0 + 10 * MIN), { page: last, stale: false });
  assert.deepEqual(pageToJudge(failed, last, MIN, T0 + 10 * MIN + 1), { page: null, stale: true });
  assert.deepEqual(pageToJudge(failed, null, MIN, T0), { page: null, stale: false });
  const fresh = page(null, T0 + MIN);
  assert.deepEqual(pageToJudge({ ok: true, page: fresh }, last, MIN, T0 + MIN), { page: fresh, stale: false });
});
