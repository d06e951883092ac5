import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atomFeed, badgeSvg, incidentJson, statusJson } from '../../../src/http/status/feeds';
import { HOSTILE, incident, NOW, overview } from './fixtures';

const links = { base: 'https://status.example.org' };

test('status JSON: every network with status, head and age, open incident with its page', () => {
  const s = statusJson(overview(), 'Chains', links);
  assert.equal(s.updatedAt, '2025-03-07T12:13:01.000Z');
  const mega = s.networks[0]!;
  assert.equal(mega.status, 'major');
  assert.equal(mega.statusText, 'Major outage');
  assert.deepEqual(mega.head, { number: 1_234_567, hash: '0xabc', timestamp: '2025-03-07T12:12:59.000Z', ageSeconds: 2 });
  assert.equal(mega.incident?.url, 'https://status.example.org/incident/megaeth-20250307T120301Z');
  assert.equal(mega.url, 'https://status.example.org/network/megaeth');
  assert.equal(s.networks[1]!.incident, null);
});

test('Atom 1.0: feed id/title/updated, entries with tag ids, links to the pages, escaped text', () => {
  const a = incident({ title: HOSTILE, updatedAt: NOW - 1000 });
  const b = incident({ id: 'megaeth-20250301T000000Z', status: 'resolved', updatedAt: NOW - 86_400_000 });
  const xml = atomFeed([a, b], {
    title: 'Chains & co',
    links,
    selfHref: 'https://status.example.org/feed.atom',
    now: NOW,
    names: () => 'MegaETH',
  });
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">\n<id>https:\/\/status.example.org\/feed.atom<\/id>\n<title>Chains &amp; co: incidents<\/title>\n<updated>2025-03-07T12:13:00.000Z<\/updated>/,
  );
  assert.equal((xml.match(/<entry>/g) ?? []).length, 2);
  assert.match(xml, /<id>tag:chainwatch,2025:incident:megaeth-20250307T120301Z<\/id>/);
  assert.match(xml, /<link rel="alternate" type="text\/html" href="https:\/\/status.example.org\/incident\/megaeth-20250301T000000Z"\/>/);
  assert.match(xml, /<title>Resolved: MegaETH: Block production halted<\/title>/);
  assert.ok(xml.includes('<title>Ongoing: MegaETH: &lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(!xml.includes('<script>'));
  // Every element opened is closed (a cheap well-formedness check; the browser test parses it).
  const opened =
    (xml.match(/<(feed|entry|id|title|updated|published|summary|author|name|generator)>/g) ?? []).length +
    (xml.match(/<(feed|summary) [^>]*[^/]>/g) ?? []).length;
  const closed = (xml.match(/<\/(feed|entry|id|title|updated|published|summary|author|name|generator)>/g) ?? []).length;
  assert.equal(opened, closed);
});

test('Atom without a public URL: relative links, a stable tag id', () => {
  const xml = atomFeed([], { title: 't', links: { base: '' }, selfHref: '/feed.atom', now: NOW, names: (n) => n });
  assert.match(xml, /<id>tag:chainwatch,2025:incidents<\/id>/);
  assert.match(xml, /<updated>2025-03-07T12:13:01.000Z<\/updated>/);
  assert.equal(incidentJson(incident(), { base: '' }).url, '/incident/megaeth-20250307T120301Z');
});

test('badge: shields-style SVG with the status word in its colour, escaped label', () => {
  const svg = badgeSvg('Mega<ETH>', 'partial');
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="20" role="img" aria-label="Mega&lt;ETH&gt;: partial outage">/,
  );
  assert.match(svg, /fill="#d1580f"/);
  assert.ok(!svg.includes('<ETH>'));
  const w = (s: string) => Number(/width="(\d+)"/.exec(s)![1]);
  assert.ok(w(badgeSvg('a', 'major')) < w(badgeSvg('a much longer network name', 'major')));
});
