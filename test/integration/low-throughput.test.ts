/**
 * low_throughput on real anvil (1 s blocks), real Redis and BullMQ: a load generator sends
 * transactions from a funded dev account; when it stops while blocks keep coming, the
 * incident opens and posts, and resolves when the load returns. A second anvil with no load
 * from the start never alarms. The baseline needs blocks to leave the 3-minute fast window,
 * so this test takes about five minutes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Network } from '../../src/config/network';
import { startAnvil, type Anvil } from '../support/anvil';
import { testNetwork } from '../support/network';
import { startPipeline, waitUntil, type TestPipeline } from '../support/pipeline';

/** anvil's first dev account (funded, unlocked: eth_sendTransaction needs no key). */
const DEV = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const TX_PER_SECOND = 15;

let busy: Anvil;
let idle: Anvil;
let pipe: TestPipeline;
let sending = false;
let sent = 0;
let failed = 0;
let loop: Promise<void> | null = null;

function network(name: string, url: string): Network {
  return {
    ...testNetwork({
      name,
      endpoints: [{ label: 'rpc-a', url }],
      thresholds: { pollIntervalMs: 500, requestTimeoutMs: 1000, confirmMs: 5_000, resolveAfterMs: 5_000, safeLagBlocks: null },
    }),
    // The built-in 15 min / 100 blocks of history, shortened: the 3 min fast window remains.
    learn: { throughputBaselineMs: 30_000, throughputBaselineBlocks: 20 },
  };
}

/** Zero-value transfers to itself, about TX_PER_SECOND a second while `sending`. */
async function loadGenerator(anvil: Anvil): Promise<void> {
  while (loop !== null) {
    const started = Date.now();
    // One at a time: anvil picks the next nonce; concurrent identical requests would collide.
    for (let i = 0; sending && i < TX_PER_SECOND; i++) {
      await anvil.rpc('eth_sendTransaction', [{ from: DEV, to: DEV, value: '0x0' }]).then(
        () => sent++,
        () => failed++,
      );
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
  }
}

before(async () => {
  [busy, idle] = await Promise.all([startAnvil({ blockTime: 1 }), startAnvil({ blockTime: 1 })]);
  sending = true;
  loop = Promise.resolve();
  loop = loadGenerator(busy);
  pipe = await startPipeline([network('busy-it', busy.url), network('idle-it', idle.url)]);
});

after(async () => {
  const l = loop;
  loop = null;
  await l;
  await pipe?.stop();
  await Promise.all([busy?.stop(), idle?.stop()]);
});

test(
  'load stops while blocks keep coming: low_throughput opens and posts; load back: it resolves; no load from the start: never',
  { timeout: 600_000 },
  async () => {
    const { capture } = pipe;
    // The baseline forms once blocks leave the 3 min fast window, plus its 30 s.
    await waitUntil(() => pipe.samples.some((s) => s.ok && s.network === 'busy-it' && (s.txCount ?? 0) >= 5), 30_000, 'blocks with load');
    await new Promise((r) => setTimeout(r, 230_000));
    const loaded = pipe.samples.filter((s) => s.ok && s.network === 'busy-it').slice(-20);
    assert.ok(
      loaded.every((s) => s.ok && (s.txCount ?? 0) >= 5),
      `blocks carry the load: ${loaded.map((s) => (s.ok ? s.txCount : '-')).join(',')}`,
    );
    assert.equal(capture.events.length, 0, 'nothing while the load is steady');
    sending = false;
    const stoppedAt = Date.now();
    const opened = await capture.waitFor((e) => e.type === 'opened', 120_000, 'opened');
    assert.equal(opened.kind, 'low_throughput');
    assert.equal(opened.title, 'Blocks are nearly empty: transactions are not getting in');
    assert.match(opened.text, /Blocks keep coming but/);
    const openedAfterMs = opened.at - stoppedAt;
    console.log(`# low_throughput opened ${openedAfterMs} ms after the load stopped (${sent} transactions sent before, ${failed} refused)`);
    assert.ok(openedAfterMs < 120_000, `opened ${openedAfterMs} ms after the load stopped`);
    const blocks = pipe.samples.filter((s) => s.ok && s.network === 'busy-it' && s.observedAt > stoppedAt + 5_000);
    assert.ok(blocks.length > 0 && blocks.every((s) => s.ok && (s.txCount ?? 0) === 0), 'blocks kept coming, empty');
    sending = true;
    const resumedAt = Date.now();
    const resolved = await capture.waitFor((e) => e.type === 'resolved', 60_000, 'resolved');
    assert.equal(resolved.incidentId, opened.incidentId);
    console.log(`# resolved ${resolved.at - resumedAt} ms after the load resumed`);
    assert.ok(
      capture.events.every((e) => e.network === 'busy-it'),
      'the idle chain never alarms',
    );
  },
);
