import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalHash, type ChainState, chainView, initialChainState, observeChain, planAncestry } from '../../../src/engine/detectors';
import { advancingPolls, ancestorsOf, blockHash, type Branch, kinds, makeNetwork, ofKind, okSample, run, T0 } from './builders';

const network = makeNetwork({ thresholds: { reorgMinDepth: 1, reorgMajorDepth: 3 } });
const NOW = T0 + 11_000;

/** Both endpoints followed #100..#110 on branch 'a'. */
function onMainChain(net = network): ChainState {
  return run(net, advancingPolls({ endpoints: ['rpc-a', 'rpc-b'], fromNumber: 100, polls: 11 })).state;
}

const b107: Branch = { name: 'b', forkPoint: 107 };

test('same height, different hash, with ancestors: exact depth and fork point', () => {
  const state = onMainChain();
  const head = okSample('rpc-a', 110, NOW, { branch: b107 });
  assert.deepEqual(planAncestry(state, head), { fromHash: blockHash(109, b107), downTo: 100 });

  const out = observeChain(state, [{ ...head, ancestors: ancestorsOf(110, 3, b107) }], network, NOW);
  assert.deepEqual(kinds(out.signals), ['reorg']);
  const s = out.signals[0]!;
  assert.equal(s.severity, 'major');
  assert.equal(s.endpoint, undefined, 'a reorg is network-wide');
  assert.deepEqual(s.details, {
    depth: 3,
    forkPoint: 107,
    oldHead: blockHash(110),
    oldHeadNumber: 110,
    newHead: blockHash(110, b107),
    newHeadNumber: 110,
    endpoint: 'rpc-a',
  });
  assert.deepEqual(s.evidence, [blockHash(110, b107), blockHash(110), blockHash(108), blockHash(109)]);
  assert.match(
    s.summary,
    /^A reorg of 3 blocks: the chain after #107 was replaced; old head #110 0x00000000…, new head #110 0x00000000… \(seen by rpc-a\)$/,
  );
  assert.deepEqual(out.state.canon.orphans, [blockHash(108), blockHash(109), blockHash(110)]);
  assert.equal(out.state.canon.blocks.at(-1)!.hash, blockHash(110, b107));
  assert.equal(chainView(out.state, network, NOW).head!.hash, blockHash(110, b107));
});

test('parent mismatch on the next block: depth 1 with or without ancestors', () => {
  const b109: Branch = { name: 'b', forkPoint: 109 };
  const withAncestors = observeChain(
    onMainChain(),
    [okSample('rpc-a', 111, NOW, { branch: b109, ancestors: ancestorsOf(111, 2, b109) })],
    network,
    NOW,
  );
  assert.deepEqual(kinds(withAncestors.signals), ['reorg']);
  assert.equal(withAncestors.signals[0]!.severity, 'minor');
  assert.equal(withAncestors.signals[0]!.details.depth, 1);
  assert.equal(withAncestors.signals[0]!.details.forkPoint, 109);

  // The adapter could not fetch ancestors: the fork point is unknown, depth at least 1.
  const bare = observeChain(onMainChain(), [okSample('rpc-a', 111, NOW, { branch: b109 })], network, NOW);
  assert.equal(bare.signals[0]!.details.depth, 1);
  assert.equal(bare.signals[0]!.details.forkPoint, null);
  assert.match(bare.signals[0]!.summary, /the chain below the blocks we keep was replaced/);
});

test('ancestors that never meet the ring: depth counts every contradicted block', () => {
  const deep: Branch = { name: 'c', forkPoint: 90 };
  const out = observeChain(
    onMainChain(),
    [okSample('rpc-a', 110, NOW, { branch: deep, ancestors: ancestorsOf(110, 2, deep) })],
    network,
    NOW,
  );
  // 110, 109, 108 contradicted by hash, 107 by the parent of 108: four ring blocks replaced.
  assert.equal(out.signals[0]!.details.depth, 4);
  assert.equal(out.signals[0]!.details.forkPoint, null);
});

test('a lagging endpoint still on the orphaned chain raises no second reorg and does not flip the ring back', () => {
  const reorged = observeChain(
    onMainChain(),
    [okSample('rpc-a', 110, NOW, { branch: b107, ancestors: ancestorsOf(110, 3, b107) })],
    network,
    NOW,
  );
  const stale = okSample('rpc-b', 110, NOW + 500);
  assert.equal(planAncestry(reorged.state, stale), null);
  const { signals, state } = run(
    network,
    [
      { now: NOW + 500, samples: [stale] },
      { now: NOW + 1_000, samples: [okSample('rpc-a', 111, NOW + 1_000, { branch: b107 }), okSample('rpc-b', 110, NOW + 1_000)] },
      // rpc-b moves to the old branch's next block: still not longer than the canonical chain.
      { now: NOW + 2_000, samples: [okSample('rpc-b', 111, NOW + 2_000)] },
      { now: NOW + 3_000, samples: [okSample('rpc-b', 111, NOW + 3_000, { branch: b107 })] },
    ],
    reorged.state,
  );
  assert.deepEqual(
    signals.flat().filter((s) => s.kind === 'reorg'),
    [],
  );
  assert.equal(state.canon.blocks.at(-1)!.hash, blockHash(111, b107));
  assert.equal(state.canon.blocks.find((b) => b.number === 110)!.hash, blockHash(110, b107));
});

