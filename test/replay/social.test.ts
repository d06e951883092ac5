import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Replayer } from '../../src/replay/replayer';

function replay(file: string) {
  const r = new Replayer({ events: true });
  for (const line of readFileSync(`examples/${file}`, 'utf8').split('\n')) r.push(line);
  return { incidents: r.finish(), summary: r.summary };
}

test('reports from several people in several languages open a suspected incident while every RPC looks fine', () => {
  const { incidents, summary } = replay('social-only.jsonl');
  assert.deepEqual(summary.errors, []);
  assert.equal(summary.posts, 6);
  assert.equal(incidents.length, 1);
  const [inc] = incidents;
  assert.equal(inc!.kind, 'social_reports');
  assert.equal(inc!.title, 'Users report problems');
  assert.equal(inc!.events![0]!.status, 'suspected', 'community evidence alone is not public');
  assert.match(inc!.events![0]!.text, /people reported problems with MegaETH in the last 10 min \(/);
  assert.equal(inc!.status, 'resolved', 'it clears once the reports stop');
});

test('a burst of price talk in ten languages opens nothing', () => {
  const { incidents, summary } = replay('price-talk.jsonl');
  assert.equal(summary.posts, 20);
  assert.deepEqual(incidents, []);
});

test('a chain halt with community reports shows them as evidence in the same incident', () => {
  const r = new Replayer({ events: true });
  const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
  // A written stall: the halt is public at once (no rhythm to learn first), the reports join it.
  r.push(
    JSON.stringify({
      type: 'network',
      name: 'megaeth',
      displayName: 'MegaETH',
      blockTimeMs: 1000,
      endpoints: ['rpc-a', 'rpc-b'],
      stall: '10s',
    }),
  );
  const t0 = Date.parse('2026-06-01T10:00:00Z');
  for (let i = 0; i < 120; i++) {
    const t = t0 + i * 5000;
    const n = 100 + Math.min(i, 20) * 5;
    for (const endpoint of ['rpc-a', 'rpc-b']) {
      r.push(
        JSON.stringify({
          t: new Date(t).toISOString(),
          type: 'head',
          network: 'megaeth',
          endpoint,
          number: n,
          hash: hash(n),
          parentHash: hash(n - 1),
          timestamp: Math.floor((t0 + Math.min(i, 20) * 5000) / 1000),
        }),
      );
    }
    if (i >= 40 && i < 44) {
      r.push(
        JSON.stringify({
          t: new Date(t + 1).toISOString(),
          type: 'post',
          source: 'x',
          id: `9${i}`,
          author: `u${i}`,
          lang: 'en',
          text: `megaeth is down, no new blocks since 10:01 (${i})`,
        }),
      );
    }
  }
  const [inc, ...rest] = r.finish();
  assert.equal(rest.length, 0);
  assert.equal(inc!.kind, 'halted');
  const evidence = inc!.events!.filter((e) => e.type === 'evidence');
  assert.equal(evidence.length, 1);
  assert.match(evidence[0]!.text, /people reported problems with MegaETH/);
});
