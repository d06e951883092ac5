/**
 * `learnt`: thresholds learnt from the chain (issue 12), side by side in one run.
 *
 * 1. Last block → incident opened on real anvils at 1 s blocks (three per variant), watched by
 *    one chainwatch and halted at the same moment: `learnt` (the built-in default stall of 10 s,
 *    learnt from the chain), `fixed` (the same default, learning off), and `floor` (a stall of
 *    2 blocks + 1 poll = 3 s set by hand, learning off). Live learning needs 3,000 advances
 *    before it may lower a stall (50 min at 1 s); here the `learnt` network is allowed to after
 *    120 (stallMinSamplesToTighten), so the figure shows where learning lands, not how long it
 *    takes to get there. The last block's time is when this script first saw it (eth_blockNumber
 *    every 20 ms).
 * 2. Throughput drop → low_throughput opened, replaying examples/throughput-drop.jsonl (the drop
 *    to a fifth at 14:50:00), next to the longest judged window plus confirmMs.
 * 3. Per-network state (JSON bytes) after two hours of 1 s polls of two endpoints, with the
 *    learnt history, next to the same state without it.
 */
import { readFileSync } from 'node:fs';
import type { AppConfig } from '../src/config';
import type { Network } from '../src/config/network';
import { startChainwatch, type Running } from '../src/app/start';
import { startAnvil, type Anvil } from '../src/devnet/anvil';
import { initialChainState, observeChain } from '../src/engine/detectors';
import { DEFAULT_THROUGHPUT_SETTINGS } from '../src/engine/learn';
import { Replayer } from '../src/replay/replayer';
import { testNetwork } from '../test/support/network';
import { abort, figure, log, onAbort, PREFIX, progress, QUICK, REDIS_URL, sleep, stats, waitFor, type Figure } from './lib';

/** Networks per variant, all halted once at the same moment (see the note in haltFigures). */
const REPLICAS = QUICK ? 1 : 3;
const WARMUP_MS = QUICK ? 60_000 : 150_000;
const POLL_MS = 1000;

const VARIANTS = [
  { name: 'learnt', stallMs: 10_000, learn: { stallMinSamples: 60, stallMinSamplesToTighten: 120 } },
  { name: 'fixed', stallMs: 10_000, learn: { thresholds: false } },
  { name: 'floor', stallMs: 3_000, learn: { thresholds: false, stallWritten: true } },
] as const;

/**
 * One halt per network: a halt's own gap is learnt when the chain resumes, and with the
 * ~150 advances of this warm-up (instead of the 3,000+ a live network has) one 13 s gap is
 * more than 0.1 % of the history and would raise the 99.9th percentile for the next halt.
 * So each variant runs on REPLICAS anvils, each halted once, all at the same moment.
 */
async function haltFigures(): Promise<Figure[]> {
  const anvils: Anvil[] = [];
  let running: Running | null = null;
  let unregister = () => {};
  const plan = VARIANTS.flatMap((v) => Array.from({ length: REPLICAS }, (_, k) => ({ v, k })));
  const latest = plan.map(() => ({ n: -1, at: 0 }));
  let watching = true;
  try {
    for (const _ of plan) anvils.push(await startAnvil({ blockTime: 1 }));
    const networks: Network[] = plan.map(({ v, k }, i) => ({
      ...testNetwork({
        name: `learnt-bench-${v.name}-${k}`,
        endpoints: [{ label: 'rpc-a', url: anvils[i]!.url }],
        thresholds: {
          pollIntervalMs: POLL_MS,
          requestTimeoutMs: 1000,
          stallMs: v.stallMs,
          resolveAfterMs: 1000,
          reopenWindowMs: 1,
          safeLagBlocks: null,
        },
      }),
      learn: v.learn,
    }));
    const config: AppConfig = {
      redis: { url: REDIS_URL, prefix: `${PREFIX}-learnt` },
      log: { level: 'warn' },
      worker: { concurrency: 4 },
      networks,
    };
    running = await startChainwatch(config, { role: 'all', log });
    const r = running;
    unregister = onAbort(async () => {
      watching = false;
      await r.stop();
    });
    const watchers = anvils.map(async (a, i) => {
      while (watching) {
        const n = await a.blockNumber().catch(() => -1);
        if (n > latest[i]!.n) latest[i] = { n, at: Date.now() };
        await sleep(20);
      }
    });
    progress(`learnt: warming up ${WARMUP_MS / 1000} s`);
    await sleep(WARMUP_MS);
    if (abort.signalled) throw new Error('aborted');
    // Each anvil halts at its own moment of its block interval (they were started apart).
    await Promise.all(anvils.map((a) => a.halt()));
    await sleep(300);
    const last = latest.map((l) => ({ ...l }));
    const lat = await Promise.all(
      networks.map(async (n, i) => {
        const inc = await waitFor(async () => (await r.store.listIncidents(n.name, 1))[0], 30_000, `incident on ${n.name}`, 10);
        const opened = (await r.store.getTimeline(inc.id)).find((e) => e.type === 'opened')!;
        return opened.at - last[i]!.at;
      }),
    );
    watching = false;
    await Promise.all(watchers);
    const of = (name: string) => lat.filter((_, i) => plan[i]!.v.name === name);
    const [learnt, fixed, floor] = VARIANTS.map((v) => stats(of(v.name)));
    progress(`learnt: learnt ${of('learnt').join(', ')} ms; fixed ${of('fixed').join(', ')} ms; floor ${of('floor').join(', ')} ms`);
    const common = { halts: REPLICAS, blockTimeS: 1, pollIntervalMs: POLL_MS, warmupMs: WARMUP_MS, stallMinSamplesToTighten: 120 };
    return [
      figure(
        'learnt_stall_last_block_to_opened_ms',
        learnt!.median,
        'ms',
        { name: 'fixed_default_stall_10s', value: fixed!.median, unit: 'ms' },
        {
          ...common,
          samples: of('learnt'),
          fixedSamples: of('fixed'),
          note: `median of ${REPLICAS} halts each; learnt range ${learnt!.min}-${learnt!.max} ms, default 10 s range ${fixed!.min}-${fixed!.max} ms`,
        },
      ),
      figure(
        'learnt_stall_vs_floor_ms',
        learnt!.median,
        'ms',
        { name: 'floor_stall_3s_by_hand', value: floor!.median, unit: 'ms' },
        {
          ...common,
          samples: of('learnt'),
          floorSamples: of('floor'),
          note: `floor = 2 blocks + 1 poll set by hand; range ${floor!.min}-${floor!.max} ms`,
        },
      ),
    ];
  } finally {
    watching = false;
    unregister();
    await running?.stop().catch((err: Error) => progress(`learnt: stopping chainwatch: ${err.message}`));
    await Promise.all(anvils.map((a) => a.stop().catch(() => {})));
  }
}

