import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockIntervals, type HeadPoint, type ReportBucket } from '../../../src/model';
import { createIncidentImageSource, loadIncidentChart } from '../../../src/publish/image/incident-image';
import { testNetwork } from '../../support/network';
import { haltEvents, haltIncident, haltReports, RECOVERED, RESOLVED, STARTED } from './fixture';

/** Head points of a 1 s chain that halts at STARTED and resumes at RECOVERED. */
function heads(from: number, to: number): HeadPoint[] {
  const out: HeadPoint[] = [];
  let n = 1000;
  for (let t = from; t <= to; t += 1000) {
    if (t > STARTED && t < RECOVERED) continue;
    out.push({ t, n, ts: Math.floor(t / 1000) });
    n++;
  }
  return out;
}

test('the loader reads the window from the history and the timeline, and renders a PNG with alt text', async () => {
  const asked: { what: string; from: number; to: number }[] = [];
  const incident = haltIncident();
  const deps = {
    history: {
      intervals: async (_n: string, from: number, to: number) => (
        asked.push({ what: 'intervals', from, to }),
        blockIntervals(heads(from, to))
      ),
      reports: async (_n: string, from: number, to: number): Promise<ReportBucket[]> => (
        asked.push({ what: 'reports', from, to }),
        haltReports()
      ),
    },
    timeline: async () => haltEvents(incident),
    networks: new Map([['megaeth', testNetwork({ name: 'megaeth', displayName: 'MegaETH', blockTimeMs: 1000 })]]),
  };
  const chart = await loadIncidentChart(deps, incident, RESOLVED);
  assert.deepEqual(
    asked.find((a) => a.what === 'reports'),
    { what: 'reports', from: STARTED - 30 * 60_000, to: RESOLVED },
  );
  assert.equal(
    asked.find((a) => a.what === 'intervals')!.from,
    STARTED - 31 * 60_000,
    'one minute of lead: how long since the last block at the start',
  );
  const halt = chart.intervals.find((i) => i.t === RECOVERED);
  assert.ok(halt && Math.abs(halt.seconds - (RECOVERED - STARTED) / 1000) < 2, 'the halt is one long interval when blocks return');
  assert.equal(chart.networkName, 'MegaETH');

  const image = await createIncidentImageSource(deps)(incident, RESOLVED);
  assert.equal(image.filename, 'incident.png');
  assert.equal(image.png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.match(image.alt, /Halted from 12:03 for 3 h 12 min/);
});

test('a history that fails makes the loader fail (the publishers then post without a picture)', async () => {
  const source = createIncidentImageSource({
    history: { intervals: async () => Promise.reject(new Error('redis down')), reports: async () => [] },
    timeline: async () => [],
    networks: new Map(),
  });
  await assert.rejects(source(haltIncident(), RESOLVED), /redis down/);
});
