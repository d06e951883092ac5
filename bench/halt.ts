/**
 * Figure 1, halt detection latency: a real anvil at 1 s blocks, watched by one long-lived
 * chainwatch (`--role all`: scheduler, workers, bot) whose Discord publisher is the real
 * discord.js REST client talking to the local fake Discord API. The chain is halted HALTS times
 * at random moments (`evm_setIntervalMining [0]`), resumed after the incident opens, and the
 * incident is left to resolve before the next halt.
 *
 * The last block's time is when this script first saw it (it asks anvil for eth_blockNumber
 * every 20 ms, so that clock is at most ~20 ms late, which makes the latencies slightly
 * smaller, never larger). Measured from it: the `opened` IncidentEvent's `at` (the worker's
 * clock when it committed the event) and the fake Discord's stamp on the root message POST.
 * Reference: stall threshold + one poll interval, the soonest a poller can see a stall.
 */
import type { AppConfig } from '../src/config';
import type { Network } from '../src/config/network';
import { startChainwatch, type Running } from '../src/app/start';
import { startAnvil, type Anvil } from '../src/devnet/anvil';
import { startFakeDiscord, type FakeDiscord } from '../test/support/fake-discord';
import { testNetwork } from '../test/support/network';
import {
  abort,
  fakeDiscordConfig,
  figure,
  log,
  onAbort,
  PREFIX,
  progress,
  QUICK,
  REDIS_URL,
  sleep,
  stats,
  waitFor,
  type Figure,
} from './lib';

const HALTS = QUICK ? 2 : 20;
const POLL_MS = 500;
const STALL_MS = 3000;
const RESOLVE_AFTER_MS = 1000;
const CHANNEL = '200';
const WATCH_EVERY_MS = 20;

/** The newest block number and when this script first saw it. */
class BlockWatcher {
  latest = { n: -1, at: 0 };
  private stopped = false;
  private loop: Promise<void> | null = null;
  constructor(private readonly anvil: Anvil) {}
  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          const n = await this.anvil.blockNumber();
          if (n > this.latest.n) this.latest = { n, at: Date.now() };
        } catch {
          // a missed probe only makes the clock coarser
        }
        await sleep(WATCH_EVERY_MS);
      }
    })();
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

export async function haltLatency(): Promise<Figure[]> {
  let anvil: Anvil | null = null;
  let fake: FakeDiscord | null = null;
  let running: Running | null = null;
  let watcher: BlockWatcher | null = null;
  let unregister = () => {};
  try {
    anvil = await startAnvil({ blockTime: 1 });
    fake = await startFakeDiscord();
    const discord = fakeDiscordConfig(fake);
    const network: Network = testNetwork({
      name: 'halt-bench',
      displayName: 'Halt Bench',
      endpoints: [
        { label: 'rpc-a', url: anvil.url },
        { label: 'rpc-b', url: `${anvil.url}/` },
      ],
      thresholds: {
        pollIntervalMs: POLL_MS,
        requestTimeoutMs: 1000,
        stallMs: STALL_MS,
        endpointStuckMs: STALL_MS,
        resolveAfterMs: RESOLVE_AFTER_MS,
        reopenWindowMs: 1,
        safeLagBlocks: null,
      },
    });
    const config: AppConfig = {
      redis: { url: REDIS_URL, prefix: `${PREFIX}-halt` },
      log: { level: 'warn' },
      worker: { concurrency: 4 },
      networks: [network],
      discord,
    };
    running = await startChainwatch(config, { role: 'all', log });
    const r = running;
    unregister = onAbort(async () => {
      await r.stop();
      await watcher?.stop();
    });
    watcher = new BlockWatcher(anvil);
    watcher.start();
    await sleep(2500); // the pipeline has seen the chain advance

    const toEvent: number[] = [];
    const toDiscord: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < HALTS; i++) {
      if (abort.signalled) throw new Error('aborted');
      await sleep(1000 + Math.random() * 2000); // a random moment in the block interval
      await anvil.halt();
      await sleep(300); // a block mined as the halt arrived is seen by now
      const last = watcher.latest;
      const before = fake.requests.length;
      const incident = await waitFor(
        async () => (await r.store.listIncidents(network.name, 1)).find((inc) => !seen.has(inc.id)),
        STALL_MS + 15_000,
        `incident of halt ${i + 1}`,
        10,
      );
      seen.add(incident.id);
      const opened = (await r.store.getTimeline(incident.id)).find((e) => e.type === 'opened');
      if (!opened) throw new Error(`incident ${incident.id} has no opened event`);
      const f = fake;
      const root = await waitFor(
        () => f.requests.slice(before).find((q) => q.method === 'POST' && q.path === `/channels/${CHANNEL}/messages` && q.status < 300),
        15_000,
        `root message of halt ${i + 1}`,
      );
      toEvent.push(opened.at - last.at);
      toDiscord.push(root.at - last.at);
      progress(
        `halt ${i + 1}/${HALTS}: block #${last.n} → opened ${opened.at - last.at} ms (${incident.kind}), Discord ${root.at - last.at} ms`,
      );
      await anvil.resume(1);
      await waitFor(async () => (await r.store.getIncident(incident.id))?.status === 'resolved', 30_000, `resolution of halt ${i + 1}`, 50);
    }

    const reference = { name: 'stall_threshold_plus_poll_interval', value: STALL_MS + POLL_MS, unit: 'ms' };
    const common = {
      halts: HALTS,
      blockTimeS: 1,
      pollIntervalMs: POLL_MS,
      stallMs: STALL_MS,
      resolveAfterMs: RESOLVE_AFTER_MS,
      lastBlockClockMs: WATCH_EVERY_MS,
    };
    const out: Figure[] = [];
    for (const [name, values, what] of [
      ['halt_to_incident_opened_ms', toEvent, 'opened event committed'],
      ['halt_to_discord_message_ms', toDiscord, 'root message at the fake Discord API'],
    ] as const) {
      const s = stats(values);
      out.push(
        figure(name, s.median, 'ms', reference, {
          median: s.median,
          p95: s.p95,
          min: s.min,
          max: s.max,
          count: s.count,
          p95Ratio: Number((s.p95 / reference.value).toFixed(3)),
          samples: values,
          ...common,
          note: `${what}; p95 ${s.p95} ms, range ${s.min}–${s.max} ms, ${s.count} halts`,
        }),
      );
    }
    return out;
  } finally {
    unregister();
    await watcher?.stop();
    await running?.stop().catch((err: Error) => progress(`halt: stopping chainwatch: ${err.message}`));
    await fake?.stop().catch(() => {});
    await anvil?.stop().catch(() => {});
  }
}