function throughputFigure(): Figure {
  const replayer = new Replayer({ events: true });
  for (const line of readFileSync('examples/throughput-drop.jsonl', 'utf8').split('\n')) replayer.push(line);
  const inc = replayer.finish().find((i) => i.kind === 'low_throughput');
  const drop = Date.parse('2026-01-31T14:50:00.000Z');
  const openedMs = inc ? Date.parse(inc.openedAt) - drop : NaN;
  const empty = inc?.events?.find((e) => e.type === 'severity_changed');
  const windowMs = Math.max(...DEFAULT_THROUGHPUT_SETTINGS.windowsMs) + 30_000;
  return figure(
    'throughput_drop_to_opened_ms',
    openedMs,
    'ms',
    { name: 'longest_window_plus_confirm', value: windowMs, unit: 'ms' },
    {
      emptyToMajorMs: empty ? Date.parse(empty.t) - Date.parse('2026-01-31T15:00:00.000Z') : null,
      note: 'replay of examples/throughput-drop.jsonl (2 s blocks, 40 user tx a block, drop to a fifth at 14:50:00, near-empty at 15:00:00); windows 30 s-3 min, confirmMs 30 s',
    },
  );
}

function stateSizeFigure(): Figure {
  const network = testNetwork({ name: 'size', thresholds: { pollIntervalMs: 1000 } });
  const T0 = Date.UTC(2026, 0, 1);
  let s = initialChainState();
  for (let i = 0; i < 7_200; i++) {
    const now = T0 + i * 1000 + 150;
    const samples = ['rpc-a', 'rpc-b'].map((endpoint) => ({
      ok: true as const,
      network: 'size',
      endpoint,
      observedAt: now,
      latencyMs: 40,
      number: 100 + i,
      hash: `0x${(100 + i).toString(16).padStart(64, '0')}`,
      parentHash: `0x${(99 + i).toString(16).padStart(64, '0')}`,
      timestamp: Math.floor(T0 / 1000) + i,
      txCount: 30 + (i % 17),
      gasUsed: 2_000_000 + i,
    }));
    s = observeChain(s, samples, network, now).state;
  }
  const { learnt, ...without } = s;
  const withBytes = JSON.stringify(s).length;
  return figure(
    'chain_state_bytes_with_learnt',
    withBytes,
    'bytes',
    { name: 'chain_state_bytes_without_learnt', value: JSON.stringify(without).length, unit: 'bytes' },
    {
      learntBytes: JSON.stringify(learnt).length,
      limitBytes: 65_536,
      note: "JSON of one network's ChainState after 2 h of 1 s polls of two endpoints with transactions",
    },
  );
}

export async function learntFigures(): Promise<Figure[]> {
  const out = [throughputFigure(), stateSizeFigure()];
  return [...out, ...(await haltFigures())];
}
