import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { CONTENT_SECURITY_POLICY, fragment, page } from '../../../src/http/status/layout';
import { incidentPage, networkPage, overviewPage } from '../../../src/http/status/pages';
import { card, event, HOSTILE, incident, NOW, overview, row } from './fixtures';

const site = { title: 'Chains <status>', base: '/status' };

test('overview: status words, cards sorted worst first, 90 bars and a chart per network, open incident with its timeline', () => {
  const html = page(overviewPage(overview(), site));
  assert.match(html, /^<!doctype html><html lang="en">/);
  assert.match(html, /<meta name="viewport" content="width=device-width,initial-scale=1">/);
  assert.match(html, /<title>Major outage · Chains &lt;status&gt;<\/title>/);
  assert.match(html, /class="banner p-major" data-status="major">1 of 2 networks not fully operational</);
  const cards = [...html.matchAll(/<section class="card" data-network="([^"]+)" data-status="([^"]+)">/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.deepEqual(cards, ['megaeth:major', 'base:operational']);
  assert.equal((html.match(/<rect class="b-/g) ?? []).length, 180);
  assert.equal((html.match(/<svg class="chart"/g) ?? []).length, 2);
  assert.match(html, /<a href="\/status\/incident\/megaeth-20250307T120301Z">MegaETH: Block production halted<\/a>/);
  assert.match(html, /<a href="\/status\/network\/base">Base &lt;b&gt;<\/a>/);
  assert.match(html, /<li data-event="update"><span class="lbl">Update from mod &lt;script&gt;/);
  assert.match(html, /<ul class="past"><li data-incident="base-20250301T000000Z">/);
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)/, 'no external asset or link');
});

test('every quoted text is escaped: no markup from data reaches the page', () => {
  const html = page(overviewPage(overview(), site));
  assert.ok(!html.includes('<script>alert'), 'no script from data');
  assert.ok(!html.includes('<img'), 'no element from data');
  assert.ok(
    html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot; &#39;too&#39;'),
  );
  // The only <script> is the page's own, allowed by its hash.
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  assert.equal(scripts.length, 1);
  const digest = createHash('sha256').update(scripts[0]!).digest('base64');
  assert.ok(CONTENT_SECURITY_POLICY.includes(`script-src 'sha256-${digest}'`));
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  assert.ok(CONTENT_SECURITY_POLICY.includes(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`));
  assert.doesNotMatch(html, / style="/, 'no inline style attribute (the CSP would block it)');
});

test('the fragment is <main> alone, stamped with the server time and title for the refresh script', () => {
  const shell = overviewPage(overview(), site);
  const frag = fragment(shell);
  assert.match(frag, new RegExp(`^<div hidden data-now="${NOW}" data-title="Major outage · Chains &lt;status&gt;"></div>`));
  assert.ok(page(shell).includes(`<main data-refresh="15">${frag}</main>`));
  assert.doesNotMatch(frag, /<html|<script|<style/);
});

test('suspected incidents and silences: hidden, and maintenance in words', () => {
  const suspected = incident({ status: 'suspected', confirmedAt: null, title: 'Secret suspicion' });
  const silence = { until: NOW + 3600_000, reason: `upgrade ${HOSTILE}`, by: 'mod' };
  const o = { now: NOW, cards: [card(row('a', 'A', { incident: suspected })), card(row('b', 'B', { silence }))], open: [], past: [] };
  const html = page(overviewPage(o, site));
  assert.ok(!html.includes('Secret suspicion'));
  assert.match(html, /data-network="b" data-status="maintenance"/);
  assert.match(html, /Maintenance until <time datetime="2025-03-07T13:13:01.000Z">2025-03-07 13:13 UTC<\/time>: upgrade &lt;script&gt;/);
  assert.match(html, /All networks operational|1 of 2 networks not fully operational/);
});

test('network page: detail chart with axes, providers, open incident, past and older outages', () => {
  const r = row('megaeth', 'MegaETH', { incident: incident() });
  const older = [
    {
      id: 'megaeth-20241220T000000Z',
      startedAt: Date.UTC(2024, 11, 20),
      endedAt: Date.UTC(2024, 11, 20, 1),
      severity: 'major' as const,
      kind: 'halted' as const,
      title: 'Block production halted',
    },
  ];
  const html = page(networkPage({ now: NOW, card: card(r), open: { incident: incident(), timeline: [event()] }, past: [], older }, site));
  assert.match(
    html,
    /<svg class="chart chart-detail" viewBox="0 0 720 180" role="img" aria-label="Block intervals of MegaETH: 3600 intervals in the last hour, longest 9 s, expected 1 s">/,
  );
  assert.match(html, /<text class="c-lbl"[^>]*>now<\/text>/);
  assert.match(html, /<td>rpc-a<\/td><td>ok<\/td><td>#1,234,567<\/td>/);
  assert.match(
    html,
    /<li data-outage="megaeth-20241220T000000Z">MegaETH: Block production halted<br><time datetime="2024-12-20T00:00:00.000Z">2024-12-20 00:00 UTC<\/time> · major · lasted 1 h<\/li>/,
  );
});

test('incident page: whole timeline newest first, resolved in words', () => {
  const i = incident({ status: 'resolved', resolvedAt: NOW, recoveredAt: NOW - 300_000 });
  const timeline = [
    event(),
    event({ seq: 2, type: 'recovered', at: NOW - 300_000, text: 'Blocks are being produced again.' }),
    event({ seq: 3, type: 'resolved', at: NOW, text: 'Resolved.' }),
  ];
  const network = row('megaeth', 'MegaETH').network;
  const shell = incidentPage({ now: NOW, network, incident: i, timeline }, site);
  const html = page(shell);
  assert.equal(shell.documentTitle, 'MegaETH: Block production halted · Chains <status>');
  assert.deepEqual(
    [...html.matchAll(/<li data-event="(\w+)">/g)].map((m) => m[1]),
    ['resolved', 'recovered', 'opened'],
  );
  assert.match(html, /data-incident-status="resolved"/);
  assert.match(html, /Resolved · major · since .* · halted for 5 min 12 s<\/p>/, 'halted for: from the start to the recovery');
});
