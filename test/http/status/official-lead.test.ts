/**
 * How long before the official status page chainwatch knew, where the public reads it: the
 * incident page's status line, the JSON and Atom feeds, and the final X post. Nothing is claimed
 * when the page was first or never acknowledged it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atomFeed, incidentJson } from '../../../src/http/status/feeds';
import { incidentStatusLine } from '../../../src/http/status/parts';
import type { IncidentEvent } from '../../../src/model';
import { renderXPost } from '../../../src/x/render';
import { incident, NOW } from './fixtures';

const MIN = 60_000;
const SENTENCE = 'chainwatch reported this 16 min before the official status page.';
const links = { base: 'https://status.example.org' };

function resolvedIncident(officialAt: number | null) {
  const base = incident({ status: 'resolved' });
  return { ...base, confirmedAt: base.openedAt, recoveredAt: base.openedAt + 30 * MIN, resolvedAt: base.openedAt + 35 * MIN, officialAt };
}

test('the incident page, the JSON feed and Atom say the lead; nothing when the page was first', () => {
  const ahead = resolvedIncident(incident().openedAt + 16 * MIN + 10_000);
  assert.match(
    String(incidentStatusLine(ahead, NOW)),
    /<span data-official-lead>chainwatch reported this 16 min before the official status page\.<\/span>/,
  );
  assert.equal(incidentJson(ahead, links).officialLeadMs, 16 * MIN);
  assert.equal(incidentJson(ahead, links).officialAt, new Date(ahead.officialAt!).toISOString());
  const xml = atomFeed([ahead], { title: 't', links, selfHref: '/feed.atom', now: NOW, names: () => 'MegaETH' });
  assert.ok(xml.includes(SENTENCE), xml);

  for (const behind of [resolvedIncident(incident().openedAt - 5 * MIN), resolvedIncident(null)]) {
    assert.doesNotMatch(String(incidentStatusLine(behind, NOW)), /official/);
    assert.equal(incidentJson(behind, links).officialLeadMs, null);
    assert.doesNotMatch(atomFeed([behind], { title: 't', links, selfHref: '/feed.atom', now: NOW, names: () => 'M' }), /official/);
  }
  // Still open: the lead is only told once it is over.
  const open = { ...ahead, status: 'investigating' as const, resolvedAt: null };
  assert.doesNotMatch(String(incidentStatusLine(open, NOW)), /official/);
});

test('the final X post carries the lead the resolved event measured', () => {
  const inc = resolvedIncident(null);
  const ev = (details: IncidentEvent['details']): IncidentEvent => ({
    incidentId: inc.id,
    network: inc.network,
    seq: 9,
    at: inc.resolvedAt!,
    type: 'resolved',
    status: 'resolved',
    severity: inc.severity,
    kind: inc.kind,
    title: inc.title,
    text: '',
    details,
  });
  const ctx = { networkName: 'MegaETH', link: null, now: inc.resolvedAt! };
  const withLead = renderXPost('resolved', ev({ durationMs: 30 * MIN, officialLeadMs: 16 * MIN }), inc, ctx);
  assert.match(withLead, /\. chainwatch reported this 16 min before the official status page\.$/);
  assert.doesNotMatch(renderXPost('resolved', ev({ durationMs: 30 * MIN }), inc, ctx), /official/);
});
