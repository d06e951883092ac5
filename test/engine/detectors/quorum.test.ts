import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainView, divergentAfterMs, quorumSize } from '../../../src/engine/detectors';
import type { HeadSample } from '../../../src/model';
import { type Batch, kinds, makeNetwork, ofKind, okSample, run, T0 } from './builders';

/**
 * No single witness decides (DESIGN.md principle 6): a provider that lies, serves another
 * chain or dates its blocks in the future is left out and named; the honest ones are never
 * blamed, and no halt is declared on a liar's word.
 */
const FROZEN = 2 ** 52 - 1;
const three = makeNetwork({ endpoints: ['rpc-a', 'rpc-b', 'rpc-c'], thresholds: { stallMs: 10_000 } });

/** Honest rpc-a and rpc-b advance one block a second; rpc-c answers `liar(i, now)`. */
function polls(count: number, liar: (i: number, now: number) => HeadSample, honest = ['rpc-a', 'rpc-b']): Batch[] {
  return Array.from({ length: count }, (_, i) => {
    const now = T0 + i * 1000;
    return { now, samples: [...honest.map((ep) => okSample(ep, 100 + i, now)), liar(i, now)] };
  });
}

test('quorum: a majority, at least 2 of 3 or more; a configured quorum wins', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 7].map((n) => quorumSize(n, undefined)),
    [1, 1, 2, 3, 3, 4],
  );
  assert.equal(quorumSize(5, 2), 2);
  assert.equal(quorumSize(1, 3), 1, 'never more than answer');
});

test('a provider frozen far ahead: no halt, the honest head is the best, the liar is named once left out', () => {
  const r = run(
    three,
    polls(60, (_, now) => okSample('rpc-c', FROZEN, now)),
  );
  const all = r.signals.flat();
  assert.deepEqual(ofKind(all, 'halted'), [], "no halt on a liar's word");
  assert.deepEqual(ofKind(all, 'endpoint_lagging'), [], 'the honest providers are never called behind');
  assert.deepEqual([...new Set(ofKind(all, 'endpoint_divergent').map((s) => s.endpoint))], ['rpc-c'], 'only the liar is named');
  const first = r.signals.findIndex((s) => kinds(s).includes('endpoint_divergent'));
  assert.ok(
    first >= 0 && first * 1000 <= divergentAfterMs(three) + 1000,
    `left out after ${first} s (divergentAfter ${divergentAfterMs(three)} ms)`,
  );
  assert.match(
    ofKind(r.last, 'endpoint_divergent')[0]!.summary,
    /rpc-c reports block #4,503,599,627,370,495, which no other endpoint reaches/,
  );
  const view = chainView(r.state, three, T0 + 59_000);
  assert.equal(view.head?.number, 159, 'the best head is the honest one');
  assert.deepEqual(
    view.endpoints.map((e) => e.status),
    ['ok', 'ok', 'divergent'],
  );
});

test('a provider frozen far ahead with two endpoints only: left out before a halt could be declared', () => {
  const two = makeNetwork({ endpoints: ['rpc-a', 'rpc-c'], thresholds: { stallMs: 10_000 } });
  const r = run(
    two,
    polls(40, (_, now) => okSample('rpc-c', FROZEN, now), ['rpc-a']),
  );
  assert.deepEqual(ofKind(r.signals.flat(), 'halted'), []);
  assert.ok(ofKind(r.last, 'endpoint_divergent').length === 1);
  assert.equal(chainView(r.state, two, T0 + 39_000).head?.number, 139);
});

test('a provider on another chain (chain id 999, 500 blocks ahead): left out at its first chain id answer', () => {
  const r = run(
    three,
    polls(20, (i, now) => ({ ...okSample('rpc-c', 600 + i, now), ...(i % 5 === 0 ? { chainId: 999 } : {}) })),
  );
  const all = r.signals.flat();
  assert.deepEqual(ofKind(all, 'endpoint_lagging'), [], 'nobody is "500 blocks behind"');
  assert.ok(kinds(r.signals[0]!).includes('endpoint_wrong_chain'), 'named at the first poll');
  assert.match(ofKind(r.last, 'endpoint_wrong_chain')[0]!.summary, /rpc-c serves chain id 999, not testnet's 4326/);
  assert.equal(chainView(r.state, three, T0 + 19_000).head?.number, 119);
});

test('blocks dated in the future are not this chain now', () => {
  const r = run(
    three,
    polls(5, (i, now) => okSample('rpc-c', 100 + i, now, { timestamp: Math.floor(now / 1000) + 86_400 })),
  );
  assert.match(ofKind(r.signals[0]!, 'endpoint_divergent')[0]!.summary, /dated in the future/);
});

test('an honest leader one block ahead each poll is never left out', () => {
  const r = run(
    three,
    polls(120, (i, now) => okSample('rpc-c', 101 + i, now)),
  );
  assert.deepEqual(ofKind(r.signals.flat(), 'endpoint_divergent'), []);
});

test('a real halt seen by every honest provider is still a halt, with a liar frozen ahead among them', () => {
  const r = run(three, [
    ...polls(20, (_, now) => okSample('rpc-c', FROZEN, now)),
    ...Array.from({ length: 20 }, (_, i) => {
      const now = T0 + (20 + i) * 1000;
      return {
        now,
        samples: ['rpc-a', 'rpc-b']
          .map((ep) => okSample(ep, 119, now, { timestamp: Math.floor((T0 + 19_000) / 1000) }))
          .concat(okSample('rpc-c', FROZEN, now)),
      };
    }),
  ]);
  const halted = ofKind(r.last, 'halted')[0];
  assert.ok(halted, 'halted');
  assert.equal(halted.details.headNumber, 119);
  assert.match(halted.summary, /2 of 3 endpoints agree|only 1 of/);
});