test('a reorg shallower than reorgMinDepth is silent but still followed', () => {
  const tolerant = makeNetwork({ thresholds: { reorgMinDepth: 2, reorgMajorDepth: 5 } });
  const b109: Branch = { name: 'b', forkPoint: 109 };
  const out = observeChain(
    onMainChain(tolerant),
    [okSample('rpc-a', 110, NOW, { branch: b109, ancestors: ancestorsOf(110, 1, b109) })],
    tolerant,
    NOW,
  );
  assert.deepEqual(ofKind(out.signals, 'reorg'), []);
  assert.equal(out.state.canon.blocks.at(-1)!.hash, blockHash(110, b109));
  assert.deepEqual(out.state.canon.orphans, [blockHash(110)]);
});

test('a reorg is an event: not re-emitted by later evaluations', () => {
  const head = okSample('rpc-a', 110, NOW, { branch: b107, ancestors: ancestorsOf(110, 3, b107) });
  const { signals } = run(
    network,
    [
      { now: NOW, samples: [head] },
      { now: NOW + 100, samples: [] },
      { now: NOW + 200, samples: [{ ...head, observedAt: NOW + 200 }] },
      { now: NOW + 300, samples: [head] }, // a retried job redelivering the same sample
    ],
    onMainChain(),
  );
  assert.deepEqual(signals.map(kinds), [['reorg'], [], [], []]);
});

test('a head below the tip whose hash matches the ring is a lagging endpoint, not a reorg', () => {
  const state = onMainChain();
  const behind = okSample('rpc-b', 105, NOW);
  assert.equal(planAncestry(state, behind), null);
  const out = observeChain(state, [behind], network, NOW);
  assert.deepEqual(ofKind(out.signals, 'reorg'), []);
  assert.deepEqual(out.state.canon, state.canon);
});

test('an endpoint catching up on a side branch below the tip does not move the canonical chain', () => {
  // rpc-c appears at #108 on a branch that left the main chain after #106.
  const three = makeNetwork({ endpoints: ['rpc-a', 'rpc-b', 'rpc-c'] });
  const state = onMainChain(three);
  const side: Branch = { name: 'side', forkPoint: 106 };
  const sample = okSample('rpc-c', 108, NOW, { branch: side, ancestors: ancestorsOf(108, 2, side) });
  assert.equal(planAncestry(state, sample), null);
  const out = observeChain(state, [sample], three, NOW);
  assert.deepEqual(ofKind(out.signals, 'reorg'), []);
  assert.deepEqual(out.state.canon, state.canon);
});

test('the endpoint that led the chain moving to a lower head on another branch is a reorg', () => {
  const out = observeChain(
    onMainChain(),
    [okSample('rpc-a', 109, NOW, { branch: b107, ancestors: ancestorsOf(109, 2, b107) })],
    network,
    NOW,
  );
  assert.equal(out.signals[0]!.details.depth, 3);
  assert.equal(out.state.best!.hash, blockHash(109, b107));
  assert.equal(out.state.canon.blocks.at(-1)!.number, 109);
});

test('an orphaned branch that grows longer than the canonical one wins back', () => {
  const reorged = observeChain(
    onMainChain(),
    [okSample('rpc-a', 110, NOW, { branch: b107, ancestors: ancestorsOf(110, 3, b107) })],
    network,
    NOW,
  );
  const back = okSample('rpc-b', 111, NOW + 1_000, { ancestors: ancestorsOf(111, 4) });
  const out = observeChain(reorged.state, [back], network, NOW + 1_000);
  assert.equal(out.signals[0]!.details.depth, 3);
  assert.equal(out.state.canon.blocks.at(-1)!.hash, blockHash(111));
  assert.ok(!out.state.canon.orphans.includes(blockHash(110)));
  assert.ok(out.state.canon.orphans.includes(blockHash(110, b107)));
});

test('planAncestry: when ancestors are needed and when not', () => {
  assert.equal(planAncestry(initialChainState(), okSample('rpc-a', 5, T0)), null, 'empty ring');
  const state = onMainChain();
  assert.equal(planAncestry(state, okSample('rpc-a', 110, NOW)), null, 'same block');
  assert.equal(planAncestry(state, okSample('rpc-a', 111, NOW)), null, 'parent in the ring');
  assert.deepEqual(planAncestry(state, okSample('rpc-a', 120, NOW)), { fromHash: blockHash(119), downTo: 100 }, 'gap of 10');
  assert.equal(planAncestry(state, okSample('rpc-a', 127, NOW)), null, 'gap of 17 > 16');
  assert.deepEqual(planAncestry(state, okSample('rpc-a', 127, NOW), 20), { fromHash: blockHash(126), downTo: 100 });
  // A long-running ring: the walk stops 64 blocks below the parent.
  const long = run(network, advancingPolls({ endpoints: ['rpc-a'], fromNumber: 1_000, polls: 100 })).state;
  const fork: Branch = { name: 'b', forkPoint: 1_090 };
  assert.deepEqual(planAncestry(long, okSample('rpc-a', 1_099, NOW, { branch: fork })), {
    fromHash: blockHash(1_098, fork),
    downTo: 1_099 - 1 - 64,
  });
});

test('canonicalHash tells the adapter where its ancestry walk may stop', () => {
  const state = onMainChain();
  assert.equal(canonicalHash(state, 105), blockHash(105));
  assert.equal(canonicalHash(state, 99), null);
});
